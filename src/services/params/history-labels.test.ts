/**
 * GetParameterHistory, LabelParameterVersion, UnlabelParameterVersion and the 100-version limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, PRINCIPAL, rejectsWith, type Harness } from './harness.test.js';

async function versions(h: Harness, name: string, n: number, type = 'String'): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await h.call('PutParameter', { Name: name, Value: `value-${i}`, Type: type, Description: `v${i}`, Overwrite: true });
    h.clock.advance(1000);
  }
}

test('GetParameterHistory lists every version with its own fields and labels', async () => {
  const h = await harness();
  await versions(h, '/h', 3);
  await h.call('LabelParameterVersion', { Name: '/h', ParameterVersion: 1, Labels: ['old', 'first'] });
  await h.call('LabelParameterVersion', { Name: '/h', Labels: ['latest'] });
  const { Parameters, NextToken } = await h.call('GetParameterHistory', { Name: '/h' });
  assert.equal(NextToken, undefined);
  assert.deepEqual(Parameters.map((p: { Version: number; Value: string; Description: string; Labels: string[] }) => [p.Version, p.Value, p.Description, p.Labels]), [
    [1, 'value-1', 'v1', ['first', 'old']],
    [2, 'value-2', 'v2', []],
    [3, 'value-3', 'v3', ['latest']],
  ]);
  assert.deepEqual(Parameters[1], {
    Name: '/h',
    Type: 'String',
    LastModifiedDate: new Date(Date.UTC(2024, 4, 1, 12, 0, 1)),
    LastModifiedUser: PRINCIPAL,
    Description: 'v2',
    Value: 'value-2',
    Version: 2,
    Labels: [],
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
  });
  await rejectsWith(h.call('GetParameterHistory', { Name: '/none' }), 'ParameterNotFound', 'Parameter /none not found.');
  // by ARN
  const byArn = await h.call('GetParameterHistory', { Name: 'arn:aws:ssm:eu-west-1:111122223333:parameter/h' });
  assert.equal(byArn.Parameters.length, 3);
  await h.close();
});

test('GetParameterHistory of a SecureString: ciphertext unless WithDecryption', async () => {
  const h = await harness();
  await versions(h, '/sec', 2, 'SecureString');
  const sealed = (await h.call('GetParameterHistory', { Name: '/sec' })).Parameters;
  assert.ok(sealed.every((p: { Value: string }) => !p.Value.includes('value-')));
  assert.equal(sealed[0].KeyId, 'alias/aws/ssm');
  const open = (await h.call('GetParameterHistory', { Name: '/sec', WithDecryption: true })).Parameters;
  assert.deepEqual(open.map((p: { Value: string }) => p.Value), ['value-1', 'value-2']);
  await h.close();
});

test('GetParameterHistory pagination', async () => {
  const h = await harness();
  await versions(h, '/pg', 7);
  const a = await h.call('GetParameterHistory', { Name: '/pg', MaxResults: 3 });
  const b = await h.call('GetParameterHistory', { Name: '/pg', MaxResults: 3, NextToken: a.NextToken });
  const c = await h.call('GetParameterHistory', { Name: '/pg', MaxResults: 3, NextToken: b.NextToken });
  assert.deepEqual([a, b, c].map((r) => r.Parameters.map((p: { Version: number }) => p.Version)), [[1, 2, 3], [4, 5, 6], [7]]);
  assert.equal(c.NextToken, undefined);
  await rejectsWith(h.call('GetParameterHistory', { Name: '/pg', MaxResults: 51 }), 'ValidationException');
  await rejectsWith(h.call('GetParameterHistory', { Name: '/pg', NextToken: 'xyz' }), 'InvalidNextToken');
  await h.close();
});

test('LabelParameterVersion: latest by default, moving labels, invalid labels, limits', async () => {
  const h = await harness();
  await versions(h, '/l', 3);
  assert.deepEqual(await h.call('LabelParameterVersion', { Name: '/l', Labels: ['current'] }), { InvalidLabels: [], ParameterVersion: 3 });
  // moving 'current' to version 1 takes it off version 3
  assert.deepEqual(await h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 1, Labels: ['current'] }),
    { InvalidLabels: [], ParameterVersion: 1 });
  assert.equal((await h.call('GetParameter', { Name: '/l:current' })).Parameter.Value, 'value-1');
  const labelsOf = async () => (await h.call('GetParameterHistory', { Name: '/l' })).Parameters.map((p: { Labels: string[] }) => p.Labels);
  assert.deepEqual(await labelsOf(), [['current'], [], []]);
  // labelling again is a no-op, not a second copy
  await h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 1, Labels: ['current'] });
  assert.deepEqual(await labelsOf(), [['current'], [], []]);

  const r = await h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 2, Labels: ['ok_1', 'awsX', 'SSMy', '9lives', 'bad/char', 'also.ok-2'] });
  assert.deepEqual(r, { InvalidLabels: ['awsX', 'SSMy', '9lives', 'bad/char'], ParameterVersion: 2 });
  assert.deepEqual(await labelsOf(), [['current'], ['also.ok-2', 'ok_1'], []]);

  await rejectsWith(h.call('LabelParameterVersion', { Name: '/l', Labels: ['a'.repeat(101)] }), 'ValidationException',
    /Member must have length less than or equal to 100/);
  await rejectsWith(h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 9, Labels: ['x'] }), 'ParameterVersionNotFound',
    'Systems Manager could not find version 9 of /l. Verify the version and try again.');
  await rejectsWith(h.call('LabelParameterVersion', { Name: '/nope', Labels: ['x'] }), 'ParameterNotFound', 'Parameter /nope not found.');

  // at most 10 labels on one version, counting those already there
  const eight = Array.from({ length: 8 }, (_, i) => `l${i}`);
  await h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 3, Labels: eight });
  await rejectsWith(h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 3, Labels: ['m1', 'm2', 'm3'] }),
    'ParameterVersionLabelLimitExceeded', /maximum 10 labels/);
  assert.equal((await labelsOf())[2].length, 8, 'nothing attached when the call is refused');
  await h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 3, Labels: ['m1', 'm2'] });
  await rejectsWith(h.call('LabelParameterVersion', { Name: '/l', ParameterVersion: 1, Labels: Array.from({ length: 11 }, (_, i) => `n${i}`) }),
    'ParameterVersionLabelLimitExceeded');
  await h.close();
});

test('UnlabelParameterVersion: removed and invalid labels, errors', async () => {
  const h = await harness();
  await versions(h, '/u', 2);
  await h.call('LabelParameterVersion', { Name: '/u', ParameterVersion: 1, Labels: ['a', 'b'] });
  await h.call('LabelParameterVersion', { Name: '/u', ParameterVersion: 2, Labels: ['c'] });
  const r = await h.call('UnlabelParameterVersion', { Name: '/u', ParameterVersion: 1, Labels: ['a', 'c', 'zzz'] });
  assert.deepEqual(r, { RemovedLabels: ['a'], InvalidLabels: ['c', 'zzz'] });
  await rejectsWith(h.call('GetParameter', { Name: '/u:a' }), 'ParameterNotFound');
  assert.equal((await h.call('GetParameter', { Name: '/u:c' })).Parameter.Version, 2);
  await rejectsWith(h.call('UnlabelParameterVersion', { Name: '/u', ParameterVersion: 5, Labels: ['b'] }), 'ParameterVersionNotFound');
  await rejectsWith(h.call('UnlabelParameterVersion', { Name: '/x', ParameterVersion: 1, Labels: ['b'] }), 'ParameterNotFound');
  await rejectsWith(h.call('UnlabelParameterVersion', { Name: '/u', Labels: ['b'] }), 'ValidationException', /parameterVersion/);
  await h.close();
});

test('100 versions kept: the oldest goes, unless it carries a label', async () => {
  const h = await harness();
  for (let i = 1; i <= 100; i++) await h.call('PutParameter', { Name: '/cap', Value: `v${i}`, Type: 'String', Overwrite: true });
  assert.equal((await h.call('PutParameter', { Name: '/cap', Value: 'v101', Overwrite: true })).Version, 101);
  const history = async () => {
    const out: number[] = [];
    let NextToken: string | undefined;
    do {
      const r = await h.call('GetParameterHistory', { Name: '/cap', NextToken });
      out.push(...r.Parameters.map((p: { Version: number }) => p.Version));
      NextToken = r.NextToken;
    } while (NextToken);
    return out;
  };
  let kept = await history();
  assert.equal(kept.length, 100);
  assert.equal(kept[0], 2);
  assert.equal(kept[99], 101);
  await rejectsWith(h.call('GetParameter', { Name: '/cap:1' }), 'ParameterVersionNotFound');

  await h.call('LabelParameterVersion', { Name: '/cap', ParameterVersion: 2, Labels: ['pinned'] });
  await rejectsWith(h.call('PutParameter', { Name: '/cap', Value: 'v102', Overwrite: true }), 'ParameterMaxVersionLimitExceeded',
    /Version 2, the oldest version, can't be deleted because it has a label associated with it/);
  kept = await history();
  assert.equal(kept.length, 100, 'a refused write changes nothing');
  assert.equal(kept[99], 101);
  // moving the label off the oldest version unblocks writes
  await h.call('LabelParameterVersion', { Name: '/cap', ParameterVersion: 50, Labels: ['pinned'] });
  assert.equal((await h.call('PutParameter', { Name: '/cap', Value: 'v102', Overwrite: true })).Version, 102);
  kept = await history();
  assert.deepEqual([kept[0], kept.length], [3, 100]);
  await h.close();
});
