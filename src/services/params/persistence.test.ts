/**
 * What lands on disk: SecureString values only sealed, everything surviving a reopen of the data
 * dir, and the service definition the gateway is handed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness, rejectsWith } from './harness.test.js';
import { OPERATION_NAMES } from './api.js';

const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';

test('SecureString (S8): sealed at rest, ciphertext without decryption, plaintext with it', async () => {
  const h = await harness();
  const put = await h.call('PutParameter', { Name: '/alerts/slack-webhook', Value: WEBHOOK, Type: 'SecureString' });
  assert.deepEqual(put, { Version: 1, Tier: 'Standard' });

  const rows = await h.store.all<{ value: string; key_id: string }>('SELECT value, key_id FROM ssm_parameter_versions WHERE name = ?', ['/alerts/slack-webhook']);
  assert.equal(rows.length, 1);
  assert.ok(!rows[0].value.includes(WEBHOOK), 'the plaintext is not stored');
  assert.ok(!rows[0].value.includes('hooks.slack.com'));
  assert.match(rows[0].value, /^v1:/);
  assert.equal(rows[0].key_id, 'alias/aws/ssm');

  const hidden = (await h.call('GetParameter', { Name: '/alerts/slack-webhook' })).Parameter;
  assert.equal(hidden.Type, 'SecureString');
  assert.notEqual(hidden.Value, WEBHOOK);
  assert.ok(!String(hidden.Value).includes('slack'));
  const shown = (await h.call('GetParameter', { Name: '/alerts/slack-webhook', WithDecryption: true })).Parameter;
  assert.equal(shown.Value, WEBHOOK);
  const many = (await h.call('GetParameters', { Names: ['/alerts/slack-webhook'], WithDecryption: true })).Parameters;
  assert.equal(many[0].Value, WEBHOOK);
  await h.close();
});

test('a sealed value copied onto another parameter does not open there', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/a', Value: 'secret-a', Type: 'SecureString' });
  await h.call('PutParameter', { Name: '/b', Value: 'secret-b', Type: 'SecureString' });
  await h.store.run("UPDATE ssm_parameter_versions SET value = (SELECT value FROM ssm_parameter_versions WHERE name = '/a') WHERE name = '/b'");
  await assert.rejects(h.call('GetParameter', { Name: '/b', WithDecryption: true }));
  assert.equal((await h.call('GetParameter', { Name: '/a', WithDecryption: true })).Parameter.Value, 'secret-a');
  await h.close();
});

test('everything survives closing and reopening the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-params-'));
  try {
    const first = await harness({ dataDir: dir });
    await first.call('PutParameter', { Name: '/keep/secret', Value: WEBHOOK, Type: 'SecureString', Description: 'slack' });
    await first.call('PutParameter', { Name: '/keep/secret', Value: `${WEBHOOK}/v2`, Overwrite: true });
    await first.call('LabelParameterVersion', { Name: '/keep/secret', ParameterVersion: 1, Labels: ['original'] });
    await first.call('PutParameter', { Name: '/keep/list', Value: 'a,b', Type: 'StringList', Tags: [{ Key: 'env', Value: 'prod' }] });
    await first.close();

    // nothing in the data dir holds the plaintext
    for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).includes('XXXXSECRETXXXX'), `${f} holds no plaintext`);

    const second = await harness({ dataDir: dir, key: first.key });
    assert.equal((await second.call('GetParameter', { Name: '/keep/secret', WithDecryption: true })).Parameter.Value, `${WEBHOOK}/v2`);
    assert.equal((await second.call('GetParameter', { Name: '/keep/secret:original', WithDecryption: true })).Parameter.Value, WEBHOOK);
    const history = (await second.call('GetParameterHistory', { Name: '/keep/secret' })).Parameters;
    assert.deepEqual(history.map((p: { Version: number; Labels: string[]; Description: string }) => [p.Version, p.Labels, p.Description]),
      [[1, ['original'], 'slack'], [2, [], 'slack']]);
    assert.deepEqual((await second.call('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/keep/list' })).TagList,
      [{ Key: 'env', Value: 'prod' }]);
    assert.equal((await second.call('PutParameter', { Name: '/keep/list', Value: 'c', Overwrite: true })).Version, 2);
    await rejectsWith(second.call('PutParameter', { Name: '/keep/list', Value: 'c', Type: 'StringList' }), 'ParameterAlreadyExists');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the service definition: names, protocol, a handler per Parameter Store operation in the model', async () => {
  const h = await harness();
  const s = h.service;
  assert.deepEqual([s.name, s.signingName, s.eventSource, s.protocols], ['ssm', 'ssm', 'ssm.amazonaws.com', ['json']]);
  assert.equal(s.model.metadata.targetPrefix, 'AmazonSSM');
  assert.equal(s.model.metadata.jsonVersion, '1.1');
  assert.deepEqual(Object.keys(s.handlers).sort(), [...OPERATION_NAMES].sort());
  assert.equal(OPERATION_NAMES.length, 13);
  for (const op of OPERATION_NAMES) assert.ok(s.model.operations[op], `${op} is in the SSM model`);
  // a body-less call reaches the handler as an empty input and fails validation, not with a TypeError
  await rejectsWith(Promise.resolve().then(() => s.handlers.GetParameter(undefined, {
    requestId: 'r', accountId: '1', region: 'r', accessKeyId: '', principalArn: 'p', sourceIp: '', userAgent: '', now: new Date(),
  }) as Promise<unknown>), 'ValidationException');
  await h.close();
});
