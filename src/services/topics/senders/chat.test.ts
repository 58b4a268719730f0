/**
 * Slack, Teams and Discord senders against real receivers: the JSON each service expects, its
 * success codes (200 / 202 / 204), its rate-limit answers (Retry-After; Discord's JSON
 * retry_after) and, through the real engine, Slack's one message per second per webhook.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeHttpPools } from '../../../core/deliveries/http-client.js';
import type { Sender } from '../../../core/deliveries/types.js';
import { discordRetryAfter, discordSender, slackSender, teamsSender } from './chat.js';
import { senderContext, type SenderContext } from './context.js';
import { registerSnsSenders } from './index.js';
import { loadOrCreateSigningIdentity } from './signing.js';
import { ALARM_MESSAGE, delivery, job, kit, receiver, type Answer } from './kit.test.js';

after(() => closeHttpPools());

async function withSender<T>(make: (ctx: SenderContext) => Sender, fn: (send: Sender) => Promise<T>): Promise<T> {
  const k = await kit({ publicUrl: 'https://sbx.example.com' });
  try {
    return await fn(make(senderContext(k.deps, loadOrCreateSigningIdentity(':memory:', k.deps.secrets, k.deps.log))));
  } finally {
    await k.close();
  }
}

test('Slack: the alarm card POSTed as JSON; 200 ok is delivered', async () => {
  const rcv = await receiver(() => ({ status: 200, body: 'ok' }));
  try {
    await withSender(slackSender, async (send) => {
      const o = await send(job(delivery({ protocol: 'slack', endpoint: `${rcv.url}/services/T0/B0/x`, subject: 'ALARM: "HighCPU" in EU (Ireland)', message: ALARM_MESSAGE }), 'sns.slack'));
      assert.deepEqual(o, { ok: true, status: 200, excerpt: 'ok' });
    });
    const r = await rcv.next(1);
    assert.equal(r.path, '/services/T0/B0/x');
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const body = JSON.parse(r.body);
    assert.equal(body.text, 'ALARM: "HighCPU" in EU (Ireland)');
    assert.equal(body.blocks[0].type, 'header');
    assert.equal(body.attachments[0].color, '#E01E5A');
  } finally {
    await rcv.close();
  }
});

test('Slack: 429 + Retry-After is retried later; 410 channel_is_archived and 404 are permanent', async () => {
  const answers: Answer[] = [
    { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' },
    { status: 410, body: 'channel_is_archived' },
    { status: 404, body: 'no_service' },
  ];
  let i = 0;
  const rcv = await receiver(() => answers[i++]);
  try {
    await withSender(slackSender, async (send) => {
      const d = delivery({ protocol: 'slack', endpoint: rcv.url });
      const limited = await send(job(d, 'sns.slack'));
      assert.ok(!limited.ok && limited.retryable && limited.retryAfterMs === 30_000 && limited.status === 429);
      const archived = await send(job(d, 'sns.slack'));
      assert.ok(!archived.ok && !archived.retryable && archived.excerpt === 'channel_is_archived');
      const revoked = await send(job(d, 'sns.slack'));
      assert.ok(!revoked.ok && !revoked.retryable);
    });
  } finally {
    await rcv.close();
  }
});

test('Teams: an Adaptive Card message; 202 Accepted is delivered', async () => {
  const rcv = await receiver(() => ({ status: 202 }));
  try {
    await withSender(teamsSender, async (send) => {
      const o = await send(job(delivery({ protocol: 'teams', endpoint: `${rcv.url}/workflows/abc`, message: ALARM_MESSAGE }), 'sns.teams'));
      assert.deepEqual(o, { ok: true, status: 202 });
    });
    const body = JSON.parse((await rcv.next(1)).body);
    assert.equal(body.type, 'message');
    assert.equal(body.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(body.attachments[0].content.type, 'AdaptiveCard');
    assert.equal(body.attachments[0].content.body[0].style, 'attention');
  } finally {
    await rcv.close();
  }
});

test('Discord: content and embeds; 204 delivered; 429 honours the JSON retry_after and the header', async () => {
  const answers: Answer[] = [
    { status: 204 },
    { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"message":"You are being rate limited.","retry_after":2.5,"global":false}' },
    { status: 429, headers: { 'content-type': 'application/json' }, body: '{"message":"You are being rate limited.","retry_after":0.3,"global":false}' },
  ];
  let i = 0;
  const rcv = await receiver(() => answers[i++]);
  try {
    await withSender(discordSender, async (send) => {
      const d = delivery({ protocol: 'discord', endpoint: `${rcv.url}/api/webhooks/1/t`, message: ALARM_MESSAGE });
      assert.deepEqual(await send(job(d, 'sns.discord')), { ok: true, status: 204 });
      const body = JSON.parse((await rcv.next(1)).body);
      assert.equal(body.embeds[0].color, 0xe01e5a);
      assert.deepEqual(body.allowed_mentions, { parse: [] });
      const both = await send(job(d, 'sns.discord'));
      assert.ok(!both.ok && both.retryable && both.retryAfterMs === 2500);
      const bodyOnly = await send(job(d, 'sns.discord'));
      assert.ok(!bodyOnly.ok && bodyOnly.retryable && bodyOnly.retryAfterMs === 300);
    });
  } finally {
    await rcv.close();
  }
  // an unreadable body leaves the outcome as it was
  const o = { ok: false as const, retryable: true, status: 429, error: 'HTTP 429', excerpt: '<html>' };
  assert.deepEqual(discordRetryAfter(o), o);
});

test('through the engine, one Slack webhook gets at most one message per second, in order', async () => {
  const times: number[] = [];
  const rcv = await receiver(() => {
    times.push(Date.now());
    return { status: 200, body: 'ok' };
  });
  const k = await kit({ publicUrl: 'https://sbx.example.com' });
  const senders = registerSnsSenders(k.deps);
  k.deps.deliveries.start();
  try {
    await k.deps.deliveries.enqueue([1, 2, 3].map((n) => ({
      kind: 'sns.slack', source: 'sns', target: rcv.url, payload: delivery({ protocol: 'slack', endpoint: rcv.url, message: `message ${n}` }),
    })));
    await rcv.next(3);
    const texts = rcv.received.map((r) => JSON.parse(r.body).text);
    assert.deepEqual(texts, ['message 1', 'message 2', 'message 3']);
    assert.ok(times[2] - times[0] >= 1800, `3 messages took ${times[2] - times[0]} ms`);
  } finally {
    senders.close();
    await k.close();
    await rcv.close();
  }
});
