/**
 * The alarm operations alarms-cli.test.ts does not type, through both real CLIs side by side:
 * put-composite-alarm, describe-alarms-for-metric, disable-/enable-alarm-actions,
 * tag-resource, list-tags-for-resource, untag-resource — so every CloudWatch operation Signalbox
 * serves has run on `aws` (v1, JSON 1.0) and `/usr/bin/aws` (v2.9, Query) at least once.
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

const CLIS = BOTH_CLIS.map((c) => ({ ...c, prefix: c.cli === 'v1' ? 'b1' : 'b2' }));

describe('the other alarm operations through the AWS CLIs', { concurrency: true }, () => {
  for (const { label, run, prefix, skip } of CLIS) {
    test(`${label}: composite, alarms for a metric, actions off and on, tags`, { skip }, async () => {
      const child = `${prefix}-disk`;
      const arn = `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${child}`;
      ok(await run(server, ['cloudwatch', 'put-metric-alarm', '--alarm-name', child, '--namespace', 'Ops', '--metric-name', `${prefix}DiskUsed`,
        '--dimensions', 'Name=Host,Value=db-1', '--statistic', 'Maximum', '--period', '300', '--evaluation-periods', '2', '--threshold', '90',
        '--comparison-operator', 'GreaterThanOrEqualToThreshold', '--tags', 'Key=team,Value=storage']));
      ok(await run(server, ['cloudwatch', 'put-composite-alarm', '--alarm-name', `${prefix}-any`, '--alarm-rule', `ALARM("${child}") OR FALSE`]));

      const forMetric = ok(await run(server, ['cloudwatch', 'describe-alarms-for-metric', '--namespace', 'Ops', '--metric-name', `${prefix}DiskUsed`,
        '--dimensions', 'Name=Host,Value=db-1'])).json;
      assert.deepEqual(forMetric.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName), [child]);

      ok(await run(server, ['cloudwatch', 'disable-alarm-actions', '--alarm-names', child]));
      const off = ok(await run(server, ['cloudwatch', 'describe-alarms', '--alarm-names', child])).json;
      assert.equal(off.MetricAlarms[0].ActionsEnabled, false);
      ok(await run(server, ['cloudwatch', 'enable-alarm-actions', '--alarm-names', child]));
      const composite = ok(await run(server, ['cloudwatch', 'describe-alarms', '--alarm-types', 'MetricAlarm', 'CompositeAlarm', '--alarm-name-prefix', prefix])).json;
      assert.equal(composite.MetricAlarms[0].ActionsEnabled, true);
      assert.equal(composite.CompositeAlarms[0].AlarmRule, `ALARM("${child}") OR FALSE`);

      ok(await run(server, ['cloudwatch', 'tag-resource', '--resource-arn', arn, '--tags', 'Key=tier,Value=db']));
      ok(await run(server, ['cloudwatch', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team']));
      const tags = ok(await run(server, ['cloudwatch', 'list-tags-for-resource', '--resource-arn', arn])).json;
      assert.deepEqual(tags.Tags, [{ Key: 'tier', Value: 'db' }]);
    });
  }
});
