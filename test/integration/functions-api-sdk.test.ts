/**
 * Lambda functions end to end: the built `signalbox start` in a child process, driven by the real
 * `@aws-sdk/client-lambda` (REST-JSON, SigV4). Create/read/update/delete, versions and aliases,
 * the SDK's waiters and paginators, modeled errors as the SDK's exception classes with AWS's
 * statuses, and everything surviving a restart. Configuration features (concurrency, event
 * invoke configs, permissions, layers, URLs, tags) are in functions-api-features.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionCommand, GetAliasCommand, GetFunctionCommand,
  GetFunctionConfigurationCommand, LambdaClient, ListAliasesCommand, ListFunctionsCommand, paginateListFunctions, paginateListVersionsByFunction,
  PublishVersionCommand, UpdateAliasCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2, waitUntilPublishedVersionActive, type CreateFunctionCommandInput, type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { codeZip, makeZip } from '../../src/services/functions/code/zip-writer.test.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let lambda: LambdaClient;
before(async () => {
  server = await startServer();
  lambda = new LambdaClient(clientConfig(server));
});
after(async () => {
  lambda?.destroy();
  await server?.dispose();
});

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
const ARN = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Asserts the SDK threw the modeled error `name` (its exception class) with `status`. */
async function fails(p: Promise<unknown>, name: string, status: number, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status, `${name}: status`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

function input(name: string, extra: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: codeZip() }, ...extra };
}

async function create(name: string, extra: Partial<CreateFunctionCommandInput> = {}): Promise<FunctionConfiguration> {
  const out = await lambda.send(new CreateFunctionCommand(input(name, extra)));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  return out;
}

async function updated(name: string): Promise<void> {
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
}

