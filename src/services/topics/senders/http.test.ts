/**
 * http/https and webhook senders against real receivers on 127.0.0.1, through the real delivery
 * engine: AWS's headers and body, the signature verified the way the acceptance receiver (and
 * any AWS-style verifier) does it, with the certificate fetched from SigningCertURL through our
 * own route; Standard Webhooks signatures verified independently; answers mapped to outcomes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import { closeHttpPools } from '../../../core/deliveries/http-client.js';
import { deliveryKind, type SnsDelivery } from '../delivery-payload.js';
import { senderContext } from './context.js';
import { httpSender, webhookSender } from './http.js';
import { registerSnsSenders } from './index.js';
import { loadOrCreateSigningIdentity } from './signing.js';
import { delivery, job, kit, publicServer, receiver, SUB, TOPIC, type Answer, type Received } from './kit.test.js';

after(() => closeHttpPools());

const SIGNED: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** What /work/shared/acceptance/lib/receiver.mjs does: fetch the certificate, rebuild the string, verify. */
async function verifySns(m: Record<string, string>): Promise<string> {
  const r = await fetch(m.SigningCertURL);
  if (!r.ok) return `cert-fetch-${r.status}`;
  const pem = await r.text();
  const text = SIGNED[m.Type].filter((f) => m[f] !== undefined && m[f] !== null).map((f) => `${f}\n${m[f]}\n`).join('');
  const algo = m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return verify(algo, Buffer.from(text), pem, Buffer.from(m.Signature, 'base64')) ? 'valid' : 'invalid';
}

async function deliverThroughEngine(payloads: SnsDelivery[], reply?: Parameters<typeof receiver>[0]) {
  const pub = await publicServer();
  const rcv = await receiver(reply);
  const k = await kit({ publicUrl: pub.url });
  const senders = registerSnsSenders(k.deps);
  k.deps.deliveries.start();
  await k.deps.deliveries.enqueue(payloads.map((p) => ({
    kind: deliveryKind(p.protocol), source: 'sns', target: rcv.url + '/hook', ref: p.subscriptionArn, payload: { ...p, endpoint: rcv.url + '/hook' },
  })));
  const got: Received[] = [];
  for (let i = 1; i <= payloads.length; i++) got.push(await rcv.next(i));
  return { got, pub, rcv, k, senders, close: async () => { senders.close(); await k.close(); await rcv.close(); await pub.close(); } };
}

