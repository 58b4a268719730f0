/**
 * CloudWatch Logs through both real AWS CLIs, as a user types it: `aws` (v1, botocore 1.43) and
 * `/usr/bin/aws` (Debian's v2.9), AWS JSON 1.1 either way. Breadth lives in logs-sdk.test.ts;
 * this is the smoke path per CLI, plus v2's `aws logs tail` with `--since` and `--follow` (v1 has
 * no `tail`), which polls FilterLogEvents.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { aws1, aws2, AWS2_PATH, cliOk, hasAws2 } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const events = (...e: Array<[number, string]>) => JSON.stringify(e.map(([timestamp, message]) => ({ timestamp, message })));

describe('aws CLI v1 (botocore 1.43)', () => {
  test('group, stream, put, get, filter, describe; errors exit non-zero with the AWS code', async () => {
    cliOk(await aws1(server, ['logs', 'create-log-group', '--log-group-name', '/cli/v1', '--tags', 'team=core']));
    cliOk(await aws1(server, ['logs', 'create-log-stream', '--log-group-name', '/cli/v1', '--log-stream-name', 'main']));
    const now = Date.now();
    const put = cliOk(await aws1(server, ['logs', 'put-log-events', '--log-group-name', '/cli/v1', '--log-stream-name', 'main',
      '--log-events', events([now - 2, 'INFO started'], [now - 1, 'ERROR disk full'], [now, 'INFO done'])]));
    assert.match(put.json.nextSequenceToken, /^\d+$/);

    const got = cliOk(await aws1(server, ['logs', 'get-log-events', '--log-group-name', '/cli/v1', '--log-stream-name', 'main', '--start-from-head']));
    assert.deepEqual(got.json.events.map((e: any) => e.message), ['INFO started', 'ERROR disk full', 'INFO done']);
    assert.match(got.json.nextForwardToken, /^f\//);

    const filtered = cliOk(await aws1(server, ['logs', 'filter-log-events', '--log-group-name', '/cli/v1', '--filter-pattern', 'ERROR']));
    assert.deepEqual(filtered.json.events.map((e: any) => [e.logStreamName, e.message]), [['main', 'ERROR disk full']]);

    const groups = cliOk(await aws1(server, ['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/v1']));
    assert.equal(groups.json.logGroups[0].logGroupName, '/cli/v1');
    const streams = cliOk(await aws1(server, ['logs', 'describe-log-streams', '--log-group-name', '/cli/v1']));
    assert.equal(streams.json.logStreams[0].lastEventTimestamp, now);

    const dup = await aws1(server, ['logs', 'create-log-group', '--log-group-name', '/cli/v1']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /ResourceAlreadyExistsException/);
    const missing = await aws1(server, ['logs', 'get-log-events', '--log-group-name', '/cli/v1', '--log-stream-name', 'nope']);
    assert.match(missing.stderr, /ResourceNotFoundException.*The specified log stream does not exist\./);
  });
});

describe('Debian CLI v2.9', { skip: !hasAws2 }, () => {
  test('metric filter and retention round trip', async () => {
    cliOk(await aws2(server, ['logs', 'create-log-group', '--log-group-name', '/cli/v2']));
    cliOk(await aws2(server, ['logs', 'put-retention-policy', '--log-group-name', '/cli/v2', '--retention-in-days', '30']));
    cliOk(await aws2(server, ['logs', 'put-metric-filter', '--log-group-name', '/cli/v2', '--filter-name', 'errors', '--filter-pattern', 'ERROR',
      '--metric-transformations', 'metricName=Errors,metricNamespace=CliLogs,metricValue=1']));
    const filters = cliOk(await aws2(server, ['logs', 'describe-metric-filters', '--log-group-name', '/cli/v2']));
    assert.equal(filters.json.metricFilters[0].metricTransformations[0].metricName, 'Errors');
    const groups = cliOk(await aws2(server, ['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/v2']));
    assert.deepEqual([groups.json.logGroups[0].retentionInDays, groups.json.logGroups[0].metricFilterCount], [30, 1]);
    const bad = await aws2(server, ['logs', 'put-retention-policy', '--log-group-name', '/cli/v2', '--retention-in-days', '2']);
    assert.match(bad.stderr, /InvalidParameterException/);
  });

  test('tail prints the events since --since', async () => {
    cliOk(await aws2(server, ['logs', 'create-log-group', '--log-group-name', '/cli/tail']));
    cliOk(await aws2(server, ['logs', 'create-log-stream', '--log-group-name', '/cli/tail', '--log-stream-name', 'app']));
    const now = Date.now();
    cliOk(await aws2(server, ['logs', 'put-log-events', '--log-group-name', '/cli/tail', '--log-stream-name', 'app',
      '--log-events', events([now - 2 * 3600 * 1000, 'two hours ago'], [now - 60_000, 'a minute ago'])]));
    const recent = cliOk(await aws2(server, ['logs', 'tail', '/cli/tail', '--since', '1h', '--format', 'short']));
    assert.match(recent.stdout, /a minute ago/);
    assert.doesNotMatch(recent.stdout, /two hours ago/);
    const both = cliOk(await aws2(server, ['logs', 'tail', '/cli/tail', '--since', '3h']));
    const lines = both.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /app two hours ago$/);
    assert.match(lines[1], /app a minute ago$/);
    const filtered = cliOk(await aws2(server, ['logs', 'tail', '/cli/tail', '--since', '3h', '--filter-pattern', 'hours']));
    assert.equal(filtered.stdout.trim(), both.stdout.trim().split('\n')[0]);
  });

  test('tail --follow prints what exists, then what arrives while it runs', async () => {
    cliOk(await aws2(server, ['logs', 'create-log-group', '--log-group-name', '/cli/follow']));
    cliOk(await aws2(server, ['logs', 'create-log-stream', '--log-group-name', '/cli/follow', '--log-stream-name', 'app']));
    cliOk(await aws2(server, ['logs', 'put-log-events', '--log-group-name', '/cli/follow', '--log-stream-name', 'app',
      '--log-events', events([Date.now() - 1000, 'before follow'])]));

    const child = spawn(AWS2_PATH, ['--endpoint-url', server.url, 'logs', 'tail', '/cli/follow', '--follow', '--format', 'short'], {
      env: {
        ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', PYTHONUNBUFFERED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const waitFor = async (re: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!re.test(out)) {
        assert.ok(Date.now() < deadline, `tail --follow did not print ${re} within ${ms} ms; stdout: ${out}; stderr: ${err}`);
        assert.equal(child.exitCode, null, `tail exited early: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(/before follow/, 15_000);
      cliOk(await aws2(server, ['logs', 'put-log-events', '--log-group-name', '/cli/follow', '--log-stream-name', 'app',
        '--log-events', events([Date.now(), 'while following'])]));
      // the CLI polls every 5 s
      await waitFor(/while following/, 15_000);
      assert.equal(out.match(/before follow/g)?.length, 1, 'an event was printed twice');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
