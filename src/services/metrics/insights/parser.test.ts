/**
 * Metrics Insights parsing: every clause, quoting and escaping, keyword case, condition
 * precedence, and the ValidationError each malformed query gets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceError } from '../../../core/errors.js';
import { isInsightsQuery, parseInsightsQuery } from './parser.js';
import type { InsightsQuery } from './types.js';

const base: Pick<InsightsQuery, 'groupBy'> = { groupBy: [] };

describe('Metrics Insights parser: queries', () => {
  const cases: [string, InsightsQuery][] = [
    ['SELECT AVG(CPUUtilization) FROM "AWS/EC2"', { ...base, func: 'AVG', metricName: 'CPUUtilization', namespace: 'AWS/EC2' }],
    ['select max(Latency) from MyApp', { ...base, func: 'MAX', metricName: 'Latency', namespace: 'MyApp' }],
    ['SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")', { ...base, func: 'AVG', metricName: 'CPUUtilization', namespace: 'AWS/EC2', schema: [] }],
    [
      'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, AvailabilityZone)',
      { ...base, func: 'SUM', metricName: 'RequestCount', namespace: 'AWS/ApplicationELB', schema: ['LoadBalancer', 'AvailabilityZone'] },
    ],
    [
      'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY AVG() DESC LIMIT 10',
      {
        func: 'AVG',
        metricName: 'CPUUtilization',
        namespace: 'AWS/EC2',
        schema: ['InstanceId'],
        groupBy: ['InstanceId'],
        orderBy: { func: 'AVG', order: 'DESC' },
        limit: 10,
      },
    ],
    [
      'SELECT COUNT(CallCount) FROM SCHEMA("AWS/Usage", Class, Resource, Service, Type) WHERE Type = \'API\' GROUP BY Service, Resource ORDER BY COUNT() DESC LIMIT 20',
      {
        func: 'COUNT',
        metricName: 'CallCount',
        namespace: 'AWS/Usage',
        schema: ['Class', 'Resource', 'Service', 'Type'],
        where: { kind: 'eq', key: 'Type', value: 'API' },
        groupBy: ['Service', 'Resource'],
        orderBy: { func: 'COUNT', order: 'DESC' },
        limit: 20,
      },
    ],
    [
      'SELECT MIN(x) FROM ns ORDER BY MAX()',
      { ...base, func: 'MIN', metricName: 'x', namespace: 'ns', orderBy: { func: 'MAX', order: 'ASC' } },
    ],
    ['SELECT SUM("PutRecords.Bytes") FROM "AWS/Kinesis"', { ...base, func: 'SUM', metricName: 'PutRecords.Bytes', namespace: 'AWS/Kinesis' }],
    ['SELECT AVG("Bytes\\"Input\\"") FROM ns', { ...base, func: 'AVG', metricName: 'Bytes"Input"', namespace: 'ns' }],
    ['SELECT AVG("LIMIT") FROM "SELECT"', { ...base, func: 'AVG', metricName: 'LIMIT', namespace: 'SELECT' }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(parseInsightsQuery(text), expected));
  }
});

describe('Metrics Insights parser: WHERE', () => {
  const where = (cond: string) => parseInsightsQuery(`SELECT AVG(m) FROM ns WHERE ${cond}`).where;

  it('= and != take single-quoted values, with backslash escapes', () => {
    assert.deepEqual(where("AutoScalingGroupName = 'my-production-fleet'"), { kind: 'eq', key: 'AutoScalingGroupName', value: 'my-production-fleet' });
    assert.deepEqual(where("InstanceType != 'c3.4xlarge'"), { kind: 'ne', key: 'InstanceType', value: 'c3.4xlarge' });
    assert.deepEqual(where("Name = 'it\\'s'"), { kind: 'eq', key: 'Name', value: "it's" });
  });

  it('LIKE, NOT LIKE, IN, NOT IN', () => {
    assert.deepEqual(where("InstanceType LIKE 'c5%'"), { kind: 'like', key: 'InstanceType', pattern: 'c5%', negated: false });
    assert.deepEqual(where("InstanceType not like '%large'"), { kind: 'like', key: 'InstanceType', pattern: '%large', negated: true });
    assert.deepEqual(where("Zone IN ('a', 'b','c')"), { kind: 'in', key: 'Zone', values: ['a', 'b', 'c'], negated: false });
    assert.deepEqual(where("Zone NOT IN ('a')"), { kind: 'in', key: 'Zone', values: ['a'], negated: true });
  });

  it('AND binds tighter than OR; parentheses regroup', () => {
    const eq = (key: string) => ({ kind: 'eq', key, value: '1' }) as const;
    assert.deepEqual(where("a = '1' OR b = '1' AND c = '1'"), { kind: 'or', left: eq('a'), right: { kind: 'and', left: eq('b'), right: eq('c') } });
    assert.deepEqual(where("(a = '1' OR b = '1') AND c = '1'"), { kind: 'and', left: { kind: 'or', left: eq('a'), right: eq('b') }, right: eq('c') });
    assert.deepEqual(where("a = '1' and b = '1' and c = '1'"), { kind: 'and', left: { kind: 'and', left: eq('a'), right: eq('b') }, right: eq('c') });
  });

  it('quoted label keys', () => {
    assert.deepEqual(where(`"aws:stack-name" = 'prod'`), { kind: 'eq', key: 'aws:stack-name', value: 'prod' });
  });
});

describe('Metrics Insights parser: malformed queries are ValidationError', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['SELECT', /expected one of AVG, COUNT, MAX, MIN, SUM but found end of query/],
    ['AVG(x) FROM ns', /expected SELECT/],
    ['SELECT MEDIAN(x) FROM ns', /expected one of AVG/],
    ['SELECT AVG x FROM ns', /expected "\("/],
    ['SELECT AVG(x) ns', /expected FROM/],
    ['SELECT AVG(x) FROM AWS/EC2', /unexpected "\/"/],
    ["SELECT AVG(x) FROM 'AWS/EC2'", /names take double quotes/],
    ['SELECT AVG(Count) FROM ns', /Count is a reserved word; write "Count"/],
    ['SELECT AVG(x) FROM ns LIMIT', /LIMIT must be a whole number from 1 to 500/],
    ['SELECT AVG(x) FROM ns LIMIT 0', /LIMIT must be/],
    ['SELECT AVG(x) FROM ns LIMIT 501', /LIMIT must be/],
    ['SELECT AVG(x) FROM ns LIMIT 2.5', /LIMIT must be/],
    ['SELECT AVG(x) FROM ns ORDER BY AVG DESC', /expected "\("/],
    ['SELECT AVG(x) FROM ns ORDER AVG()', /expected BY/],
    ['SELECT AVG(x) FROM ns GROUP BY', /expected a label key but found end of query/],
    ['SELECT AVG(x) FROM ns WHERE k = "v"', /label values take single quotes/],
    ['SELECT AVG(x) FROM ns WHERE k == \'v\'', /expected a label value/],
    ['SELECT AVG(x) FROM ns WHERE k > \'v\'', /unexpected ">"/],
    ['SELECT AVG(x) FROM ns WHERE k IN ()', /expected a label value/],
    ['SELECT AVG(x) FROM ns WHERE k NOT = \'v\'', /expected LIKE or IN after NOT/],
    ["SELECT AVG(x) FROM ns WHERE (k = 'v'", /expected "\)"/],
    ["SELECT AVG(x) FROM ns WHERE k = 'v", /unterminated/],
    ['SELECT AVG(x) FROM SCHEMA(ns, ) ', /expected a dimension name/],
    ['SELECT AVG("") FROM ns', /cannot be empty/],
    ['SELECT AVG(x) FROM ns LIMIT 5 extra', /unexpected "extra"/],
  ];
  for (const [text, pattern] of cases) {
    it(JSON.stringify(text), () =>
      assert.throws(
        () => parseInsightsQuery(text),
        (e: unknown) => isServiceError(e) && e.code === 'ValidationError' && pattern.test(e.message),
      ),
    );
  }
});

describe('Metrics Insights parser: telling SQL from metric math', () => {
  it('recognises SELECT in any case', () => {
    assert.equal(isInsightsQuery('  select AVG(x) FROM ns'), true);
    assert.equal(isInsightsQuery('SUM(METRICS())'), false);
    assert.equal(isInsightsQuery('selected + 1'), false);
  });
});
