/**
 * CloudWatch dashboards end to end: the built `signalbox start` in a child process, driven by the
 * real `@aws-sdk/client-cloudwatch` over each wire protocol CloudWatch speaks: AWS JSON 1.0 (the
 * client's default), Smithy RPC v2 CBOR and Query. Each protocol runs the same checks on its own
 * dashboard names (dashboards are global to the account, so names keep the protocols apart):
 * put/get/list/delete, the body refusal with `dashboardValidationMessages` as the SDK reads it,
 * warnings, names, missing dashboards. Then one smoke path per AWS CLI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchClient, DeleteDashboardsCommand, GetDashboardCommand, ListDashboardsCommand, PutDashboardCommand, paginateListDashboards,
} from '@aws-sdk/client-cloudwatch';
import { BOTH_CLIS, cliOk } from '../helpers/aws-cli.js';
import { CLOUDWATCH_PROTOCOLS, rejectsAws } from '../helpers/cloudwatch.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const BODY = JSON.stringify({
  widgets: [
    { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345']], period: 300, stat: 'Average', region: 'us-east-1', title: 'CPU' } },
    { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello world' } },
  ],
});
const EMPTY = '{"widgets":[]}';
/** refused by AWS with these two messages (captured) */
const INVALID = JSON.stringify({ widgets: [{ type: 'metric', properties: { metrics: [['AWS/ECS', 'CPUUtilization', { ClusterName: 'c' }], ['AWS/ECS', 'MemoryUtilization', { ClusterName: 'c' }]], region: 'us-east-1' } }] });
const INVALID_MESSAGES = [
  { DataPath: '/widgets/0/properties/metrics/0', Message: 'Should NOT have more than 2 items' },
  { DataPath: '/widgets/0/properties/metrics/1', Message: 'Should NOT have more than 2 items' },
];

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const fails = (p: Promise<unknown>, name: string, status: number) => rejectsAws(p, { name, status });

for (const { label, prefix, extra } of CLOUDWATCH_PROTOCOLS) {
  describe(`CloudWatch dashboards over ${label}`, () => {
    let cw: CloudWatchClient;
    const name = (n: string) => `${prefix}-${n}`;
    before(() => {
      cw = new CloudWatchClient({ ...clientConfig(server), ...extra });
    });
    after(() => cw?.destroy());

    test('put, get, list, replace, delete', async () => {
      const before = Date.now();
      const put = await cw.send(new PutDashboardCommand({ DashboardName: name('main'), DashboardBody: BODY }));
      assert.deepEqual(put.DashboardValidationMessages ?? [], []);
      const got = await cw.send(new GetDashboardCommand({ DashboardName: name('main') }));
      assert.equal(got.DashboardName, name('main'));
      assert.equal(got.DashboardBody, BODY);
      assert.equal(got.DashboardArn, `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${name('main')}`);

      await cw.send(new PutDashboardCommand({ DashboardName: name('second'), DashboardBody: EMPTY }));
      const listed = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: `${prefix}-` }));
      assert.equal(listed.NextToken, undefined);
      assert.deepEqual(listed.DashboardEntries!.map((e) => e.DashboardName), [name('main'), name('second')]);
      const [main, second] = listed.DashboardEntries!;
      assert.equal(main.DashboardArn, got.DashboardArn);
      assert.equal(main.Size, Buffer.byteLength(BODY));
      assert.equal(second.Size, EMPTY.length);
      assert.ok(main.LastModified instanceof Date);
      assert.ok(Math.abs(main.LastModified.getTime() - before) < 60_000, `LastModified ${main.LastModified.toISOString()}`);

      // a second put replaces the whole body
      await cw.send(new PutDashboardCommand({ DashboardName: name('main'), DashboardBody: EMPTY }));
      assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: name('main') }))).DashboardBody, EMPTY);

      // the paginator walks the same entries
      const paged: string[] = [];
      for await (const page of paginateListDashboards({ client: cw }, { DashboardNamePrefix: `${prefix}-` })) {
        paged.push(...page.DashboardEntries!.map((e) => e.DashboardName!));
      }
      assert.deepEqual(paged, [name('main'), name('second')]);

      await cw.send(new DeleteDashboardsCommand({ DashboardNames: [name('main'), name('second')] }));
      assert.deepEqual((await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: `${prefix}-` }))).DashboardEntries ?? [], []);
    });

    test('an invalid body: DashboardInvalidInputError with dashboardValidationMessages; nothing saved', async () => {
      const err = await fails(cw.send(new PutDashboardCommand({ DashboardName: name('bad'), DashboardBody: INVALID })), 'DashboardInvalidInputError', 400);
      assert.deepEqual(err.dashboardValidationMessages, INVALID_MESSAGES);
      assert.match(err.message, /^The dashboard body is invalid, there are 2 validation errors:\n\[\n {2}\{\n {4}"dataPath": "\/widgets\/0\/properties\/metrics\/0",/);
      // one message is still a list
      const one = await fails(
        cw.send(new PutDashboardCommand({ DashboardName: name('bad'), DashboardBody: '{"widgets":[{"type":"graph","properties":{}}]}' })),
        'DashboardInvalidInputError', 400,
      );
      assert.deepEqual(one.dashboardValidationMessages, [{ DataPath: '/widgets/0/type', Message: 'Should be equal to one of the allowed values' }]);
      const notJson = await fails(cw.send(new PutDashboardCommand({ DashboardName: name('bad'), DashboardBody: 'nope' })), 'DashboardInvalidInputError', 400);
      assert.equal(notJson.message, 'The field DashboardBody must be a valid JSON object');
      await fails(cw.send(new GetDashboardCommand({ DashboardName: name('bad') })), 'ResourceNotFound', 404);
    });

    test('warnings come back with the saved dashboard', async () => {
      const body = '{"widgets":[{"type":"text","properties":{"markdown":"x"},"colour":"red"}]}';
      const put = await cw.send(new PutDashboardCommand({ DashboardName: name('warned'), DashboardBody: body }));
      assert.deepEqual(put.DashboardValidationMessages, [
        { DataPath: '/widgets/0', Message: 'The "colour" property is not expected to be part of a widget definition, will be ignored' },
      ]);
      assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: name('warned') }))).DashboardBody, body);
      await cw.send(new DeleteDashboardsCommand({ DashboardNames: [name('warned')] }));
    });

    test('missing dashboards: ResourceNotFound (404); a delete with one missing name deletes none', async () => {
      const missing = await fails(cw.send(new GetDashboardCommand({ DashboardName: name('absent') })), 'ResourceNotFound', 404);
      assert.equal(missing.message, `Dashboard ${name('absent')} does not exist`);
      await cw.send(new PutDashboardCommand({ DashboardName: name('kept'), DashboardBody: EMPTY }));
      await fails(cw.send(new DeleteDashboardsCommand({ DashboardNames: [name('kept'), name('absent')] })), 'ResourceNotFound', 404);
      assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: name('kept') }))).DashboardName, name('kept'));
      await cw.send(new DeleteDashboardsCommand({ DashboardNames: [name('kept')] }));
      await fails(cw.send(new GetDashboardCommand({ DashboardName: name('kept') })), 'ResourceNotFound', 404);
    });

    test('bad names and tokens', async () => {
      const bad = await fails(cw.send(new PutDashboardCommand({ DashboardName: `${prefix} with spaces`, DashboardBody: EMPTY })), 'InvalidParameterValueException', 400);
      assert.equal(bad.message, `The value ${prefix} with spaces for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`);
      await fails(cw.send(new PutDashboardCommand({ DashboardName: 'x'.repeat(256), DashboardBody: EMPTY })), 'InvalidParameterValueException', 400);
      await fails(cw.send(new ListDashboardsCommand({ NextToken: 'not-a-token' })), 'InvalidNextToken', 400);
    });
  });
}