describe('CreateFunction and reads', () => {
  test('every setting, as AWS renders it; Pending until the waiter sees Active', async () => {
    const zip = codeZip('exports.handler = async () => "configured";');
    const out = await lambda.send(new CreateFunctionCommand(input('configured', {
      Code: { ZipFile: zip },
      Description: 'all the settings',
      Timeout: 30,
      MemorySize: 512,
      Environment: { Variables: { STAGE: 'test', URL: 'https://example.com' } },
      TracingConfig: { Mode: 'Active' },
      EphemeralStorage: { Size: 1024 },
      LoggingConfig: { LogFormat: 'JSON' },
      Architectures: ['arm64'],
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq` },
      Tags: { team: 'ops', env: 'test' },
    })));
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.FunctionArn, ARN('configured'));
    assert.equal(out.Version, '$LATEST');
    assert.equal(out.State, 'Pending');
    assert.equal(out.StateReasonCode, 'Creating');
    assert.equal(out.CodeSize, zip.length);
    assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.match(out.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.match(out.RevisionId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.Environment, { Variables: { STAGE: 'test', URL: 'https://example.com' } });
    assert.deepEqual(out.TracingConfig, { Mode: 'Active' });
    assert.deepEqual(out.EphemeralStorage, { Size: 1024 });
    assert.deepEqual(out.LoggingConfig, { LogFormat: 'JSON', LogGroup: '/aws/lambda/configured', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
    assert.deepEqual(out.Architectures, ['arm64']);
    assert.deepEqual(out.DeadLetterConfig, { TargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq` });
    assert.deepEqual(out.SnapStart, { ApplyOn: 'None', OptimizationStatus: 'Off' });
    assert.equal(out.PackageType, 'Zip');
    assert.match(out.RuntimeVersionConfig!.RuntimeVersionArn!, /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);

    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'configured' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'configured' }));
    assert.equal(got.Configuration?.State, 'Active');
    assert.equal(got.Configuration?.LastUpdateStatus, 'Successful');
    assert.notEqual(got.Configuration?.RevisionId, out.RevisionId);
    assert.deepEqual(got.Tags, { env: 'test', team: 'ops' });
    assert.equal(got.Concurrency, undefined);
    assert.equal(got.Code?.RepositoryType, 'S3');
    const served = await fetch(got.Code!.Location!);
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), zip);
  });

  test('names, partial and full ARNs reach the same function', async () => {
    await create('named');
    for (const name of ['named', `${ACCOUNT}:function:named`, ARN('named'), `${ARN('named')}:$LATEST`, 'named:$LATEST']) {
      const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      assert.equal(c.FunctionName, 'named', name);
    }
    const qualified = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'named', Qualifier: '$LATEST' }));
    assert.equal(qualified.FunctionArn, `${ARN('named')}:$LATEST`);
  });

  test('a provided runtime needs no handler; a bootstrap keeps its mode', async () => {
    const out = await create('custom', {
      Runtime: 'provided.al2023', Handler: undefined, Code: { ZipFile: makeZip([{ name: 'bootstrap', data: '#!/bin/sh\n', mode: 0o755 }]) },
    });
    assert.equal(out.Handler, undefined);
    assert.equal(out.Runtime, 'provided.al2023');
  });

  test('refusals, with the exception class, status and message AWS uses', async () => {
    await create('taken');
    await fails(lambda.send(new CreateFunctionCommand(input('taken'))), 'ResourceConflictException', 409, 'Function already exist: taken');
    await fails(lambda.send(new CreateFunctionCommand(input('r1', { Runtime: 'nodejs4.2' as any }))), 'InvalidParameterValueException', 400,
      /^Value nodejs4\.2 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[.*\] or be a valid ARN$/);
    await fails(lambda.send(new CreateFunctionCommand(input('r2', { Runtime: 'java21' }))), 'InvalidParameterValueException', 400, /not supported by Signalbox/);
    await fails(lambda.send(new CreateFunctionCommand(input('r3', { Runtime: 'nodejs14.x' }))), 'InvalidParameterValueException', 400,
      /The runtime parameter of nodejs14\.x is no longer supported/);
    await fails(lambda.send(new CreateFunctionCommand(input('h1', { Handler: undefined }))), 'InvalidParameterValueException', 400,
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
    await fails(lambda.send(new CreateFunctionCommand(input('role', { Role: 'not-a-role' }))), 'ValidationException', 400,
      /Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await fails(lambda.send(new CreateFunctionCommand(input('t', { Timeout: 901, MemorySize: 64 }))), 'ValidationException', 400,
      /^2 validation errors detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; Value '64' at 'memorySize'/);
    await fails(lambda.send(new CreateFunctionCommand(input('s3', { Code: { S3Bucket: 'bucket', S3Key: 'fn.zip' } }))), 'InvalidParameterValueException', 400,
      /no object store yet/);
    await fails(lambda.send(new CreateFunctionCommand(input('img', { PackageType: 'Image', Code: { ImageUri: 'repo/image:1' } }))), 'InvalidParameterValueException', 400,
      /PackageType Image/);
    await fails(lambda.send(new CreateFunctionCommand(input('corrupt', { Code: { ZipFile: Buffer.from('definitely not a zip file') } }))),
      'InvalidParameterValueException', 400, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    await fails(lambda.send(new CreateFunctionCommand(input('evil', { Code: { ZipFile: makeZip([{ name: '../../evil.js', data: 'x' }]) } }))),
      'InvalidParameterValueException', 400, /^Could not unzip uploaded file\..*climbs out/);
    await fails(lambda.send(new CreateFunctionCommand(input('env', { Environment: { Variables: { BIG: 'x'.repeat(4100) } } }))), 'InvalidParameterValueException', 400,
      /exceeded the 4KB limit/);
    await fails(lambda.send(new CreateFunctionCommand(input('env2', { Environment: { Variables: { AWS_REGION: 'x' } } }))), 'InvalidParameterValueException', 400,
      /Reserved keys used in this request: AWS_REGION/);
    await fails(lambda.send(new CreateFunctionCommand(input('env3', { Environment: { Variables: { A: 'one letter is too short' } } }))), 'ValidationException', 400,
      /^1 validation error detected: Value at 'environment\.variables' failed to satisfy constraint: Map keys must satisfy constraint/);
    await fails(lambda.send(new CreateFunctionCommand(input('lay', { Layers: [`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:none:1`] }))), 'InvalidParameterValueException', 400,
      `Layer version arn:aws:lambda:${REGION}:${ACCOUNT}:layer:none:1 does not exist.`);
    await fails(lambda.send(new CreateFunctionCommand(input('a'.repeat(65)))), 'InvalidParameterValueException', 400, /Member must have length less than or equal to 64/);
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('missing')}`);
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'taken:7' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('taken')}:7`);
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:taken` })), 'ResourceNotFoundException', 404,
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'taken:1', Qualifier: '2' })), 'InvalidParameterValueException', 400,
      'The derived qualifier from the function name does not match the specified qualifier.');
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'bad name!' })), 'ValidationException', 400, /at 'functionName' failed to satisfy constraint/);
  });
});

describe('updates', () => {
  test('configuration: InProgress, then Successful; RevisionId guards and conflicts', async () => {
    const before = await create('conf');
    const stale = before.RevisionId!;
    const current = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'conf' }))).RevisionId;
    const out = await lambda.send(new UpdateFunctionConfigurationCommand({
      FunctionName: 'conf', RevisionId: current, Timeout: 60, Description: 'updated', Environment: { Variables: { AA: '1' } }, Handler: 'main.run',
    }));
    assert.equal(out.LastUpdateStatus, 'InProgress');
    assert.equal(out.LastUpdateStatusReasonCode, 'Creating');
    // a second update while the first lands is refused, as at AWS; here the first usually lands
    // within milliseconds, so either answer is right (service.test.ts pins the refusal down)
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'conf', Timeout: 60 })).then(
      () => undefined,
      (e: any) => {
        assert.equal(e.name, 'ResourceConflictException');
        assert.equal(e.$metadata.httpStatusCode, 409);
        assert.equal(e.message, `The operation cannot be performed at this time. An update is in progress for resource: ${ARN('conf')}`);
      },
    );
    await updated('conf');
    const got = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'conf' }));
    assert.deepEqual([got.Timeout, got.Description, got.Handler, got.LastUpdateStatus], [60, 'updated', 'main.run', 'Successful']);
    assert.deepEqual(got.Environment, { Variables: { AA: '1' } });
    await fails(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'conf', RevisionId: stale, Timeout: 5 })), 'PreconditionFailedException', 412,
      /The Revision Id provided does not match the latest Revision Id/);
    await fails(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'conf', MemorySize: 20_000 })), 'ValidationException', 400,
      /Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240/);
    await fails(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'gone', Timeout: 5 })), 'ResourceNotFoundException', 404);
  });

  test('code: a new package, CodeSha256 and Publish', async () => {
    await create('code');
    const zip = codeZip('exports.handler = async () => "v2";');
    const out = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'code', ZipFile: zip, Publish: true }));
    assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(out.Version, '1');
    assert.equal(out.FunctionArn, `${ARN('code')}:1`);
    await updated('code');
    await waitUntilPublishedVersionActive({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'code', Qualifier: '1' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'code', Qualifier: '1' }));
    assert.equal(got.Configuration?.CodeSha256, out.CodeSha256);
    assert.deepEqual(Buffer.from(await (await fetch(got.Code!.Location!)).arrayBuffer()), zip);
    await fails(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'code', ZipFile: zip, RevisionId: '00000000-0000-0000-0000-000000000000' })),
      'PreconditionFailedException', 412);
    await fails(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'code', ZipFile: Buffer.from('PK\x03\x04 broken') })), 'InvalidParameterValueException', 400,
      /Could not unzip uploaded file/);
  });
});

describe('versions and aliases', () => {
  test('PublishVersion snapshots $LATEST; no change publishes nothing new; the paginator lists all', async () => {
    await create('ver', { Description: 'first' });
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.deepEqual([v1.Version, v1.FunctionArn, v1.Description], ['1', `${ARN('ver')}:1`, 'first']);
    await waitUntilPublishedVersionActive({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'ver', Qualifier: '1' });
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver', Description: 'ignored' }));
    assert.equal(again.Version, '1');
    await fails(lambda.send(new PublishVersionCommand({ FunctionName: 'ver', CodeSha256: 'AAAA' })), 'InvalidParameterValueException', 400,
      /CodeSHA256 \(AAAA\) is different from current CodeSHA256 in \$LATEST/);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Timeout: 9 }));
    await updated('ver');
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver', Description: 'second' }));
    assert.deepEqual([v2.Version, v2.Description, v2.Timeout], ['2', 'second', 9]);
    const listed: string[] = [];
    for await (const p of paginateListVersionsByFunction({ client: lambda, pageSize: 1 }, { FunctionName: 'ver' })) {
      listed.push(...(p.Versions ?? []).map((v) => `${v.Version}@${v.FunctionArn}`));
    }
    assert.deepEqual(listed, [`$LATEST@${ARN('ver')}:$LATEST`, `1@${ARN('ver')}:1`, `2@${ARN('ver')}:2`]);
  });

  test('aliases: create, read through, route, update, list, delete; versions they use stay', async () => {
    await waitUntilPublishedVersionActive({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'ver', Qualifier: '2' });
    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    assert.equal(alias.$metadata.httpStatusCode, 201);
    assert.deepEqual([alias.AliasArn, alias.Name, alias.FunctionVersion, alias.Description], [`${ARN('ver')}:live`, 'live', '1', 'prod']);
    const through = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver:live' }));
    assert.deepEqual([through.FunctionArn, through.Version], [`${ARN('ver')}:live`, '1']);

    const routed = await lambda.send(new UpdateAliasCommand({
      FunctionName: 'ver', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { 2: 0.1 } }, RevisionId: alias.RevisionId,
    }));
    assert.deepEqual(routed.RoutingConfig, { AdditionalVersionWeights: { 2: 0.1 } });
    assert.notEqual(routed.RevisionId, alias.RevisionId);
    await fails(lambda.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'live', RevisionId: alias.RevisionId })), 'PreconditionFailedException', 412);
    await lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'edge', FunctionVersion: '$LATEST' }));
    const byVersion = await lambda.send(new ListAliasesCommand({ FunctionName: 'ver', FunctionVersion: '$LATEST' }));
    assert.deepEqual(byVersion.Aliases?.map((a) => a.Name), ['edge']);
    const all = await lambda.send(new ListAliasesCommand({ FunctionName: 'ver' }));
    assert.deepEqual(all.Aliases?.map((a) => a.Name), ['edge', 'live']);

    await fails(lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1' })), 'ResourceConflictException', 409,
      `Alias already exists: ${ARN('ver')}:live`);
    await fails(lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'x', FunctionVersion: '9' })), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN('ver')}:9`);
    await fails(lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: '123', FunctionVersion: '1' })), 'ValidationException', 400, /at 'name'/);
    await fails(lambda.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'nope' })), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN('ver')}:nope`);
    await fails(lambda.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'edge', RoutingConfig: { AdditionalVersionWeights: { 1: 0.5 } } })),
      'InvalidParameterValueException', 400, '$LATEST is not supported for an alias pointing to more than 1 version');
    await fails(lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '2' })), 'ResourceConflictException', 409, /aliases reference it: \[live\]/);
    await fails(lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '$LATEST' })), 'InvalidParameterValueException', 400,
      '$LATEST version cannot be deleted without deleting the function.');

    await lambda.send(new DeleteAliasCommand({ FunctionName: 'ver', Name: 'live' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '2' }));
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'ver', Qualifier: '2' })), 'ResourceNotFoundException', 404);
    const v3 = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }));
    assert.equal(v3.Version, '3', 'version numbers are never reused');
  });
});

describe('listing and deleting', () => {
  test('ListFunctions pages with Marker/MaxItems; FunctionVersion=ALL lists versions', async () => {
    for (const n of ['list-a', 'list-b', 'list-c']) await lambda.send(new CreateFunctionCommand(input(n)));
    const names: string[] = [];
    let pages = 0;
    for await (const p of paginateListFunctions({ client: lambda, pageSize: 2 }, {})) {
      pages++;
      names.push(...(p.Functions ?? []).map((f) => f.FunctionName!));
      for (const f of p.Functions ?? []) assert.equal(f.State, undefined, 'lists leave the lifecycle out');
    }
    assert.ok(pages >= 5);
    for (const n of ['list-a', 'list-b', 'list-c', 'configured', 'ver']) assert.ok(names.includes(n), n);
    assert.deepEqual([...names].sort(), names, 'ordered by name');
    const all = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 50 }));
    const ver = all.Functions!.filter((f) => f.FunctionName === 'ver').map((f) => f.FunctionArn);
    assert.deepEqual(ver, [`${ARN('ver')}:$LATEST`, `${ARN('ver')}:1`, `${ARN('ver')}:3`]);
    await fails(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), 'ValidationException', 400);
  });

  test('DeleteFunction removes the function with everything it owns', async () => {
    await create('doomed', { Publish: true });
    await lambda.send(new CreateAliasCommand({ FunctionName: 'doomed', Name: 'a', FunctionVersion: '1' }));
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: ARN('doomed') }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await fails(lambda.send(new GetFunctionCommand({ FunctionName: 'doomed' })), 'ResourceNotFoundException', 404);
    await fails(lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' })), 'ResourceNotFoundException', 404);
    await create('doomed');
    const fresh = await lambda.send(new PublishVersionCommand({ FunctionName: 'doomed' }));
    assert.equal(fresh.Version, '1', 'a new function counts its versions from 1');
  });
});

describe('restart', () => {
  test('functions, versions, aliases and code survive a restart', async () => {
    await create('durable', { Publish: true, Tags: { keep: 'me' } });
    await lambda.send(new CreateAliasCommand({ FunctionName: 'durable', Name: 'prod', FunctionVersion: '1' }));
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'durable:prod' }));
    await server.restart();
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: 'durable:prod' }));
    assert.deepEqual(after.Configuration, before.Configuration);
    assert.deepEqual(after.Tags, { keep: 'me' });
    assert.equal((await fetch(after.Code!.Location!)).status, 200);
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 50 }));
    assert.ok(listed.Functions!.some((f) => f.FunctionName === 'durable'));
  });
});
