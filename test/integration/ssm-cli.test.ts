/**
 * Parameter Store through both real AWS CLIs, as a user types it:
 * `aws` (v1, botocore 1.43) and `/usr/bin/aws` (Debian's v2.9). JSON 1.1 either way.
 * Breadth lives in ssm-sdk.test.ts; this is the smoke path per CLI.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { aws1, aws2, hasAws2, type CliResult } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const SECRET = 'https://hooks.slack.com/services/T0/B0/cli-s3cr3t';

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, `CLI failed (${r.code}): ${r.stderr}`);
  return r;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('aws CLI v1 (botocore 1.43)', () => {
  test('SecureString round trip: put, get with and without decryption, by path, history, delete', async () => {
    // CLI v1 fetches any argument that starts with https:// (cli_follow_urlparam): AWS's advice
    // is --cli-input-json, which is also how scripts pass such values.
    const input = JSON.stringify({ Name: '/cli/v1/slack', Type: 'SecureString', Value: SECRET });
    const put = ok(await aws1(server, ['ssm', 'put-parameter', '--cli-input-json', input]));
    assert.equal(put.json.Version, 1);
    assert.equal(put.json.Tier, 'Standard');

    const dec = ok(await aws1(server, ['ssm', 'get-parameter', '--name', '/cli/v1/slack', '--with-decryption']));
    assert.equal(dec.json.Parameter.Value, SECRET);
    assert.equal(dec.json.Parameter.Type, 'SecureString');
    assert.equal(dec.json.Parameter.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/cli/v1/slack');

    const enc = ok(await aws1(server, ['ssm', 'get-parameter', '--name', '/cli/v1/slack']));
    assert.notEqual(enc.json.Parameter.Value, SECRET);
    assert.ok(!enc.json.Parameter.Value.includes('s3cr3t'));

    ok(await aws1(server, ['ssm', 'put-parameter', '--name', '/cli/v1/plain', '--type', 'String', '--value', 'one']));
    ok(await aws1(server, ['ssm', 'put-parameter', '--name', '/cli/v1/plain', '--type', 'String', '--value', 'two', '--overwrite']));
    const byPath = ok(await aws1(server, ['ssm', 'get-parameters-by-path', '--path', '/cli/v1', '--with-decryption']));
    assert.deepEqual(byPath.json.Parameters.map((p: any) => [p.Name, p.Value]).sort(), [['/cli/v1/plain', 'two'], ['/cli/v1/slack', SECRET]]);
    const history = ok(await aws1(server, ['ssm', 'get-parameter-history', '--name', '/cli/v1/plain']));
    assert.deepEqual(history.json.Parameters.map((p: any) => p.Value), ['one', 'two']);

    ok(await aws1(server, ['ssm', 'delete-parameter', '--name', '/cli/v1/plain']));
    const gone = await aws1(server, ['ssm', 'get-parameter', '--name', '/cli/v1/plain']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /ParameterNotFound/);
  });

  test('a wrong secret is refused with InvalidSignatureException', async () => {
    const r = await aws1(server, ['ssm', 'get-parameter', '--name', '/cli/v1/slack'], { AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /InvalidSignatureException/);
  });

  test('the SecureString is not in the data dir in clear', () => {
    for (const f of filesUnder(server.dataDir)) {
      assert.ok(!readFileSync(f).includes('cli-s3cr3t'), `plaintext found in ${f}`);
    }
  });
});

describe('aws CLI v2 (Debian awscli 2.9)', { skip: !hasAws2 && 'Debian awscli is not installed (scripts/test-setup.sh installs it)' }, () => {
  test('reads what v1 wrote, writes a StringList, and sees a wrong key refused', async () => {
    const dec = ok(await aws2(server, ['ssm', 'get-parameter', '--name', '/cli/v1/slack', '--with-decryption']));
    assert.equal(dec.json.Parameter.Value, SECRET);

    ok(await aws2(server, ['ssm', 'put-parameter', '--name', '/cli/v2/list', '--type', 'StringList', '--value', 'a,b,c']));
    const got = ok(await aws2(server, ['ssm', 'get-parameters', '--names', '/cli/v2/list', '/cli/v2/missing']));
    assert.equal(got.json.Parameters[0].Value, 'a,b,c');
    assert.equal(got.json.Parameters[0].Type, 'StringList');
    assert.deepEqual(got.json.InvalidParameters, ['/cli/v2/missing']);

    const bad = await aws2(server, ['ssm', 'get-parameter', '--name', '/cli/v2/list'], { AWS_ACCESS_KEY_ID: 'AKIANOBODY' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /UnrecognizedClientException/);
  });
});
