/**
 * Lambda through both real AWS CLIs, as a user types it: `aws` (v1, botocore 1.43) and
 * `/usr/bin/aws` (Debian's v2.9). create-function with --zip-file fileb://, the waiter,
 * get-function (and its Code.Location), list-functions, publish-version, create-alias,
 * delete-function. Breadth lives in functions-api-sdk.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { codeZip } from '../../src/services/functions/code/zip-writer.test.js';
import { BOTH_CLIS, cliOk } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const work = mkdtempSync(join(tmpdir(), 'sbx-lambda-cli-'));
const zipPath = join(work, 'function.zip');
const zip = codeZip('exports.handler = async (event) => ({ from: "cli", event });\n');
writeFileSync(zipPath, zip);

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

for (const cli of BOTH_CLIS) {
  describe(cli.label, { skip: cli.skip && 'Debian awscli is not installed (scripts/test-setup.sh installs it)' }, () => {
    const name = `cli-${cli.cli}`;
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

    test('create-function --zip-file fileb://, wait, get-function, list-functions', async () => {
      const created = cliOk(await cli.run(server, [
        'lambda', 'create-function', '--function-name', name, '--runtime', 'nodejs20.x', '--role', ROLE, '--handler', 'index.handler',
        '--zip-file', `fileb://${zipPath}`, '--timeout', '10', '--environment', 'Variables={STAGE=cli}', '--tags', 'team=ops',
      ])).json;
      assert.deepEqual([created.FunctionName, created.FunctionArn, created.State, created.Timeout], [name, arn, 'Pending', 10]);
      assert.equal(created.CodeSha256, createHash('sha256').update(zip).digest('base64'));
      cliOk(await cli.run(server, ['lambda', 'wait', 'function-active-v2', '--function-name', name]));

      const got = cliOk(await cli.run(server, ['lambda', 'get-function', '--function-name', name])).json;
      assert.equal(got.Configuration.State, 'Active');
      assert.deepEqual(got.Configuration.Environment, { Variables: { STAGE: 'cli' } });
      assert.deepEqual(got.Tags, { team: 'ops' });
      const served = await fetch(got.Code.Location);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), zip);

      const listed = cliOk(await cli.run(server, ['lambda', 'list-functions'])).json;
      assert.ok(listed.Functions.some((f: any) => f.FunctionName === name));
    });

    test('publish-version, create-alias, read through the alias', async () => {
      const version = cliOk(await cli.run(server, ['lambda', 'publish-version', '--function-name', name, '--description', 'first'])).json;
      assert.deepEqual([version.Version, version.FunctionArn, version.Description], ['1', `${arn}:1`, 'first']);
      const alias = cliOk(await cli.run(server, ['lambda', 'create-alias', '--function-name', name, '--name', 'live', '--function-version', '1'])).json;
      assert.deepEqual([alias.AliasArn, alias.FunctionVersion], [`${arn}:live`, '1']);
      const conf = cliOk(await cli.run(server, ['lambda', 'get-function-configuration', '--function-name', name, '--qualifier', 'live'])).json;
      assert.deepEqual([conf.FunctionArn, conf.Version], [`${arn}:live`, '1']);
    });

    test('errors are AWS errors; delete-function (a version, then the function)', async () => {
      const missing = await cli.run(server, ['lambda', 'get-function', '--function-name', `${name}-missing`]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /ResourceNotFoundException/);
      assert.match(missing.stderr, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:cli-v\d-missing/);
      const busy = await cli.run(server, ['lambda', 'delete-function', '--function-name', name, '--qualifier', '1']);
      assert.notEqual(busy.code, 0);
      assert.match(busy.stderr, /ResourceConflictException/);
      cliOk(await cli.run(server, ['lambda', 'delete-alias', '--function-name', name, '--name', 'live']));
      cliOk(await cli.run(server, ['lambda', 'delete-function', '--function-name', name, '--qualifier', '1']));
      cliOk(await cli.run(server, ['lambda', 'delete-function', '--function-name', arn]));
      const gone = await cli.run(server, ['lambda', 'get-function', '--function-name', name]);
      assert.match(gone.stderr, /ResourceNotFoundException/);
    });
  });
}
