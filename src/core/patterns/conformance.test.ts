/**
 * Conformance table: every row is an AWS behaviour confirmed from AWS's documentation (or from
 * responses AWS gave that public test suites recorded), with the source named in `doc`.
 *
 * Sources, abbreviated in `doc`:
 *  EB-CF   EventBridge "Content filtering in Amazon EventBridge event patterns" / "Comparison
 *          operators for use in event patterns" (eb-event-patterns-content-based-filtering,
 *          eb-create-pattern-operators)
 *  EB-EP   EventBridge "Amazon EventBridge event patterns" (eb-event-patterns: match values, numbers,
 *          Macie/Auto Scaling examples)
 *  EB-NULL EventBridge "Matching null values and empty strings"
 *  EB-ARR  EventBridge "Arrays in event patterns"
 *  RULER   aws/event-ruler README (the engine EventBridge documents its semantics with: array
 *          consistency, dotted keys, exists on non-leaf nodes, wildcard escapes)
 *  AWS-REC AWS responses recorded by localstack's snapshot tests (tests/aws/services/events,
 *          tests/aws/services/sns): exact error texts, and match results AWS returned
 *  SNS-MF  SNS "Amazon SNS message filtering" / "Filter policy examples" / "Attribute string value
 *          matching" / "Numeric value matching" / "Key matching" / "AND/OR logic"
 *  SNS-FPC SNS "Filter policy constraints" (5 keys, 150 combinations, 256 KB, no nesting for
 *          attribute scope, Binary attributes ignored)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileEventPattern, compileFilterPolicy, snsAttributesToEvent, type SnsMessageAttributes } from './index.js';

type Lang = 'eb' | 'attrs' | 'body';
interface Case { doc: string; lang?: Lang; pattern: unknown; event: unknown; match: boolean }

const ec2 = {
  version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '111122223333', time: '2017-12-22T18:43:48Z', region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};
const d = (detail: Record<string, unknown>) => ({ ...ec2, detail });
const S = (v: string) => ({ DataType: 'String', StringValue: v });
const N = (v: string) => ({ DataType: 'Number', StringValue: v });
const A = (v: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });

const cases: Case[] = [
  // --- EventBridge: structure and exact values ------------------------------------------------
  { doc: 'EB-EP EC2 instance-termination example', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, event: ec2, match: true },
  { doc: 'EB-EP same pattern, other state', pattern: { source: ['aws.ec2'], detail: { state: ['terminated'] } }, event: d({ state: 'running' }), match: false },
  { doc: 'EB-EP fields absent from the pattern are ignored', pattern: { source: ['aws.ec2'] }, event: ec2, match: true },
  { doc: 'EB-EP the event must contain every field of the pattern', pattern: { source: ['aws.ec2'], detail: { missing: ['x'] } }, event: ec2, match: false },
  { doc: 'EB-EP match values: aws.ec2 or aws.fargate', pattern: { source: ['aws.ec2', 'aws.fargate'] }, event: { ...ec2, source: 'aws.fargate' }, match: true },
  { doc: 'EB-EP exact, case-sensitive matching', pattern: { source: ['AWS.EC2'] }, event: ec2, match: false },
  { doc: 'EB-EP same nesting structure required', pattern: { state: ['terminated'] }, event: ec2, match: false },
  { doc: 'EB-EP Macie: risk-score 80 and trigger.risk 8', pattern: { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, event: { source: 'aws.macie', detail: { 'risk-score': 80, trigger: { risk: 8 } } }, match: true },
  { doc: 'EB-EP numbers compare by value (300 = 3.0e2)', pattern: { detail: { n: [3.0e2] } }, event: d({ n: 300 }), match: true },
  { doc: 'EB-EP a number does not match a string', pattern: { detail: { n: [300] } }, event: d({ n: '300' }), match: false },
  { doc: 'EB-EP a string does not match a number', pattern: { detail: { n: ['300'] } }, event: d({ n: 300 }), match: false },
  { doc: 'EB-EP booleans', pattern: { detail: { ok: [true] } }, event: d({ ok: true }), match: true },
  { doc: 'EB-EP boolean is not the string "true"', pattern: { detail: { ok: [true] } }, event: d({ ok: 'true' }), match: false },
  { doc: 'EB-NULL [null] matches a null value', pattern: { detail: { responseElements: [null] } }, event: d({ responseElements: null }), match: true },
  { doc: 'EB-NULL [null] does not match a missing field', pattern: { detail: { responseElements: [null] } }, event: d({}), match: false },
  { doc: 'EB-NULL [""] matches the empty string', pattern: { detail: { eventVersion: [''] } }, event: d({ eventVersion: '' }), match: true },
  { doc: 'EB-NULL [""] does not match null', pattern: { detail: { eventVersion: [''] } }, event: d({ eventVersion: null }), match: false },
  // --- arrays -------------------------------------------------------------------------------------
  { doc: 'EB-ARR an event array matches if any element matches', pattern: { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, event: { ...ec2, resources: ['a', 'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, match: true },
  { doc: 'EB-ARR pattern and event arrays intersect', pattern: { detail: { tags: ['x', 'Insider'] } }, event: d({ tags: ['Custom_Alert', 'Insider'] }), match: true },
  { doc: 'EB-ARR no common element', pattern: { detail: { tags: ['x'] } }, event: d({ tags: ['Custom_Alert', 'Insider'] }), match: false },
  { doc: 'AWS-REC [null] does not match an empty array', pattern: { resources: [null] }, event: { ...ec2, resources: [] }, match: false },
  { doc: 'RULER arrays of objects are crushed', pattern: { employees: { firstName: ['Anna'] } }, event: { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] }, match: true },
  { doc: 'RULER array consistency: fields from different elements do not combine', pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event: { employees: [{ firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] }, match: false },
  { doc: 'RULER array consistency: same element', pattern: { employees: { firstName: ['Peter'], lastName: ['Jones'] } }, event: { employees: [{ firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] }, match: true },
  { doc: 'RULER nested arrays are crushed too', pattern: { employees: { firstName: ['Peter'] } }, event: { employees: [[{ firstName: 'John' }], [{ firstName: 'Peter' }]] }, match: true },
  // --- dotted keys and repeated keys ---------------------------------------------------------------
  { doc: 'RULER dotted pattern key matches nested event', pattern: { detail: { 'state.status': ['running'] } }, event: d({ state: { status: 'running' } }), match: true },
  { doc: 'RULER nested pattern matches dotted event key', pattern: { detail: { state: { status: ['running'] } } }, event: d({ 'state.status': 'running' }), match: true },
  { doc: 'EB-CF a repeated key: the last one is used', pattern: '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}', event: d({ location: 'eu-west' }), match: true },
  // --- prefix / suffix / equals-ignore-case / wildcard --------------------------------------------
  { doc: 'EB-CF prefix matching on time', pattern: { time: [{ prefix: '2017-10-02' }] }, event: { time: '2017-10-02T18:43:48Z' }, match: true },
  { doc: 'EB-CF prefix does not match other values', pattern: { time: [{ prefix: '2017-10-02' }] }, event: { time: '2017-10-03T18:43:48Z' }, match: false },
  { doc: 'RULER prefix only works on strings', pattern: { detail: { n: [{ prefix: '1' }] } }, event: d({ n: 12 }), match: false },
  { doc: 'EB-CF prefix ignoring case (EventB)', pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, event: d({ service: 'eventbridge' }), match: true },
  { doc: 'EB-CF prefix ignoring case, other prefix', pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, event: d({ service: 'sns' }), match: false },
  { doc: 'EB-CF suffix matching .png', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png' }, match: true },
  { doc: 'EB-CF suffix is case-sensitive', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.PNG' }, match: false },
  { doc: 'EB-CF suffix ignoring case (.png / .PNG)', pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, event: d({ FileName: 'IMAGE.PNG' }), match: true },
  { doc: 'EB-CF equals-ignore-case: Name is "Alice"', pattern: { Name: [{ 'equals-ignore-case': 'alice' }] }, event: { Name: 'ALICE' }, match: true },
  { doc: 'EB-CF equals-ignore-case is still whole-value', pattern: { Name: [{ 'equals-ignore-case': 'alice' }] }, event: { Name: 'alicia' }, match: false },
  { doc: 'EB-CF wildcard: .png file in folder dir', pattern: { FilePath: [{ wildcard: 'dir/*.png' }] }, event: { FilePath: 'dir/a/b.png' }, match: true },
  { doc: 'EB-CF wildcard anchors both ends', pattern: { FilePath: [{ wildcard: 'dir/*.png' }] }, event: { FilePath: 'x/dir/b.png' }, match: false },
  { doc: 'RULER wildcard * matches zero characters', pattern: { source: [{ wildcard: 'Simple*Service' }] }, event: { source: 'SimpleService' }, match: true },
  { doc: 'RULER wildcard \\* is a literal asterisk', pattern: { v: [{ wildcard: 'a\\*b' }] }, event: { v: 'a*b' }, match: true },
  { doc: 'RULER wildcard \\* does not match other characters', pattern: { v: [{ wildcard: 'a\\*b' }] }, event: { v: 'axb' }, match: false },
  { doc: 'EB-CF wildcard on an ARN', pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' }, match: true },
  // --- anything-but --------------------------------------------------------------------------------
  { doc: 'EB-CF anything-but a string', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: d({ state: 'running' }), match: true },
  { doc: 'EB-CF anything-but a string (excluded)', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: d({ state: 'initializing' }), match: false },
  { doc: 'EB-CF anything-but a number', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: d({ 'x-limit': 124 }), match: true },
  { doc: 'EB-CF anything-but a number (excluded)', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: d({ 'x-limit': 123 }), match: false },
  { doc: 'EB-CF anything-but list of strings', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: d({ state: 'overloaded' }), match: false },
  { doc: 'EB-CF anything-but list of strings (other)', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: d({ state: 'running' }), match: true },
  { doc: 'EB-CF anything-but list of numbers', pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, event: d({ 'x-limit': 200 }), match: false },
  { doc: 'AWS-REC anything-but does not match a missing field', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: d({}), match: false },
  { doc: 'AWS-REC anything-but matches a null value', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: d({ state: null }), match: true },
  { doc: 'EB-CF anything-but prefix "init"', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: d({ state: 'initializing' }), match: false },
  { doc: 'EB-CF anything-but prefix: other value', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: d({ state: 'running' }), match: true },
  { doc: 'AWS-REC anything-but prefix matches a number', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: d({ state: 12 }), match: true },
  { doc: 'EB-CF anything-but suffix .png', pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] }, event: { FileName: 'a.png' }, match: false },
  { doc: 'AWS-REC anything-but suffix list', pattern: { FileName: [{ 'anything-but': { suffix: ['.png', '.txt'] } }] }, event: { FileName: 'a.txt' }, match: false },
  { doc: 'EB-CF anything-but equals-ignore-case', pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, event: { state: 'INITIALIZING' }, match: false },
  { doc: 'EB-CF anything-but equals-ignore-case (other)', pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] }, event: { state: 'Running' }, match: true },
  { doc: 'EB-CF anything-but wildcard */lib/*', pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { FilePath: '/usr/lib/x' }, match: false },
  { doc: 'EB-CF anything-but wildcard (other path)', pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { FilePath: '/usr/bin/x' }, match: true },
  { doc: 'AWS-REC anything-but wildcard matches a number', pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/dir/*' } }] } }, event: d({ FilePath: 123 }), match: true },
  // --- numeric -------------------------------------------------------------------------------------
  { doc: 'EB-CF numeric > 0 <= 5, < 10, = 3.018e2', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, event: d({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }), match: true },
  { doc: 'EB-CF numeric: lower bound is open', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, event: d({ 'c-count': 0 }), match: false },
  { doc: 'EB-CF numeric: upper bound', pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, event: d({ 'd-count': 10 }), match: false },
  { doc: 'EB-CF numeric >= ', pattern: { price: [{ numeric: ['>=', 10] }] }, event: { price: 10 }, match: true },
  { doc: 'EB-CF numeric works only on JSON numbers', pattern: { price: [{ numeric: ['>', 10] }] }, event: { price: '20' }, match: false },
  { doc: 'EB-CF numeric: Price more than 10 and at most 20', pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] }, event: { Price: 20 }, match: true },
  // --- cidr ----------------------------------------------------------------------------------------
  { doc: 'EB-CF IP address matching 10.0.0.0/24', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: d({ sourceIPAddress: '10.0.0.255' }), match: true },
  { doc: 'EB-CF IP address outside the block', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: d({ sourceIPAddress: '10.0.1.0' }), match: false },
  { doc: 'EB-CF IPv6 block', pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } }, event: d({ sourceIPAddress: '2001:db8:1234:1a00:0:0:0:1' }), match: true },
  { doc: 'EB-CF IPv6 outside the block', pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } }, event: d({ sourceIPAddress: '2001:db8:1234:1a01::1' }), match: false },
  { doc: 'AWS-REC cidr on a non-address string', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: d({ sourceIPAddress: 'bad-type' }), match: false },
  { doc: 'RULER a plain IP string matches any spelling of that address', pattern: { ip: ['2001:db8::1'] }, event: { ip: '2001:0db8:0:0:0:0:0:1' }, match: true },
  // --- exists --------------------------------------------------------------------------------------
  { doc: 'EB-CF exists true', pattern: { detail: { state: [{ exists: true }] } }, event: d({ state: 'pending' }), match: true },
  { doc: 'EB-CF exists true: field missing', pattern: { detail: { state: [{ exists: true }] } }, event: d({ 'c-count': { c1: 100 } }), match: false },
  { doc: 'EB-CF exists false', pattern: { detail: { 'c-count': [{ exists: false }] } }, event: d({ state: 'x' }), match: true },
  { doc: 'RULER exists false matches when the field is not a leaf', pattern: { detail: { 'c-count': [{ exists: false }] } }, event: d({ 'c-count': { c1: 100 } }), match: true },
  { doc: 'RULER exists true does not match a non-leaf', pattern: { detail: { 'c-count': [{ exists: true }] } }, event: d({ 'c-count': { c1: 100 } }), match: false },
  { doc: 'EB-CF exists true matches a null value', pattern: { detail: { v: [{ exists: true }] } }, event: d({ v: null }), match: true },
  { doc: 'AWS-REC anything-but or exists:false, field absent', pattern: { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } }, event: { dynamodb: { NewImage: { purchased: { N: '789' } } } }, match: true },
  // --- $or -----------------------------------------------------------------------------------------
  { doc: 'EB-CF $or: Location is "New York", or Day is "Monday"', pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, event: { Location: 'Paris', Day: 'Monday' }, match: true },
  { doc: 'EB-CF $or: neither', pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, event: { Location: 'Paris', Day: 'Sunday' }, match: false },
  { doc: 'RULER source && (metricName || (metricType && namespace) || scope)', pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }] }, event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' }, match: true },
  { doc: 'RULER $or inside a nested object', pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, event: d({ 'd-count': 3 }), match: true },
  { doc: 'RULER parallel $or', pattern: { $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }], detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] } }, event: { namespace: 'AWS/EC2', detail: { source: 'x' } }, match: false },
  // --- SNS, attribute scope ----------------------------------------------------------------------
  { doc: 'SNS-MF example policy against the example attributes', lang: 'attrs', pattern: { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] }, event: { store: S('example_corp'), event: S('order_placed'), customer_interests: A(['soccer', 'rugby', 'hockey']), price_usd: N('210.75') }, match: true },
  { doc: 'SNS-MF example policy: cancelled order is filtered out', lang: 'attrs', pattern: { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }] }, event: { store: S('example_corp'), event: S('order_cancelled') }, match: false },
  { doc: 'SNS-MF OR: rugby, football or baseball', lang: 'attrs', pattern: { customer_interests: ['rugby', 'football', 'baseball'] }, event: { customer_interests: S('football') }, match: true },
  { doc: 'SNS-MF String.Array matches if any element matches', lang: 'attrs', pattern: { customer_interests: ['rugby'] }, event: { customer_interests: A(['rugby', 'tennis']) }, match: true },
  { doc: 'SNS-MF AND: rugby and price over 100', lang: 'attrs', pattern: { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] }, event: { customer_interests: S('rugby'), price_usd: N('100') }, match: false },
  { doc: 'SNS-MF numeric needs a Number attribute', lang: 'attrs', pattern: { price_usd: [{ numeric: ['>', 100] }] }, event: { price_usd: S('150') }, match: false },
  { doc: 'SNS-MF numeric exact value', lang: 'attrs', pattern: { price_usd: [{ numeric: ['=', 301.5] }] }, event: { price_usd: N('301.50') }, match: true },
  { doc: 'SNS-MF string matching is case-sensitive', lang: 'attrs', pattern: { store: ['example_corp'] }, event: { store: S('Example_Corp') }, match: false },
  { doc: 'SNS-MF prefix', lang: 'attrs', pattern: { customer_interests: [{ prefix: 'bas' }] }, event: { customer_interests: S('baseball') }, match: true },
  { doc: 'SNS-MF suffix', lang: 'attrs', pattern: { customer_interests: [{ suffix: 'ball' }] }, event: { customer_interests: S('baseball') }, match: true },
  { doc: 'SNS-MF equals-ignore-case', lang: 'attrs', pattern: { customer_interests: [{ 'equals-ignore-case': 'RUGBY' }] }, event: { customer_interests: S('rugby') }, match: true },
  { doc: 'SNS-MF anything-but list', lang: 'attrs', pattern: { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] }, event: { customer_interests: S('baseball') }, match: true },
  { doc: 'SNS-MF anything-but: attribute absent does not match', lang: 'attrs', pattern: { customer_interests: [{ 'anything-but': ['rugby'] }] }, event: {}, match: false },
  { doc: 'SNS-MF anything-but prefix', lang: 'attrs', pattern: { event: [{ 'anything-but': { prefix: 'order-' } }] }, event: { event: S('order-cancelled') }, match: false },
  { doc: 'SNS-MF anything-but suffix', lang: 'attrs', pattern: { event: [{ 'anything-but': { suffix: '-cancelled' } }] }, event: { event: S('order-placed') }, match: true },
  { doc: 'SNS-MF key matching: exists true', lang: 'attrs', pattern: { store: [{ exists: true }] }, event: { store: S('fans'), customer_interests: A(['baseball', 'basketball']) }, match: true },
  { doc: 'SNS-MF key matching: exists true, key absent', lang: 'attrs', pattern: { store: [{ exists: true }] }, event: { customer_interests: A(['baseball', 'basketball']) }, match: false },
  { doc: 'SNS-MF key matching: exists false', lang: 'attrs', pattern: { store: [{ exists: false }] }, event: { customer_interests: A(['baseball', 'basketball']) }, match: true },
  { doc: 'SNS-MF key matching: exists false, key present', lang: 'attrs', pattern: { store: [{ exists: false }] }, event: { store: S('fans') }, match: false },
  { doc: 'SNS-MF IP address matching', lang: 'attrs', pattern: { source_ip: [{ cidr: '10.0.0.0/24' }] }, event: { source_ip: S('10.0.0.7') }, match: true },
  { doc: 'SNS-MF $or across attributes', lang: 'attrs', pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, event: { source: S('aws.cloudwatch'), namespace: S('AWS/EC2') }, match: true },
  { doc: 'SNS-FPC Binary attributes are ignored', lang: 'attrs', pattern: { image: [{ exists: false }] }, event: { image: { DataType: 'Binary', BinaryValue: Buffer.from('x') } }, match: true },
  { doc: 'SNS-FPC an empty policy {} filters nothing', lang: 'attrs', pattern: '{}', event: {}, match: true },
  // --- SNS, body scope -----------------------------------------------------------------------------
  { doc: 'SNS-MF payload-based filtering, nested keys', lang: 'body', pattern: { store: ['example_corp'], customer: { interests: ['rugby'] }, price_usd: [{ numeric: ['>=', 100] }] }, event: '{"store":"example_corp","customer":{"interests":["soccer","rugby"]},"price_usd":210.75}', match: true },
  { doc: 'SNS-MF payload: nested value does not match', lang: 'body', pattern: { customer: { interests: ['rugby'] } }, event: '{"customer":{"interests":["soccer"]}}', match: false },
  { doc: 'SNS-MF payload: key matching on the body', lang: 'body', pattern: { store: [{ exists: false }] }, event: '{"customer_interests":["baseball","basketball"]}', match: true },
  { doc: 'SNS-MF payload policies need a JSON object body', lang: 'body', pattern: { store: [{ exists: false }] }, event: 'plain text message', match: false },
];

function compile(lang: Lang, pattern: unknown) {
  const json = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  if (lang === 'eb') return compileEventPattern(json);
  return compileFilterPolicy(json, lang === 'attrs' ? 'MessageAttributes' : 'MessageBody');
}

describe('pattern conformance: matching', () => {
  for (const c of cases) {
    it(`${c.doc}`, () => {
      const lang = c.lang ?? 'eb';
      const p = compile(lang, c.pattern);
      const event = lang === 'attrs' ? snsAttributesToEvent(c.event as SnsMessageAttributes) : c.event;
      assert.equal(p.matches(event), c.match);
    });
  }
});

/** Invalid patterns, with the message AWS returns (AWS-REC unless noted). */
const invalid: { doc: string; lang?: Lang; inSubscribe?: boolean; pattern: string; message: string }[] = [
  { doc: 'AWS-REC value neither object nor array', pattern: '{"int": 42}', message: 'Event pattern is not valid. Reason: "int" must be an object or an array\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]' },
  { doc: 'AWS-REC string instead of array', pattern: '{"string": "my-value"}', message: 'Event pattern is not valid. Reason: "string" must be an object or an array\n at [Source: (String)"{"string": "my-value"}"; line: 1, column: 13]' },
  { doc: 'AWS-REC empty array', pattern: '{"resources": []}', message: 'Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: (String)"{"resources": []}"; line: 1, column: 17]' },
  { doc: 'AWS-REC operators are case-sensitive', pattern: '{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', message: 'Event pattern is not valid. Reason: Unrecognized match type NUMERIC\n at [Source: (String)"{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}"; line: 1, column: 36]' },
  { doc: 'AWS-REC EXISTS', pattern: '{"my_key": [{"EXISTS": true}]}', message: 'Event pattern is not valid. Reason: Unrecognized match type EXISTS\n at [Source: (String)"{"my_key": [{"EXISTS": true}]}"; line: 1, column: 28]' },
  { doc: 'AWS-REC two lower bounds', pattern: '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', message: 'Event pattern is not valid. Reason: Bad numeric range operator: >\n at [Source: (String)"{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}"; line: 1, column: 49]' },
  { doc: 'AWS-REC missing upper value', pattern: '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', message: 'Event pattern is not valid. Reason: Value of < must be numeric\n at [Source: (String)"{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}"; line: 1, column: 50]' },
  { doc: 'AWS-REC consecutive wildcards', pattern: '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', message: 'Event pattern is not valid. Reason: Consecutive wildcard characters at pos 26\n at [Source: (String)"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}"; line: 1, column: 72]' },
  { doc: 'AWS-REC / EB-CF wildcard too complex (documented example)', pattern: '{"EventBusArn": [ { "wildcard": "*:*:*:*:*:event-bus/*" } ]}', message: 'Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character' },
  { doc: 'AWS-REC wildcard must be a string', pattern: '{"EventBusArn": [{"wildcard": 123}]}', message: 'Event pattern is not valid. Reason: wildcard match pattern must be a string\n at [Source: (String)"{"EventBusArn": [{"wildcard": 123}]}"; line: 1, column: 34]' },
  { doc: 'AWS-REC equals-ignore-case takes a string', pattern: '{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', message: 'Event pattern is not valid. Reason: equals-ignore-case match pattern must be a string\n at [Source: (String)"{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}"; line: 1, column: 42]' },
  { doc: 'AWS-REC anything-but equals-ignore-case number', pattern: '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', message: 'Event pattern is not valid. Reason: Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.\n at [Source: (String)"{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}"; line: 1, column: 66]' },
  { doc: 'AWS-REC anything-but equals-ignore-case list of numbers (location twice)', pattern: '{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', message: 'Event pattern is not valid. Reason: Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.\n at [Source: (String)"{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}"; line: 1, column: 67]\n at [Source: (String)"{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}"; line: 1, column: 67]' },
  { doc: 'AWS-REC anything-but prefix number', pattern: '{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', message: 'Event pattern is not valid. Reason: prefix/suffix match pattern must be a string\n at [Source: (String)"{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}"; line: 1, column: 54]' },
  { doc: 'AWS-REC anything-but prefix with ignore-case', pattern: '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', message: 'Event pattern is not valid. Reason: Value of anything-but must be an array or single string/number value.\n at [Source: (String)"{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}"; line: 1, column: 55]' },
  { doc: 'AWS-REC prefix takes a string, not a list', pattern: '{"time": [{"prefix": ["2022-07-13"]}]}', message: 'Event pattern is not valid. Reason: prefix match pattern must be a string\n at [Source: (String)"{"time": [{"prefix": ["2022-07-13"]}]}"; line: 1, column: 23]' },
  { doc: 'AWS-REC suffix number', pattern: '{"FileName": [{"suffix": 123}]}', message: 'Event pattern is not valid. Reason: suffix match pattern must be a string\n at [Source: (String)"{"FileName": [{"suffix": 123}]}"; line: 1, column: 29]' },
  { doc: 'AWS-REC cidr without a slash', pattern: '{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0"}]}}', message: "Event pattern is not valid. Reason: Malformed CIDR, one '/' required" },
  { doc: 'AWS-REC cidr bad mask', pattern: '{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/xx"}]}}', message: 'Event pattern is not valid. Reason: Malformed CIDR, mask bits must be an integer' },
  { doc: 'AWS-REC cidr bad address', pattern: '{"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/8"}]}}', message: 'Event pattern is not valid. Reason: Nonstandard IP address: xx.11.xx' },
  { doc: 'AWS-REC cidr bad IPv6 address', pattern: '{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}', message: 'Event pattern is not valid. Reason: Nonstandard IP address: xxxx:db8:1234:1a00::' },
  { doc: 'AWS-REC cidr type', pattern: '{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', message: 'Event pattern is not valid. Reason: prefix match pattern must be a string\n at [Source: (String)"{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}"; line: 1, column: 43]' },
  { doc: 'AWS-REC not JSON', pattern: 'this is valid json but not a dict', message: "Event pattern is not valid. Reason: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"this is valid json but not a dict\"; line: 1, column: 5]" },
  { doc: 'AWS-REC single quotes', pattern: "{'bad': 'quotation'}", message: "Event pattern is not valid. Reason: Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)\"{'bad': 'quotation'}\"; line: 1, column: 2]" },
  { doc: 'AWS-REC not an object', pattern: '["not", "a", "dict", "but valid json"]', message: 'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]' },
  // SNS
  { doc: 'AWS-REC SNS nested array value', lang: 'attrs', inSubscribe: true, pattern: '{"key":[["value"]]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Match value must be String, number, true, false, or null\n at [Source: (String)"{"key":[["value"]]}"; line: 1, column: 10]' },
  { doc: 'AWS-REC SNS unknown operator', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"wrong-operator":true}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator\n at [Source: (String)"{"key":[{"wrong-operator":true}]}"; line: 1, column: 31]' },
  { doc: 'AWS-REC SNS two operators', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"suffix":"value","prefix":"value2"}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Only one key allowed in match expression\n at [Source: (String)"{"key":[{"suffix":"value","prefix":"value2"}]}"; line: 1, column: 37]' },
  { doc: 'AWS-REC SNS operator object instead of list', lang: 'attrs', inSubscribe: true, pattern: '{"key":{"suffix":"value"}}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: "suffix" must be an object or an array\n at [Source: (String)"{"key":{"suffix":"value"}}"; line: 1, column: 19]' },
  { doc: 'AWS-REC SNS exists needs a boolean', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"exists":"no"}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be either true or false.\n at [Source: (String)"{"key":[{"exists":"no"}]}"; line: 1, column: 20]' },
  { doc: 'AWS-REC SNS empty numeric', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"numeric":[]}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: ]\n at [Source: (String)"{"key":[{"numeric":[]}]}"; line: 1, column: 22]' },
  { doc: 'AWS-REC SNS numeric value type', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"numeric":["=","000"]}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Value of equals must be numeric\n at [Source: (String)"{"key":[{"numeric":["=","000"]}]}"; line: 1, column: 26]' },
  { doc: 'AWS-REC SNS range missing operator', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"numeric":[">",20,30]}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Bad value in numeric range: 30\n at [Source: (String)"{"key":[{"numeric":[">",20,30]}]}"; line: 1, column: 30]' },
  { doc: 'AWS-REC SNS range bounds order', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"numeric":[">",3,"<",1]}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top\n at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]' },
  { doc: 'AWS-REC SNS too many range terms', lang: 'attrs', inSubscribe: true, pattern: '{"key":[{"numeric":[">",20,"<",30,"<",50]}]}', message: 'Invalid parameter: Attributes Reason: FilterPolicy: Too many terms in numeric range expression\n at [Source: (String)"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"; line: 1, column: 36]' },
  { doc: 'SNS-FPC more than 5 keys', lang: 'attrs', pattern: '{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}', message: 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys' },
  { doc: 'SNS-FPC more than 150 combinations', lang: 'attrs', pattern: JSON.stringify({ a: Array.from({ length: 151 }, (_, i) => `v${i}`) }), message: 'Invalid parameter: FilterPolicy: Filter policy is too complex' },
  { doc: 'SNS-FPC nested keys multiply by depth (4×3 × 3×2 = 72 is fine, ×3 more is not)', lang: 'body', pattern: '{"a":{"b":{"c":["1","2","3","4"]}},"d":{"e":["1","2","3"]},"f":["1","2","3"]}', message: 'Invalid parameter: FilterPolicy: Filter policy is too complex' },
  { doc: 'SNS-FPC attribute scope is not nested', lang: 'attrs', pattern: '{"a":{"b":["1"]}}', message: 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy' },
  { doc: 'SNS-MF SNS has no wildcard operator', lang: 'body', pattern: '{"a":[{"wildcard":"x*"}]}', message: 'Invalid parameter: FilterPolicy: Unrecognized match type wildcard\n at [Source: (String)"{"a":[{"wildcard":"x*"}]}"; line: 1, column: 20]' },
];

describe('pattern conformance: invalid patterns', () => {
  for (const c of invalid) {
    it(c.doc, () => {
      const lang = c.lang ?? 'eb';
      assert.throws(
        () => lang === 'eb' ? compileEventPattern(c.pattern) : compileFilterPolicy(c.pattern, lang === 'attrs' ? 'MessageAttributes' : 'MessageBody', { inSubscribe: c.inSubscribe }),
        (e: unknown) => {
          const err = e as { code: string; message: string; status: number };
          assert.equal(err.code, lang === 'eb' ? 'InvalidEventPatternException' : 'InvalidParameter');
          assert.equal(err.status, 400);
          assert.equal(err.message, c.message);
          return true;
        },
      );
    });
  }

  it('SNS-FPC 72 combinations (the documented nested example) is accepted', () => {
    compileFilterPolicy('{"key_a":{"key_b":{"key_c":["1","2","3","4"]}},"key_d":{"key_e":["1","2","3"]}}', 'MessageBody');
  });
});
