/**
 * Input, InputPath and InputTransformer: AWS's documented examples, and the escaping cases (a
 * value with quotes inside a JSON string, objects as values, missing paths, text templates).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInput, evalPath, parsePath, targetInput, type InputSpec } from './transform.js';

const ec2 = {
  version: '0', id: '7bf73129-1428-4cd3-a780-95db273d1602', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2',
  account: '123456789012', time: '2015-11-11T21:29:54Z', region: 'us-east-1', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', note: 'say "hi"\\now', tags: { env: 'prod' }, n: 5 },
};
const json = JSON.stringify(ec2);
const rule = { arn: 'arn:aws:events:us-east-1:123456789012:rule/r', name: 'r' };
const render = (t: Omit<InputSpec, 'Id'>) => {
  const spec = { Id: 't', ...t };
  checkInput(spec);
  return targetInput(spec, ec2, json, rule, Date.parse('2024-01-01T00:00:00Z'));
};
const xf = (InputPathsMap: Record<string, string>, InputTemplate: string) => render({ InputTransformer: { InputPathsMap, InputTemplate } });

test('paths: dots, dashes, array indices, brackets', () => {
  assert.equal(evalPath(ec2, parsePath('$.detail.instance-id')!), 'i-0123456789');
  assert.equal(evalPath(ec2, parsePath('$.resources[0]')!), ec2.resources[0]);
  assert.equal(evalPath(ec2, parsePath("$['detail-type']")!), ec2['detail-type']);
  assert.equal(evalPath(ec2, parsePath('$.detail.missing')!), undefined);
  assert.deepEqual(evalPath(ec2, parsePath('$')!), ec2);
  assert.equal(parsePath('detail'), null);
  assert.equal(parsePath('$..x'), null);
});

test('the event, Input, InputPath', () => {
  assert.equal(render({}), json);
  assert.equal(render({ Input: '{"a":1}' }), '{"a":1}');
  assert.equal(render({ InputPath: '$.detail.tags' }), '{"env":"prod"}');
  assert.equal(render({ InputPath: '$.detail.state' }), '"RUNNING"');
});

test('AWS example: a JSON template with variables in and out of strings', () => {
  const out = xf({ instance: '$.detail.instance-id', state: '$.detail.state' }, '{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes"}');
  assert.deepEqual(JSON.parse(out), { instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' });
  const text = xf({ instance: '$.detail.instance-id', state: '$.detail.state' }, '{"message": "instance <instance> is in <state>"}');
  assert.deepEqual(JSON.parse(text), { message: 'instance i-0123456789 is in RUNNING' });
});

test('AWS example: a string template', () => {
  assert.equal(xf({ instance: '$.detail.instance-id', state: '$.detail.state' }, '"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
  assert.equal(xf({ instance: '$.detail.instance-id', status: '$.detail.state' }, '<instance> is in state "<status>"'), 'i-0123456789 is in state "RUNNING"');
});

test('escaping: quotes and backslashes inside a JSON string stay valid JSON', () => {
  const out = xf({ note: '$.detail.note' }, '{"text": "note: <note>", "raw": <note>}');
  assert.deepEqual(JSON.parse(out), { text: 'note: say "hi"\\now', raw: 'say "hi"\\now' });
});

test('objects, numbers and missing values', () => {
  assert.deepEqual(JSON.parse(xf({ tags: '$.detail.tags', n: '$.detail.n', gone: '$.detail.gone' }, '{"tags": <tags>, "n": <n>, "gone": <gone>, "s": "<gone>|<n>"}')),
    { tags: { env: 'prod' }, n: 5, gone: null, s: '|5' });
  assert.equal(xf({ tags: '$.detail.tags' }, 'tags=<tags>'), 'tags={"env":"prod"}');
});

test('reserved variables', () => {
  const out = JSON.parse(xf({}, '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>, "e": <aws.events.event>, "full": <aws.events.event.json>}'));
  assert.equal(out.arn, rule.arn);
  assert.equal(out.name, 'r');
  assert.equal(out.at, '2024-01-01T00:00:00.000Z');
  assert.equal(out.e.detail, undefined);
  assert.equal(out.e.id, ec2.id);
  assert.deepEqual(out.full, ec2);
});

test('placeholders that name no variable stay as written', () => {
  assert.equal(xf({ a: '$.id' }, 'x <b> <a>'), `x <b> ${ec2.id}`);
});

test('refused transformers', () => {
  assert.throws(() => checkInput({ Id: 't', InputTransformer: { InputPathsMap: { 'aws.events.rule-arn': '$.id' }, InputTemplate: '<x>' } }), /reserved/);
  assert.throws(() => checkInput({ Id: 't', InputTransformer: { InputPathsMap: { 'a b': '$.id' }, InputTemplate: '<x>' } }), /InputPathsMap key/);
  assert.throws(() => checkInput({ Id: 't', InputTransformer: { InputPathsMap: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '$.id'])), InputTemplate: '<k1>' } }), /at most 100/);
  assert.throws(() => checkInput({ Id: 't', InputTransformer: { InputTemplate: '{"a": }' } }), /Invalid InputTemplate for target t/);
  assert.throws(() => checkInput({ Id: 't', Input: 'not json' }), /Input is not a valid JSON text/);
  assert.throws(() => checkInput({ Id: 't', InputPath: 'detail' }), /not a valid JSON path/);
});
