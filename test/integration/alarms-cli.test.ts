/**
 * CloudWatch alarms through both real AWS CLIs, as a user types them: `aws` (v1, botocore 1.43:
 * JSON 1.0) and `/usr/bin/aws` (Debian's v2.9: Query). Breadth lives in alarms-sdk.test.ts; this
 * is one smoke path per CLI — put-metric-alarm, set-alarm-state, describe-alarms,
 * describe-alarm-history, delete-alarms — and one error path, six calls each (a CLI call costs
 * about a second). The two CLIs run side by side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BOTH_CLIS, cliOk } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const ok = cliOk;

const CLIS = BOTH_CLIS.map((c) => ({ ...c, prefix: c.cli === 'v1' ? 'v1' : 'v2' }));

describe('CloudWatch alarms through the AWS CLIs', { concurrency: true }, () => {
  for (const { label, run, prefix, skip } of CLIS) {
    test(`${label}: put, set state, describe, history, delete; a missing alarm`, { skip }, async () => {
      const name = `${prefix}-App_Monitorado-4xx`;
      // a put answers nothing
      const put = ok(await run(server, ['cloudwatch', 'put-metric-alarm', '--alarm-name', name, '--alarm-description', 'S1 from the CLI',
        '--namespace', 'AWS/ElasticBeanstalk', '--metric-name', 'ApplicationRequests4xx', '--dimensions', 'Name=EnvironmentName,Value=App_Monitorado',
        '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '5', '--comparison-operator', 'GreaterThanThreshold',
        '--treat-missing-data', 'ignore', '--alarm-actions', `arn:aws:sns:us-east-1:000000000000:${prefix}-alarms`]));
      assert.equal(put.stdout.trim(), '');
      ok(await run(server, ['cloudwatch', 'set-alarm-state', '--alarm-name', name, '--state-value', 'ALARM', '--state-reason', 'testing from the CLI',
        '--state-reason-data', '{"by":"cli"}']));

      const described = ok(await run(server, ['cloudwatch', 'describe-alarms', '--alarm-names', name])).json;
      assert.deepEqual(described.CompositeAlarms ?? [], []);
      assert.equal(described.MetricAlarms.length, 1);
      const a = described.MetricAlarms[0];
      assert.equal(a.AlarmArn, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`);
      assert.equal(a.AlarmDescription, 'S1 from the CLI');
      assert.deepEqual(a.Dimensions, [{ Name: 'EnvironmentName', Value: 'App_Monitorado' }]);
      assert.equal(a.Statistic, 'Sum');
      assert.equal(a.Period, 60);
      assert.equal(a.Threshold, 5);
      assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
      assert.deepEqual(a.AlarmActions, [`arn:aws:sns:us-east-1:000000000000:${prefix}-alarms`]);
      assert.equal(a.StateValue, 'ALARM');
      assert.equal(a.StateReason, 'testing from the CLI');
      assert.equal(a.StateReasonData, '{"by":"cli"}');
      // CLI v1 shows a timestamp as it came over the wire (JSON: epoch seconds), v2 as ISO 8601
      const updated = typeof a.StateUpdatedTimestamp === 'number' ? a.StateUpdatedTimestamp * 1000 : Date.parse(a.StateUpdatedTimestamp);
      assert.ok(Math.abs(updated - Date.now()) < 120_000, `timestamp ${a.StateUpdatedTimestamp}`);

      const history = ok(await run(server, ['cloudwatch', 'describe-alarm-history', '--alarm-name', name, '--scan-by', 'TimestampAscending'])).json;
      assert.deepEqual(history.AlarmHistoryItems.map((i: any) => `${i.HistoryItemType}: ${i.HistorySummary}`), [
        `ConfigurationUpdate: Alarm "${name}" created`,
        'StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM',
        `Action: Successfully executed action arn:aws:sns:us-east-1:000000000000:${prefix}-alarms`,
      ]);
      assert.equal(JSON.parse(history.AlarmHistoryItems[1].HistoryData).newState.stateReasonData.by, 'cli');

      ok(await run(server, ['cloudwatch', 'delete-alarms', '--alarm-names', name]));
      // the error path, which also shows that the alarm is gone
      const missing = await run(server, ['cloudwatch', 'set-alarm-state', '--alarm-name', name, '--state-value', 'OK', '--state-reason', 'gone?']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /\(ResourceNotFound\) when calling the SetAlarmState operation/);
      assert.match(missing.stderr, new RegExp(`${name}`));
    });
  }
});
