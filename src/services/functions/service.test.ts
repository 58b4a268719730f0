/**
 * The Lambda service from its factory over a real store and data dir: what only shows inside —
 * the deployer's state machine, recovery after a restart, code packages on disk and their
 * garbage collection, the signed code route, and `resolveFunction` for the invoke path.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { CodePackages } from './code/packages.js';
import { codeZip, makeZip } from './code/zip-writer.test.js';
import { ACCOUNT, context, harness, REGION, rejectsWith, ROLE, type Harness } from './harness.test.js';
import { resolveFunction, resolveFunctionUrl } from './resolve.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const caller = () => context();

/** Folders are removed after the commit, off the request path: poll for it. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}
const codeIdOf = async (name: string, version = '$LATEST') =>
  (await h.store.one<{ code_id: string }>('SELECT code_id FROM lambda_versions WHERE function_name = ? AND version = ?', [name, version]))!.code_id;

describe('lifecycle', () => {
  test('CreateFunction answers Pending; the deployer unpacks and settles Active with a new RevisionId', async () => {
    const created = await h.call('CreateFunction', {
      FunctionName: 'life', Runtime: 'provided.al2023', Role: ROLE,
      Code: { ZipFile: makeZip([{ name: 'bootstrap', data: '#!/bin/sh\n', mode: 0o755 }]) },
    });
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.LastUpdateStatus, undefined);
    await h.settled();
    const got = await h.call('GetFunctionConfiguration', { FunctionName: 'life' });
    assert.equal(got.State, 'Active');
    assert.equal(got.LastUpdateStatus, 'Successful');
    assert.equal(got.StateReason, undefined);
    assert.notEqual(got.RevisionId, created.RevisionId);
    const dir = new CodePackages(join(h.dataDir, 'functions', 'code')).unpackedDir(await codeIdOf('life'));
    assert.equal(statSync(join(dir, 'bootstrap')).mode & 0o777, 0o555);
  });

  test('a package whose data lies about its size is caught while unpacking: the function is Failed', async () => {
    // 301 deflate blocks of 1 MiB of zeros each (sync-flushed, so they chain), then a final empty block
    const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const raw = Buffer.concat([...new Array<Buffer>(301).fill(block), deflateRawSync(Buffer.alloc(0))]);
    const bomb = makeZip([{ name: 'index.js', raw, declaredSize: 1000 }]);
    await h.call('CreateFunction', { FunctionName: 'bomb', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: bomb } });
    await h.settled();
    const got = await h.call('GetFunctionConfiguration', { FunctionName: 'bomb' });
    assert.equal(got.State, 'Failed');
    assert.equal(got.StateReasonCode, 'InvalidZipFileException');
    assert.equal(got.StateReason, 'Unzipped size must be smaller than 262144000 bytes');
    assert.equal(got.LastUpdateStatus, 'Failed');
    // a good package repairs it
    await h.call('UpdateFunctionCode', { FunctionName: 'bomb', ZipFile: codeZip() });
    await h.settled();
    const fixed = await h.call('GetFunctionConfiguration', { FunctionName: 'bomb' });
    assert.deepEqual([fixed.State, fixed.LastUpdateStatus], ['Active', 'Successful']);
  });

  test('changes are refused while the function is Pending or an update is landing, then accepted', async () => {
    await h.fn('busy');
    const first = await h.call('UpdateFunctionConfiguration', { FunctionName: 'busy', Timeout: 10 });
    assert.equal(first.LastUpdateStatus, 'InProgress');
    await h.settled();
    // hold the function where the deployer would leave it while a large package unpacks
    const hold = (state: string, update: string) =>
      h.store.run('UPDATE lambda_versions SET state = ?, update_status = ? WHERE function_name = ?', [state, update, 'busy']);
    await hold('Active', 'InProgress');
    await rejectsWith(h.call('UpdateFunctionConfiguration', { FunctionName: 'busy', Timeout: 11 }), 'ResourceConflictException',
      'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-west-1:111122223333:function:busy', 409);
    await rejectsWith(h.call('UpdateFunctionCode', { FunctionName: 'busy', ZipFile: codeZip() }), 'ResourceConflictException', /update is in progress/, 409);
    await rejectsWith(h.call('PublishVersion', { FunctionName: 'busy' }), 'ResourceConflictException', /update is in progress/, 409);
    await hold('Pending', 'InProgress');
    await rejectsWith(h.call('UpdateFunctionConfiguration', { FunctionName: 'busy', Timeout: 11 }), 'ResourceConflictException',
      'The operation cannot be performed at this time. The function is currently in the following state: Pending', 409);
    await hold('Active', 'Successful');
    const second = await h.call('UpdateFunctionConfiguration', { FunctionName: 'busy', Timeout: 11 });
    assert.equal(second.Timeout, 11);
    await h.settled();
  });
});

describe("AWS's package size limits", () => {
  const create = (name: string, zip: Buffer, extra: Record<string, unknown> = {}) =>
    h.call('CreateFunction', { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip }, ...extra });

  test('a zip over 50 MB in the request is RequestEntityTooLargeException (413)', async () => {
    await rejectsWith(create('big', Buffer.alloc(52_428_801)), 'RequestEntityTooLargeException', 'Zipped size must be smaller than 52428800 bytes', 413);
  });

  test('a package declaring more than 250 MB unzipped is refused before anything is stored', async () => {
    const zip = makeZip([{ name: 'huge.bin', data: 'x', declaredSize: 262_144_001 }]);
    await rejectsWith(create('huge', zip), 'InvalidParameterValueException', 'Unzipped size must be smaller than 262144000 bytes', 400);
    await rejectsWith(h.call('GetFunction', { FunctionName: 'huge' }), 'ResourceNotFoundException');
  });

  test('code and layers together count against the same 250 MB', async () => {
    const layer = await h.call('PublishLayerVersion', { LayerName: 'heavy', Content: { ZipFile: makeZip([{ name: 'lib.bin', data: 'x', declaredSize: 200_000_000 }]) } });
    const zip = makeZip([{ name: 'index.js', data: 'x', declaredSize: 70_000_000 }]);
    await rejectsWith(create('combined', zip, { Layers: [layer.LayerVersionArn] }), 'InvalidParameterValueException',
      'Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is 270000000 bytes.');
  });
});

describe('code packages on disk', () => {
  test('replaced and deleted code is removed; shared code stays while a version uses it', async () => {
    await h.fn('gc', { Publish: true });
    const first = await codeIdOf('gc');
    assert.equal(await codeIdOf('gc', '1'), first, 'version 1 shares the package of $LATEST');
    await h.call('UpdateFunctionCode', { FunctionName: 'gc', ZipFile: codeZip('exports.handler = async () => 2;') });
    await h.settled();
    const second = await codeIdOf('gc');
    const packages = new CodePackages(join(h.dataDir, 'functions', 'code'));
    assert.ok(existsSync(packages.folder(first)), 'still used by version 1');
    await h.call('DeleteFunction', { FunctionName: 'gc', Qualifier: '1' });
    await eventually(() => !existsSync(packages.folder(first)), 'the package of version 1 is removed');
    await h.call('DeleteFunction', { FunctionName: 'gc' });
    await eventually(() => !existsSync(packages.folder(second)), 'the package of $LATEST is removed');
    const rows = await h.store.one<{ n: number }>('SELECT count(*) AS n FROM lambda_code_packages WHERE id IN (?, ?)', [first, second]);
    assert.equal(Number(rows?.n), 0);
  });

  test('GetFunction Code.Location serves the zip while the link is valid', async () => {
    const zip = codeZip('exports.handler = async () => "served";');
    await h.fn('served', { Code: { ZipFile: zip } });
    const { Code } = await h.call('GetFunction', { FunctionName: 'served' });
    const url = new URL(Code.Location);
    assert.equal(Code.RepositoryType, 'S3');
    assert.equal(url.origin, 'http://sbx.test:4566');
    const get = (path: string, rawQuery: string) => h.service.route!({ method: 'GET', path, rawQuery, headers: {}, body: Buffer.alloc(0) });
    const ok = await get(url.pathname, url.search.slice(1));
    assert.equal(ok?.status, 200);
    assert.deepEqual(ok?.body, zip);
    const sig = url.searchParams.get('signature')!;
    const forged = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
    const tampered = await get(url.pathname, url.search.slice(1).replace(sig, forged));
    assert.equal(tampered?.status, 403);
    h.clock.advance(11 * 60 * 1000);
    assert.equal((await get(url.pathname, url.search.slice(1)))?.status, 403, 'expired after ten minutes');
    assert.equal(await get('/_signalbox/lambda/other', ''), undefined);
  });
});

describe('recovery after a restart', () => {
  test('a package left pending (zip on disk, row committed) is unpacked and its function settled at start-up', async () => {
    await h.fn('resume');
    const id = await codeIdOf('resume');
    const packages = new CodePackages(join(h.dataDir, 'functions', 'code'));
    // as if the process died after committing and before unpacking
    await packages.remove(id);
    await packages.saveZip(id, codeZip('exports.handler = async () => "again";'));
    await h.store.run("UPDATE lambda_code_packages SET status = 'pending' WHERE id = ?", [id]);
    await h.store.run("UPDATE lambda_versions SET state = 'Pending', update_status = 'InProgress' WHERE function_name = 'resume'");
    // a zip written by a request whose commit never happened, from before the restart
    const stray = CodePackages.newId();
    await packages.saveZip(stray, codeZip());
    const old = new Date(Date.now() - 60_000);
    utimesSync(packages.folder(stray), old, old);
    mkdirSync(join(h.dataDir, 'functions', 'code', 'not-a-package'), { recursive: true });

    await h.restart();
    const got = await h.call('GetFunctionConfiguration', { FunctionName: 'resume' });
    assert.deepEqual([got.State, got.LastUpdateStatus], ['Active', 'Successful']);
    assert.match(readFileSync(join(packages.unpackedDir(id), 'index.js'), 'utf8'), /again/);
    assert.equal(existsSync(packages.folder(stray)), false, 'the uncommitted zip is removed');
  });
});

describe('resolveFunction (for the invoke path)', () => {
  test('a version through an alias with routing weights, and everything Invoke needs', async () => {
    await h.fn('target', {
      Environment: { Variables: { GREETING: 'hi' } }, Timeout: 30, MemorySize: 256, Publish: true,
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq` },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/group' },
    });
    await h.call('UpdateFunctionConfiguration', { FunctionName: 'target', Timeout: 40 });
    await h.settled();
    await h.call('PublishVersion', { FunctionName: 'target' });
    await h.settled();
    await h.call('CreateAlias', { FunctionName: 'target', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.25 } } });
    await h.call('PutFunctionConcurrency', { FunctionName: 'target', ReservedConcurrentExecutions: 7 });
    await h.call('PutFunctionEventInvokeConfig', { FunctionName: 'target', Qualifier: 'live', MaximumRetryAttempts: 1 });
    await h.call('AddPermission', { FunctionName: 'target', Qualifier: 'live', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' });
    const deps = { store: h.store, config: { dataDir: h.dataDir } };

    const primary = await resolveFunction(deps, caller(), 'target:live', undefined, { random: () => 0.9 });
    assert.equal(primary.executedVersion, '1');
    assert.equal(primary.spec.timeoutSeconds, 30);
    assert.equal(primary.spec.key, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:target:1#${primary.revisionId}`);
    const routed = await resolveFunction(deps, caller(), `arn:aws:lambda:${REGION}:${ACCOUNT}:function:target`, 'live', { random: () => 0.1 });
    assert.equal(routed.executedVersion, '2');
    assert.equal(routed.spec.timeoutSeconds, 40);
    assert.deepEqual(routed.alias, { name: 'live', functionVersion: '1', additionalVersionWeights: { 2: 0.25 } });
    assert.equal(routed.reservedConcurrency, 7);
    assert.deepEqual(routed.eventInvokeConfig, { maximumRetryAttempts: 1, maximumEventAgeInSeconds: null, onSuccess: null, onFailure: null });
    assert.equal(routed.deadLetterTargetArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`);
    assert.equal((routed.resourcePolicy?.Statement as any[])[0].Sid, 's3');
    assert.equal(routed.state.state, 'Active');
    assert.deepEqual(routed.spec.environment, { GREETING: 'hi' });
    assert.equal(routed.spec.logGroupName, '/custom/group');
    assert.equal(routed.spec.handler, 'index.handler');
    assert.ok(existsSync(join(routed.spec.codeDir, 'index.js')));

    const latest = await resolveFunction(deps, caller(), 'target');
    assert.equal(latest.qualifier, '$LATEST');
    assert.equal(latest.versionArn, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:target:$LATEST`);
    assert.equal(latest.resourcePolicy, null);
    await rejectsWith(resolveFunction(deps, caller(), 'target:nope'), 'ResourceNotFoundException',
      `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:target:nope`, 404);
    await rejectsWith(resolveFunction(deps, caller(), 'missing'), 'ResourceNotFoundException', /Function not found/, 404);
  });

  test('layers resolve to their unpacked folders, in order', async () => {
    const a = await h.call('PublishLayerVersion', { LayerName: 'la', Content: { ZipFile: makeZip([{ name: 'nodejs/a.js', data: 'a' }]) } });
    const b = await h.call('PublishLayerVersion', { LayerName: 'lb', Content: { ZipFile: makeZip([{ name: 'nodejs/b.js', data: 'b' }]) } });
    await h.fn('layered', { Layers: [b.LayerVersionArn, a.LayerVersionArn] });
    const r = await resolveFunction({ store: h.store, config: { dataDir: h.dataDir } }, caller(), 'layered');
    assert.equal(r.spec.layerDirs.length, 2);
    assert.ok(existsSync(join(r.spec.layerDirs[0], 'nodejs/b.js')));
    assert.ok(existsSync(join(r.spec.layerDirs[1], 'nodejs/a.js')));
  });

  test('function URLs resolve by their id', async () => {
    const url = await h.call('CreateFunctionUrlConfig', { FunctionName: 'layered', AuthType: 'NONE' });
    const id = /\/_signalbox\/lambda\/url\/([a-z0-9]{32})\/$/.exec(url.FunctionUrl)![1];
    const found = await resolveFunctionUrl({ store: h.store, config: { dataDir: h.dataDir } }, id);
    assert.deepEqual(found, { scope: { accountId: ACCOUNT, region: REGION }, functionName: 'layered', qualifier: '$LATEST', authType: 'NONE', cors: null, invokeMode: 'BUFFERED' });
    assert.equal(await resolveFunctionUrl({ store: h.store, config: { dataDir: h.dataDir } }, 'x'.repeat(32)), undefined);
  });
});
