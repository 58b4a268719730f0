/**
 * Tagging operations and DeleteParameter(s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, rejectsWith } from './harness.test.js';

const tagsOf = async (h: Awaited<ReturnType<typeof harness>>, ResourceId: string) =>
  (await h.call('ListTagsForResource', { ResourceType: 'Parameter', ResourceId })).TagList;

test('tags: PutParameter Tags, add (overwrite a key), remove, list sorted', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/t', Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'ops' }] });
  assert.deepEqual(await tagsOf(h, '/t'), [{ Key: 'team', Value: 'ops' }]);
  assert.deepEqual(await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }] }), {});
  assert.deepEqual(await tagsOf(h, '/t'), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }]);
  assert.deepEqual(await h.call('RemoveTagsFromResource', { ResourceType: 'Parameter', ResourceId: '/t', TagKeys: ['team', 'absent'] }), {});
  assert.deepEqual(await tagsOf(h, '/t'), [{ Key: 'env', Value: 'prod' }]);
  // an empty value is a value
  await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'flag', Value: '' }] });
  assert.deepEqual(await tagsOf(h, '/t'), [{ Key: 'env', Value: 'prod' }, { Key: 'flag', Value: '' }]);
  // overwriting a parameter keeps its tags
  await h.call('PutParameter', { Name: '/t', Value: 'w', Overwrite: true });
  assert.equal((await tagsOf(h, '/t')).length, 2);
  await h.close();
});

test('tags: errors', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/t', Value: 'v', Type: 'String' });
  await rejectsWith(h.call('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/missing' }), 'InvalidResourceId');
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/missing', Tags: [{ Key: 'a', Value: 'b' }] }), 'InvalidResourceId');
  await rejectsWith(h.call('ListTagsForResource', { ResourceType: 'Document', ResourceId: '/t' }), 'InvalidResourceType');
  await rejectsWith(h.call('ListTagsForResource', { ResourceType: 'Bucket', ResourceId: '/t' }), 'ValidationException',
    /at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set/);
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: '', Value: 'b' }] }), 'ValidationException',
    /tags.1.member.key/);
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'aws:x', Value: 'b' }] }), 'ValidationException');
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }),
    'ValidationException', /tags.1.member.value/);
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t' }), 'ValidationException', /Value null at 'tags'/);

  const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: fifty });
  // re-adding existing keys stays within 50
  await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'k0', Value: 'new' }] });
  await rejectsWith(h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/t', Tags: [{ Key: 'k50', Value: 'v' }] }), 'TooManyTagsError');
  assert.equal((await tagsOf(h, '/t')).length, 50);
  await rejectsWith(h.call('PutParameter', { Name: '/many-tags', Value: 'v', Type: 'String', Tags: [...fifty, { Key: 'k50', Value: 'v' }] }), 'TooManyTagsError');
  await rejectsWith(h.call('GetParameter', { Name: '/many-tags' }), 'ParameterNotFound', undefined);
  await h.close();
});

test('DeleteParameter removes every version, label and tag', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/d', Value: 'v1', Type: 'String', Tags: [{ Key: 'a', Value: 'b' }] });
  await h.call('PutParameter', { Name: '/d', Value: 'v2', Overwrite: true });
  await h.call('LabelParameterVersion', { Name: '/d', ParameterVersion: 1, Labels: ['keep'] });
  assert.deepEqual(await h.call('DeleteParameter', { Name: '/d' }), {});
  await rejectsWith(h.call('GetParameter', { Name: '/d' }), 'ParameterNotFound');
  await rejectsWith(h.call('DeleteParameter', { Name: '/d' }), 'ParameterNotFound', 'Parameter /d not found.');
  // a new parameter of that name starts from scratch
  assert.equal((await h.call('PutParameter', { Name: '/d', Value: 'fresh', Type: 'String' })).Version, 1);
  assert.deepEqual(await tagsOf(h, '/d'), []);
  await rejectsWith(h.call('GetParameter', { Name: '/d:keep' }), 'ParameterNotFound');
  const raw = await h.store.all("SELECT * FROM ssm_parameter_labels WHERE name = '/d'");
  assert.equal(raw.length, 0);
  await h.close();
});

test('DeleteParameters reports deleted and invalid names, at most 10', async () => {
  const h = await harness();
  for (const n of ['a', 'b', 'c']) await h.call('PutParameter', { Name: n, Value: 'v', Type: 'String' });
  const r = await h.call('DeleteParameters', { Names: ['a', 'zz', 'c', 'a'] });
  assert.deepEqual(r, { DeletedParameters: ['a', 'c'], InvalidParameters: ['zz'] });
  assert.deepEqual((await h.call('GetParameters', { Names: ['a', 'b', 'c'] })).InvalidParameters, ['a', 'c']);
  await rejectsWith(h.call('DeleteParameters', { Names: Array.from({ length: 11 }, (_, i) => `n${i}`) }), 'ValidationException', /at 'names'/);
  await rejectsWith(h.call('DeleteParameters', { Names: [] }), 'ValidationException', /greater than or equal to 1/);
  await h.close();
});
