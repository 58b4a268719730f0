/**
 * Schedule expressions (AWS's documented rate and cron forms) and schedule rules firing under a
 * clock the test moves by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { ACCOUNT, REGION, harness, until } from './harness.test.js';
import { nextFire, parseSchedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, after: string) => {
  const s = parseSchedule(expr);
  assert.ok(s, `${expr} parses`);
  const n = nextFire(s, at(after), at(after));
  return n === null ? null : new Date(n).toISOString();
};

test('rate: singular unit exactly for 1, positive values only', () => {
  for (const ok of ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)']) assert.ok(parseSchedule(ok), ok);
  for (const bad of ['rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)', 'rate(-1 minutes)', 'rate(5 seconds)', 'rate(5minutes)']) assert.equal(parseSchedule(bad), null, bad);
  assert.equal(next('rate(5 minutes)', '2024-01-01T00:00:00Z'), '2024-01-01T00:05:00.000Z');
});

test('cron: AWS documentation examples', () => {
  // 10:15 UTC every day
  assert.equal(next('cron(15 10 * * ? *)', '2024-03-01T11:00:00Z'), '2024-03-02T10:15:00.000Z');
  // 18:00 Monday to Friday
  assert.equal(next('cron(0 18 ? * MON-FRI *)', '2024-03-01T18:30:00Z'), '2024-03-04T18:00:00.000Z');
  // 08:00 on the first day of every month
  assert.equal(next('cron(0 8 1 * ? *)', '2024-03-01T09:00:00Z'), '2024-04-01T08:00:00.000Z');
  // every 10 minutes on weekdays
  assert.equal(next('cron(0/10 * ? * MON-FRI *)', '2024-03-01T23:55:00Z'), '2024-03-04T00:00:00.000Z');
  // every 5 minutes between 08:00 and 17:55 on weekdays
  assert.equal(next('cron(0/5 8-17 ? * MON-FRI *)', '2024-03-04T17:56:00Z'), '2024-03-05T08:00:00.000Z');
  // 09:00 on the first Monday of every month
  assert.equal(next('cron(0 9 ? * 2#1 *)', '2024-03-05T00:00:00Z'), '2024-04-01T09:00:00.000Z');
  // last day of the month, last Friday, nearest weekday
  assert.equal(next('cron(0 0 L * ? *)', '2024-02-01T00:00:00Z'), '2024-02-29T00:00:00.000Z');
  assert.equal(next('cron(0 0 ? * 6L *)', '2024-03-01T00:00:00Z'), '2024-03-29T00:00:00.000Z');
  // the 1st of June 2024 is a Saturday: the nearest weekday within the month is Monday the 3rd
  assert.equal(next('cron(0 0 1W * ? *)', '2024-06-01T00:00:00Z'), '2024-06-03T00:00:00.000Z');
  assert.equal(next('cron(0 0 15W * ? *)', '2024-06-01T00:00:00Z'), '2024-06-14T00:00:00.000Z');
  // a year that has passed never fires
  assert.equal(next('cron(0 0 1 1 ? 2020)', '2024-01-01T00:00:00Z'), null);
});

test('cron: refused forms', () => {
  for (const bad of ['cron(0 18 * * * *)', 'cron(0 18 ? * ? *)', 'cron(0 18 * *)', 'cron(60 0 * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 32 * ? *)', 'cron(0 0 ? * 8 *)', 'cron(0 0 1 13 ? *)']) {
    assert.equal(parseSchedule(bad), null, bad);
  }
});

test('a cron rule fires Scheduled Events under a controllable clock, and not while disabled', async () => {
  const clock = new ManualClock(at('2024-05-06T09:59:30Z'));
  const h = await harness({ clock });
  try {
    const got = h.stub('sqs');
    const q = `arn:aws:sqs:${REGION}:${ACCOUNT}:ticks`;
    const rule = await h.call('PutRule', { Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' });
    await h.call('PutTargets', { Rule: 'hourly', Targets: [{ Id: 'q', Arn: q }] });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(got.length, 0, 'nothing before 10:00');
    clock.set(at('2024-05-06T10:00:00Z'));
    await until(() => got.length, (n) => n === 1, 3000);
    const e = JSON.parse(got[0].m.body);
    assert.equal(e['detail-type'], 'Scheduled Event');
    assert.equal(e.source, 'aws.events');
    assert.equal(e.time, '2024-05-06T10:00:00Z');
    assert.deepEqual(e.resources, [rule.RuleArn]);
    assert.deepEqual(e.detail, {});
    // a missed hour is not made up: jumping three hours fires once
    clock.set(at('2024-05-06T13:00:30Z'));
    await until(() => got.length, (n) => n === 2, 3000);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(got.length, 2);
    await h.call('DisableRule', { Name: 'hourly' });
    clock.set(at('2024-05-06T14:00:00Z'));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(got.length, 2, 'disabled');
    await assert.rejects(h.call('PutRule', { Name: 'x', EventBusName: 'custom', ScheduleExpression: 'rate(1 hour)' }), /ScheduleExpression is supported only on the default event bus/);
  } finally {
    await h.close();
  }
});
