/**
 * Chat cards: a CloudWatch alarm becomes a coloured card with the same facts on Slack, Teams and
 * Discord, each in the shape its documented schema asks for; other messages become a title and
 * text; text coming from a topic cannot inject markup, links or mentions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALARM_MESSAGE, delivery } from '../senders/kit.test.js';
import { alarmFacts, alarmTime, parseAlarmMessage } from './alarm.js';
import { discordMessage } from './discord.js';
import { slackEscape, slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

const PUBLIC = 'https://sbx.example.com';
const SUBJECT = 'ALARM: "HighCPU" in EU (Ireland)';
const alarm = (state = 'ALARM', old = 'OK') => delivery({ subject: SUBJECT, message: ALARM_MESSAGE.replace('"NewStateValue":"ALARM"', `"NewStateValue":"${state}"`).replace('"OldStateValue":"OK"', `"OldStateValue":"${old}"`) });

test('the alarm summary: state, reason, metric, condition, time, region', () => {
  const a = parseAlarmMessage(ALARM_MESSAGE)!;
  assert.equal(a.name, 'HighCPU');
  assert.equal(a.state, 'ALARM');
  assert.equal(a.previousState, 'OK');
  assert.match(a.reason, /^Threshold Crossed/);
  assert.equal(a.metric, 'AWS/EC2 / CPUUtilization');
  assert.equal(a.dimensions, 'InstanceId=i-0abc');
  assert.equal(a.condition, 'Average > 80 for 2 periods of 5 minutes');
  assert.equal(a.time, '2024-05-01T10:05:40.989Z');
  assert.equal(a.region, 'EU (Ireland)');
  assert.deepEqual(alarmFacts(a).map(([k]) => k), ['State', 'Alarm', 'Metric', 'Dimensions', 'Condition', 'Time', 'Region', 'Account']);
  assert.equal(alarmTime('2024-05-01T10:05:40.989+0200'), '2024-05-01T08:05:40.989Z');

  // percentile, metric math and composite alarms are alarms too
  const p = JSON.parse(ALARM_MESSAGE);
  delete p.Trigger.Statistic;
  p.Trigger.ExtendedStatistic = 'p99';
  p.Trigger.ComparisonOperator = 'LessThanOrEqualToThreshold';
  assert.equal(parseAlarmMessage(JSON.stringify(p))!.condition, 'p99 <= 80 for 2 periods of 5 minutes');
  const math = JSON.parse(ALARM_MESSAGE);
  math.Trigger = { Metrics: [{ Id: 'e1', Expression: 'm1+m2' }, { Id: 'm1' }, { Id: 'm2' }], Period: 60, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 };
  assert.equal(parseAlarmMessage(JSON.stringify(math))!.metric, 'metric math (3 metrics)');
  const composite = { AlarmName: 'Svc', NewStateValue: 'OK', NewStateReason: 'children ok', AlarmRule: 'ALARM(a) OR ALARM(b)', StateChangeTime: 'x' };
  assert.equal(parseAlarmMessage(JSON.stringify(composite))!.rule, 'ALARM(a) OR ALARM(b)');

  for (const other of ['hello', '{"AlarmName": 3}', '{"AlarmName":"x"}', '["AlarmName"]', '{"AlarmName":"x", "NewStateValue":"OK"', '{"default":"AlarmName"}']) {
    assert.equal(parseAlarmMessage(other), undefined, other);
  }
});

test('Slack alarm: text fallback, header block, attachment coloured by state with Block Kit details', () => {
  const colours: Record<string, string> = { ALARM: '#E01E5A', OK: '#2EB67D', INSUFFICIENT_DATA: '#9E9E9E' };
  for (const [state, colour] of Object.entries(colours)) {
    const m = slackMessage(alarm(state), PUBLIC);
    assert.equal(m.text, slackEscape(SUBJECT));
    assert.equal(m.blocks[0].type, 'header');
    assert.equal((m.blocks[0].text as { type: string }).type, 'plain_text');
    assert.match((m.blocks[0].text as { text: string }).text, new RegExp(`${state}: HighCPU$`));
    assert.equal(m.attachments!.length, 1);
    const att = m.attachments![0];
    assert.equal(att.color, colour);
    assert.ok(att.fallback.length > 0);
    const [reason, facts, context] = att.blocks as Array<Record<string, any>>;
    assert.equal(reason.type, 'section');
    assert.match(reason.text.text, /^\*Reason\*\nThreshold Crossed/);
    assert.ok(facts.fields.length <= 10);
    assert.ok(facts.fields.every((f: { type: string; text: string }) => f.type === 'mrkdwn' && f.text.length <= 2000));
    const text = facts.fields.map((f: { text: string }) => f.text).join('\n');
    assert.match(text, /\*State\*\n\w+ \(was OK\)/);
    assert.match(text, /\*Metric\*\nAWS\/EC2 \/ CPUUtilization/);
    assert.match(text, /\*Condition\*\nAverage &gt; 80 for 2 periods of 5 minutes/);
    assert.match(text, /\*Region\*\nEU \(Ireland\)/);
    assert.match(text, /\*Time\*\n2024-05-01 10:05:40 UTC/);
    assert.equal(context.type, 'context');
    assert.ok(context.elements.some((e: { text: string }) => e.text.includes('arn:aws:cloudwatch:eu-west-1:111122223333:alarm:HighCPU')));
  }
});

test('Slack plain message: Subject as header, escaped text, long text split within the limits', () => {
  const m = slackMessage(delivery({ subject: 'Deploy <done>', message: 'v2 & <!channel> <https://x|y>' }), PUBLIC);
  assert.equal(m.attachments, undefined);
  assert.deepEqual(m.blocks[0], { type: 'header', text: { type: 'plain_text', text: 'Deploy <done>', emoji: true } });
  assert.deepEqual(m.blocks[1], { type: 'section', text: { type: 'mrkdwn', text: 'v2 &amp; &lt;!channel&gt; &lt;https://x|y&gt;' } });
  assert.equal(m.text, '*Deploy &lt;done&gt;*\nv2 &amp; &lt;!channel&gt; &lt;https://x|y&gt;');

  const long = slackMessage(delivery({ message: '&'.repeat(4000) }), PUBLIC);
  assert.equal(long.blocks.length, 7);
  for (const b of long.blocks as Array<{ text: { text: string } }>) {
    assert.ok(b.text.text.length <= 3000);
    assert.match(b.text.text, /^(&amp;)+$/, 'no entity is cut in two');
  }
  const huge = slackMessage(delivery({ message: 'x'.repeat(200_000) }), PUBLIC);
  assert.ok(huge.blocks.length <= 50);
  assert.ok(huge.text.length <= 40_000);
  assert.equal(slackMessage(delivery({ message: '' }), PUBLIC).blocks.length, 1);
});

test('Teams alarm: a Workflows message with one Adaptive Card 1.4, coloured container and FactSet', () => {
  const expected: Record<string, [string, string]> = { ALARM: ['attention', 'Attention'], OK: ['good', 'Good'], INSUFFICIENT_DATA: ['emphasis', 'Default'] };
  for (const [state, [style, colour]] of Object.entries(expected)) {
    const m = teamsMessage(alarm(state), PUBLIC);
    assert.equal(m.type, 'message');
    assert.equal(m.attachments.length, 1);
    const a = m.attachments[0];
    assert.equal(a.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(a.contentUrl, null);
    assert.equal(a.content.type, 'AdaptiveCard');
    assert.equal(a.content.version, '1.4');
    assert.equal(a.content.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
    const [head, reason, facts] = a.content.body as Array<Record<string, any>>;
    assert.equal(head.type, 'Container');
    assert.equal(head.style, style);
    assert.equal(head.items[0].type, 'TextBlock');
    assert.equal(head.items[0].text, `${state}: HighCPU`);
    assert.equal(head.items[0].color, colour);
    assert.equal(head.items[1].text, SUBJECT);
    assert.equal(reason.type, 'TextBlock');
    assert.equal(reason.wrap, true);
    assert.equal(facts.type, 'FactSet');
    assert.ok(facts.facts.every((f: { title: unknown; value: unknown }) => typeof f.title === 'string' && typeof f.value === 'string'));
    assert.deepEqual(facts.facts[0], { title: 'State', value: `${state} (was OK)` });
  }
  assert.ok(JSON.stringify(teamsMessage(alarm(), PUBLIC)).length < 28 * 1024);
});

test('Teams plain message: heading and wrapped text, kept under 28 KB', () => {
  const m = teamsMessage(delivery({ subject: 'Deploy', message: 'done' }), PUBLIC);
  assert.deepEqual(m.attachments[0].content.body.map((b) => b.text), ['Deploy', 'done']);
  const big = teamsMessage(delivery({ message: 'y'.repeat(100_000) }), PUBLIC);
  assert.ok(Buffer.byteLength(JSON.stringify(big)) < 28 * 1024);
});

test('Discord alarm: one embed with a decimal colour, fields and timestamp; mentions disabled', () => {
  const expected: Record<string, number> = { ALARM: 0xe01e5a, OK: 0x2eb67d, INSUFFICIENT_DATA: 0x9e9e9e };
  for (const [state, colour] of Object.entries(expected)) {
    const m = discordMessage(alarm(state), PUBLIC);
    assert.equal(m.content, SUBJECT);
    assert.deepEqual(m.allowed_mentions, { parse: [] });
    assert.equal(m.embeds!.length, 1);
    const e = m.embeds![0];
    assert.equal(e.title, `${state}: HighCPU`);
    assert.equal(e.color, colour);
    assert.ok(Number.isInteger(e.color));
    assert.match(e.description!, /^Threshold Crossed/);
    assert.equal(e.timestamp, '2024-05-01T10:05:40.989Z');
    assert.ok(e.fields!.length <= 25);
    assert.ok(e.fields!.every((f) => f.name.length <= 256 && f.value.length <= 1024 && f.value.length > 0));
    assert.deepEqual(e.fields![0], { name: 'State', value: `${state} (was OK)`, inline: true });
    assert.ok(e.fields!.some((f) => f.name === 'Condition' && f.value === 'Average > 80 for 2 periods of 5 minutes'));
    assert.equal(e.footer!.text, 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:HighCPU');
  }
});

test('Discord plain message: content when it fits 2000 characters, else an embed', () => {
  assert.deepEqual(discordMessage(delivery({ subject: 'Deploy', message: '@everyone done' }), PUBLIC), {
    content: '**Deploy**\n@everyone done',
    allowed_mentions: { parse: [] },
  });
  const long = discordMessage(delivery({ message: 'z'.repeat(5000) }), PUBLIC);
  assert.equal(long.content, undefined);
  assert.equal(long.embeds![0].description!.length, 4096);
});

test('a confirmation reaching a chat webhook carries its link', () => {
  const d = delivery({ type: 'SubscriptionConfirmation', token: 'abc', message: 'You have chosen to subscribe.' });
  const s = slackMessage(d, PUBLIC);
  assert.match(s.text, /Subscription confirmation/);
  assert.match(s.text, /\?Action=ConfirmSubscription&amp;TopicArn=.*&amp;Token=abc/);
  assert.match(discordMessage(d, PUBLIC).content!, /Action=ConfirmSubscription/);
  assert.match(JSON.stringify(teamsMessage(d, PUBLIC)), /Action=ConfirmSubscription/);
});