const ok = cliOk;

const CLIS = BOTH_CLIS.map((c) => ({ ...c, prefix: c.cli === 'v1' ? 'cli1' : 'cli2' }));

for (const { label, run, prefix, skip } of CLIS) {
  describe(label, { skip }, () => {
    test('put-dashboard, get-dashboard, list-dashboards, delete-dashboards, errors', async () => {
      const name = `${prefix}-smoke`;
      const put = ok(await run(server, ['cloudwatch', 'put-dashboard', '--dashboard-name', name, '--dashboard-body', BODY])).json;
      assert.deepEqual(put.DashboardValidationMessages ?? [], []);
      const got = ok(await run(server, ['cloudwatch', 'get-dashboard', '--dashboard-name', name])).json;
      assert.deepEqual(got, { DashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${name}`, DashboardBody: BODY, DashboardName: name });
      const listed = ok(await run(server, ['cloudwatch', 'list-dashboards', '--dashboard-name-prefix', prefix])).json;
      assert.equal(listed.DashboardEntries.length, 1);
      assert.equal(listed.DashboardEntries[0].DashboardName, name);
      assert.equal(listed.DashboardEntries[0].Size, Buffer.byteLength(BODY));

      const invalid = await run(server, ['cloudwatch', 'put-dashboard', '--dashboard-name', `${prefix}-bad`, '--dashboard-body', INVALID]);
      assert.notEqual(invalid.code, 0);
      assert.match(invalid.stderr, /InvalidParameterInput/);
      assert.match(invalid.stderr, /The dashboard body is invalid, there are 2 validation errors/);

      ok(await run(server, ['cloudwatch', 'delete-dashboards', '--dashboard-names', name]));
      const missing = await run(server, ['cloudwatch', 'get-dashboard', '--dashboard-name', name]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /ResourceNotFound/);
      assert.match(missing.stderr, new RegExp(`Dashboard ${name} does not exist`));
    });
  });
}
