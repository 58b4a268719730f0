/**
 * Tags on log groups through both APIs (by name and by ARN), at creation, and the 50-tag limit
 * answered the way each API answers it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, harness, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const ARN = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const many = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

describe('tags', () => {
  test('on CreateLogGroup, then by name and by ARN (with or without :*)', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'tagged', tags: { team: 'core', env: 'dev' } });
    assert.deepEqual((await h.call('ListTagsLogGroup', { logGroupName: 'tagged' })).tags, { env: 'dev', team: 'core' });
    await h.call('TagLogGroup', { logGroupName: 'tagged', tags: { env: 'prod', cost: '42' } });
    await h.call('UntagLogGroup', { logGroupName: 'tagged', tags: ['team'] });
    assert.deepEqual((await h.call('ListTagsForResource', { resourceArn: ARN('tagged') })).tags, { cost: '42', env: 'prod' });
    await h.call('TagResource', { resourceArn: `${ARN('tagged')}:*`, tags: { owner: 'me' } });
    await h.call('UntagResource', { resourceArn: ARN('tagged'), tagKeys: ['cost', 'absent'] });
    assert.deepEqual((await h.call('ListTagsLogGroup', { logGroupName: 'tagged' })).tags, { env: 'prod', owner: 'me' });
  });

  test('at most 50: TooManyTagsException by ARN, InvalidParameterException by name', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'full', tags: many(49) });
    await h.call('TagResource', { resourceArn: ARN('full'), tags: { k0: 'replaced', last: 'v' } });
    await rejectsWith(h.call('TagResource', { resourceArn: ARN('full'), tags: { extra: 'v' } }), 'TooManyTagsException');
    await rejectsWith(h.call('TagLogGroup', { logGroupName: 'full', tags: { extra: 'v' } }), 'InvalidParameterException', /50 tags/);
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'over', tags: many(51) }), 'InvalidParameterException', /less than or equal to 50/);
    assert.equal(Object.keys((await h.call('ListTagsLogGroup', { logGroupName: 'full' })).tags).length, 50);
  });

  test('bad keys, unknown groups and foreign ARNs', async () => {
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'g', tags: { 'aws:x': 'v' } }), 'InvalidParameterException');
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'g', tags: { 'bad!': 'v' } }), 'InvalidParameterException', /tags.key/);
    await rejectsWith(h.call('ListTagsLogGroup', { logGroupName: 'nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(h.call('ListTagsForResource', { resourceArn: ARN('nope') }), 'ResourceNotFoundException');
    await rejectsWith(h.call('ListTagsForResource', { resourceArn: `arn:aws:logs:${REGION}:999999999999:log-group:tagged` }), 'ResourceNotFoundException');
    await rejectsWith(h.call('TagResource', { resourceArn: 'arn:aws:sqs:eu-west-1:111122223333:q', tags: { a: 'b' } }), 'InvalidParameterException');
  });
});