test('Notification over HTTP: AWS headers, AWS body, a signature that verifies with the served certificate', async () => {
  const run = await deliverThroughEngine([
    delivery({ subject: 'Deploy', messageAttributes: { env: { Type: 'String', Value: 'prod' } } }),
    delivery({ messageId: 'v2-message', signatureVersion: '2', message: 'ünïcödé\nline 2' }),
  ]);
  try {
    // concurrent deliveries may arrive in either order: pick each by its message id
    const first = run.got.find((r) => r.headers['x-amz-sns-message-id'] === 'b1946ac9-2f4e-5d7c-9e1a-3f6b8c2d4e5a')!;
    const second = run.got.find((r) => r.headers['x-amz-sns-message-id'] === 'v2-message')!;
    assert.ok(first && second);
    assert.equal(first.method, 'POST');
    assert.equal(first.path, '/hook');
    const h = first.headers;
    assert.equal(h['x-amz-sns-message-type'], 'Notification');
    assert.equal(h['x-amz-sns-message-id'], 'b1946ac9-2f4e-5d7c-9e1a-3f6b8c2d4e5a');
    assert.equal(h['x-amz-sns-topic-arn'], TOPIC);
    assert.equal(h['x-amz-sns-subscription-arn'], SUB);
    assert.equal(h['x-amz-sns-rawdelivery'], undefined);
    assert.equal(h['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(h['user-agent'], 'Amazon Simple Notification Service Agent');

    const m = JSON.parse(first.body);
    assert.deepEqual(Object.keys(m), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(m.SigningCertURL, run.senders.signingCertUrl);
    assert.match(m.SigningCertURL, new RegExp(`^${run.pub.url}/_signalbox/sns/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
    assert.equal(m.UnsubscribeURL, `${run.pub.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SUB)}`);
    assert.equal(await verifySns(m), 'valid');
    assert.equal(Buffer.from(m.Signature, 'base64').length, 256, 'RSA 2048');

    const m2 = JSON.parse(second.body);
    assert.equal(m2.SignatureVersion, '2');
    assert.equal(m2.Message, 'ünïcödé\nline 2');
    assert.equal(await verifySns(m2), 'valid');
    // a changed field no longer verifies
    assert.equal(await verifySns({ ...m2, Message: 'tampered' }), 'invalid');
    assert.equal(await verifySns({ ...m2, SignatureVersion: '1' }), 'invalid');

    const log = await run.k.deps.deliveries.attempts({ source: 'sns' });
    assert.deepEqual(log.map((a) => [a.outcome, a.status]), [['delivered', 200], ['delivered', 200]]);
  } finally {
    await run.close();
  }
});

test('SubscriptionConfirmation and UnsubscribeConfirmation: no subscription header, Token and SubscribeURL, signed', async () => {
  const run = await deliverThroughEngine([
    delivery({ type: 'SubscriptionConfirmation', subscriptionArn: undefined, token: 'a1b2c3', message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.` }),
    delivery({ type: 'UnsubscribeConfirmation', messageId: 'unsub-1', token: 'd4e5', message: 'You have chosen to deactivate subscription.' }),
  ]);
  try {
    // two deliveries to one endpoint run concurrently: find each by its type, not its position
    const byType = (t: string) => run.got.find((r) => r.headers['x-amz-sns-message-type'] === t)!;
    const sub = byType('SubscriptionConfirmation');
    const unsub = byType('UnsubscribeConfirmation');
    assert.ok(sub && unsub);
    assert.equal(sub.headers['x-amz-sns-subscription-arn'], undefined);
    const m = JSON.parse(sub.body);
    assert.deepEqual(Object.keys(m), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    assert.equal(m.SubscribeURL, `${run.pub.url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=a1b2c3`);
    assert.equal(await verifySns(m), 'valid');
    assert.equal(unsub.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
    assert.equal(unsub.headers['x-amz-sns-subscription-arn'], undefined);
    assert.equal(await verifySns(JSON.parse(unsub.body)), 'valid');
  } finally {
    await run.close();
  }
});

test('raw delivery: the bare message and x-amz-sns-rawdelivery; FIFO: SequenceNumber and no signature', async () => {
  const run = await deliverThroughEngine([
    delivery({ raw: true, message: '{"k":1}', messageAttributes: { a: { Type: 'String', Value: 'b' } } }),
    delivery({ topicArn: `${TOPIC}.fifo`, subscriptionArn: `${TOPIC}.fifo:abc`, sequenceNumber: '10000000000000000001', messageGroupId: 'g1' }),
  ]);
  try {
    const raw = run.got.find((r) => r.headers['x-amz-sns-rawdelivery'] === 'true')!;
    const fifo = run.got.find((r) => r.headers['x-amz-sns-rawdelivery'] !== 'true')!;
    assert.equal(raw.body, '{"k":1}');
    assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');
    assert.equal(raw.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(raw.headers['content-type'], 'text/plain; charset=UTF-8');
    const m = JSON.parse(fifo.body);
    assert.equal(m.SequenceNumber, '10000000000000000001');
    assert.equal(m.Signature, undefined);
    assert.equal(m.SigningCertURL, undefined);
    assert.equal(fifo.headers['x-amz-sns-topic-arn'], `${TOPIC}.fifo`);
  } finally {
    await run.close();
  }
});

test('HTTP answers become outcomes: 429/503 + Retry-After, 5xx and refused retryable, other 4xx permanent', async () => {
  const answers: Answer[] = [
    { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' },
    { status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
    { status: 500 },
    { status: 404, body: 'gone' },
    { status: 410 },
    { status: 204 },
  ];
  let i = 0;
  const rcv = await receiver(() => answers[i++]);
  const k = await kit({ publicUrl: 'http://127.0.0.1:1' });
  const send = httpSender(senderContext(k.deps, loadOrCreateSigningIdentity(':memory:', k.deps.secrets, k.deps.log)));
  try {
    const d = delivery({ endpoint: rcv.url });
    const o429 = await send(job(d));
    assert.deepEqual(o429, { ok: false, retryable: true, status: 429, error: 'HTTP 429', excerpt: 'slow down', retryAfterMs: 7000 });
    const o503 = await send(job(d));
    assert.equal(o503.ok, false);
    assert.ok(!o503.ok && o503.retryable && o503.retryAfterMs! > 50_000 && o503.retryAfterMs! <= 60_000);
    const o500 = await send(job(d));
    assert.ok(!o500.ok && o500.retryable && o500.status === 500);
    const o404 = await send(job(d));
    assert.ok(!o404.ok && !o404.retryable && o404.excerpt === 'gone');
    const o410 = await send(job(d));
    assert.ok(!o410.ok && !o410.retryable);
    assert.deepEqual(await send(job(d)), { ok: true, status: 204 });
    const refused = await send(job(delivery({ endpoint: 'http://127.0.0.1:1/' })));
    assert.ok(!refused.ok && refused.retryable);
    const malformed = await send(job({ endpoint: rcv.url }));
    assert.ok(!malformed.ok && !malformed.retryable && /malformed/.test(malformed.error));
  } finally {
    await k.close();
    await rcv.close();
  }
});

test('webhook: Standard Webhooks headers and a v1 signature that verifies with the whsec_ secret', async () => {
  const rcv = await receiver(() => ({ status: 200 }));
  const k = await kit({ publicUrl: 'https://sbx.example.com' });
  const keyBytes = randomBytes(32);
  const secret = `whsec_${keyBytes.toString('base64')}`;
  const send = webhookSender(senderContext(k.deps, loadOrCreateSigningIdentity(':memory:', k.deps.secrets, k.deps.log)));
  try {
    const d = delivery({ protocol: 'webhook', endpoint: `${rcv.url}/wh`, subject: 'Deploy', webhookSecretSealed: k.deps.secrets.seal(secret, SUB) });
    const before = Math.floor(Date.now() / 1000);
    assert.deepEqual(await send(job(d, 'sns.webhook')), { ok: true, status: 200 });
    const r = await rcv.next(1);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['webhook-id'], d.messageId);
    const ts = Number(r.headers['webhook-timestamp']);
    assert.ok(Math.abs(ts - before) <= 5, 'the timestamp is now, in seconds');
    // verify as a Standard Webhooks receiver does: HMAC-SHA256 over "id.timestamp.body", constant-time compare
    const expected = createHmac('sha256', keyBytes).update(`${r.headers['webhook-id']}.${ts}.${r.body}`).digest();
    const sigs = String(r.headers['webhook-signature']).split(' ');
    assert.ok(sigs.some((s) => {
      const [v, b64] = s.split(',');
      const got = Buffer.from(b64, 'base64');
      return v === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    }), 'the v1 signature verifies');
    const body = JSON.parse(r.body);
    assert.equal(body.Type, 'Notification');
    assert.equal(body.Subject, 'Deploy');
    assert.equal(body.Message, 'Hello from SNS!');
    assert.ok(!r.body.includes(secret) && !r.body.includes(keyBytes.toString('base64')));

    // a sealed secret belonging to another subscription does not open: permanent, nothing sent
    const stolen = await send(job({ ...d, subscriptionArn: `${TOPIC}:other` }, 'sns.webhook'));
    assert.ok(!stolen.ok && !stolen.retryable && /cannot be opened/.test(stolen.error));
    const none = await send(job({ ...d, webhookSecretSealed: undefined }, 'sns.webhook'));
    assert.ok(!none.ok && !none.retryable);
    assert.equal(rcv.received.length, 1);
  } finally {
    await k.close();
    await rcv.close();
  }
});
