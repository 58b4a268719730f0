/**
 * Evaluating composite rules over children's states, the children that decide the result,
 * the reason CloudWatch records (captured wording), references and cycles.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compositeState, decidingRefs, evaluateRule, findCycles, refToAlarmName, ruleAlarmRefs } from './evaluate.js';
import { compositeReason, type ChildAlarmState } from './reason.js';
import { parseAlarmRule, type AlarmState } from './rule.js';

const states = (m: Record<string, AlarmState>) => (ref: string) => m[ref];

describe('evaluateRule', () => {
  it('state functions, constants and operators', () => {
    const s = states({ a: 'ALARM', b: 'OK', c: 'INSUFFICIENT_DATA' });
    const truth = (rule: string) => evaluateRule(parseAlarmRule(rule), s);
    assert.equal(truth('ALARM(a)'), true);
    assert.equal(truth('OK(a)'), false);
    assert.equal(truth('INSUFFICIENT_DATA(c)'), true);
    assert.equal(truth('ALARM(a) AND OK(b)'), true);
    assert.equal(truth('ALARM(a) AND ALARM(b)'), false);
    assert.equal(truth('ALARM(b) OR ALARM(a)'), true);
    assert.equal(truth('NOT ALARM(b)'), true);
    assert.equal(truth('TRUE AND NOT FALSE'), true);
    // precedence decides: FALSE OR (TRUE AND FALSE) is FALSE, (FALSE OR TRUE) AND FALSE too, but
    // TRUE OR (TRUE AND FALSE) is TRUE where ((TRUE OR TRUE) AND FALSE) would be FALSE
    assert.equal(truth('TRUE OR TRUE AND FALSE'), true);
    assert.equal(truth('(TRUE OR TRUE) AND FALSE'), false);
  });

  it('a missing child is in no state', () => {
    const rule = parseAlarmRule('ALARM(gone) OR OK(gone) OR INSUFFICIENT_DATA(gone)');
    assert.equal(evaluateRule(rule, () => undefined), false);
    assert.equal(evaluateRule(parseAlarmRule('NOT ALARM(gone)'), () => undefined), true);
  });

  it('AT_LEAST counts and percentages, with NOT', () => {
    const s = states({ a: 'ALARM', b: 'ALARM', c: 'OK', d: 'INSUFFICIENT_DATA' });
    const truth = (rule: string) => evaluateRule(parseAlarmRule(rule), s);
    assert.equal(truth('AT_LEAST(2, ALARM, (a, b, c, d))'), true);
    assert.equal(truth('AT_LEAST(3, ALARM, (a, b, c, d))'), false);
    assert.equal(truth('AT_LEAST(50%, ALARM, (a, b, c, d))'), true);
    assert.equal(truth('AT_LEAST(51%, ALARM, (a, b, c, d))'), false);
    assert.equal(truth('AT_LEAST(2, NOT OK, (a, c, d))'), true);
    assert.equal(truth('AT_LEAST(1, NOT ALARM, (a, b))'), false);
  });

  it('compositeState: TRUE is ALARM, FALSE is OK', () => {
    assert.equal(compositeState(parseAlarmRule('TRUE'), () => undefined), 'ALARM');
    assert.equal(compositeState(parseAlarmRule('FALSE'), () => undefined), 'OK');
  });
});

describe('references', () => {
  it('each reference once, in order, including AT_LEAST lists', () => {
    const rule = parseAlarmRule('ALARM(a) OR (OK(b) AND NOT ALARM(a)) OR AT_LEAST(1, OK, (c, b)) OR TRUE');
    assert.deepEqual(ruleAlarmRefs(rule), ['a', 'b', 'c']);
    assert.deepEqual(ruleAlarmRefs(parseAlarmRule('FALSE')), []);
  });

  it('ARNs name alarms by everything after alarm:', () => {
    assert.equal(refToAlarmName('arn:aws:cloudwatch:us-east-1:123456789012:alarm:my:alarm'), 'my:alarm');
    assert.equal(refToAlarmName('plain-name'), 'plain-name');
    assert.equal(refToAlarmName('arn:aws:sns:us-east-1:123456789012:topic'), 'arn:aws:sns:us-east-1:123456789012:topic');
  });
});

describe('deciding children', () => {
  const s = states({ a: 'ALARM', b: 'OK', c: 'ALARM', d: 'OK' });
  const deciding = (rule: string) => decidingRefs(parseAlarmRule(rule), s);
  it('a true OR names its true branches, a false OR every branch', () => {
    assert.deepEqual(deciding('ALARM(a) OR ALARM(b) OR ALARM(c)'), ['a', 'c']);
    assert.deepEqual(deciding('ALARM(b) OR ALARM(d)'), ['b', 'd']);
  });
  it('a true AND names every branch, a false AND its false branches', () => {
    assert.deepEqual(deciding('ALARM(a) AND ALARM(c)'), ['a', 'c']);
    assert.deepEqual(deciding('ALARM(a) AND ALARM(b) AND OK(c)'), ['b', 'c']);
  });
  it('NOT passes through; AT_LEAST names the members agreeing with the result', () => {
    assert.deepEqual(deciding('NOT OK(b)'), ['b']);
    assert.deepEqual(deciding('AT_LEAST(2, ALARM, (a, b, c))'), ['a', 'c']);
    assert.deepEqual(deciding('AT_LEAST(3, ALARM, (a, b, c))'), ['b']);
  });
});

describe('compositeReason', () => {
  const arn = (n: string) => `arn:aws:cloudwatch:ap-northeast-1:0000000000:alarm:${n}`;
  const children: Record<string, ChildAlarmState> = {
    test1: { arn: arn('test1'), state: 'OK', timestamp: new Date('2023-06-22T14:25:30.174Z') },
    test2: { arn: arn('test2'), state: 'OK', timestamp: new Date('2023-06-22T14:26:01.928Z') },
  };
  const childOf = (ref: string) => children[ref] ?? Object.values(children).find((c) => c.arn === ref);

  it('matches the captured OK transition: reason and triggeringAlarms, most recent first', () => {
    // captured 2023-06 (EventBridge detail of a composite `(ALARM(test1) OR ALARM(test2))`)
    const r = compositeReason({
      compositeArn: arn('composite'),
      rule: parseAlarmRule(`(ALARM("${arn('test1')}") OR ALARM("${arn('test2')}"))`),
      newState: 'OK',
      childOf,
    });
    assert.equal(r.reason, 'arn:aws:cloudwatch:ap-northeast-1:0000000000:alarm:test2 transitioned to OK at Thursday 22 June, 2023 14:26:01 UTC');
    assert.equal(
      r.reasonData,
      '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:ap-northeast-1:0000000000:alarm:test2","state":{"value":"OK","timestamp":"2023-06-22T14:26:01.928+0000"}},{"arn":"arn:aws:cloudwatch:ap-northeast-1:0000000000:alarm:test1","state":{"value":"OK","timestamp":"2023-06-22T14:25:30.174+0000"}}]}',
    );
  });

  it('an ALARM transition lists only the children in ALARM, and names the given trigger', () => {
    const now: Record<string, ChildAlarmState> = { ...children, test1: { arn: arn('test1'), state: 'ALARM', timestamp: new Date('2021-11-10T02:45:55.640Z') } };
    const r = compositeReason({
      compositeArn: arn('composite'),
      rule: parseAlarmRule('ALARM(test1) OR ALARM(test2)'),
      newState: 'ALARM',
      childOf: (ref) => now[ref],
      triggeredBy: 'test1',
    });
    assert.equal(r.reason, `${arn('test1')} transitioned to ALARM at Wednesday 10 November, 2021 02:45:55 UTC`);
    assert.deepEqual(JSON.parse(r.reasonData), { triggeringAlarms: [{ arn: arn('test1'), state: { value: 'ALARM', timestamp: '2021-11-10T02:45:55.640+0000' } }] });
  });

  it('creation wording (captured), a name and its ARN counted once', () => {
    const r = compositeReason({
      compositeArn: arn('SuppressionDemo.EventBridge.Main'),
      rule: parseAlarmRule(`ALARM(test1) OR ALARM("${arn('test1')}") OR ALARM(test2)`),
      newState: 'OK',
      childOf,
      cause: 'created',
    });
    assert.equal(r.reason, `${arn('SuppressionDemo.EventBridge.Main')} was created and its alarm rule evaluates to OK`);
    assert.deepEqual(r.triggering.map((c) => c.arn), [arn('test2'), arn('test1')]);
  });

  it('a constant rule has no triggering children', () => {
    const r = compositeReason({ compositeArn: arn('c'), rule: parseAlarmRule('TRUE'), newState: 'ALARM', childOf, cause: 'updated' });
    assert.equal(r.reason, `${arn('c')} was updated and its alarm rule evaluates to ALARM`);
    assert.equal(r.reasonData, '{"triggeringAlarms":[]}');
  });
});

describe('findCycles', () => {
  it('finds loops between composites and self references, ignores chains', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b', 'metric1']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['self', ['self']],
      ['e', ['metric2']],
    ]);
    const cycles = findCycles(graph).map((c) => [...c].sort());
    assert.deepEqual(cycles.sort(), [['a', 'b', 'c'], ['self']]);
    assert.deepEqual(findCycles({ x: ['y'], y: [] }), []);
  });

  it('copes with a long chain without recursion', () => {
    const graph: Record<string, string[]> = {};
    for (let i = 0; i < 20000; i++) graph[`n${i}`] = [`n${i + 1}`];
    graph.n20000 = ['n0'];
    const cycles = findCycles(graph);
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0].length, 20001);
  });
});
