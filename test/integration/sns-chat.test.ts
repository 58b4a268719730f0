/**
 * The native chat and webhook subscriptions through the built server and the real SDK: each
 * receiver gets its own format (Slack blocks, a Teams Adaptive Card, a Discord embed, a
 * Standard Webhooks POST whose signature verifies with the secret GetSubscriptionAttributes
 * returns), and the webhook URLs — which carry their own credentials — are readable through the
 * API but appear nowhere at rest or in the open: not in the data directory's files (database,
 * WAL), the server's output, the audit trail or the delivery log.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

interface Hit { path: string; headers: Record<string, string | string[] | undefined>; body: string }

let server: TestServer;
let chat: Server;
let base: string;
const hits: Hit[] = [];
// the secret part of each webhook URL, as a chat service issues it
const tokens = { slack: randomBytes(16).toString('hex'), teams: randomBytes(16).toString('hex'), discord: randomBytes(16).toString('hex'), webhook: randomBytes(16).toString('hex') };
const STATUS: Record<string, number> = { slack: 200, teams: 202, discord: 204, webhook: 200 };

before(async () => {
  chat = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      const kind = (req.url ?? '').split('/')[1];
      res.writeHead(STATUS[kind] ?? 404).end(kind === 'slack' ? 'ok' : '');
    });
  });
  await new Promise<void>((r) => chat.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(chat.address() as AddressInfo).port}`;
  server = await startServer();
});

after(async () => {
  await server?.dispose();
  await new Promise<void>((r) => (chat ? chat.close(() => r()) : r()));
});

async function waitFor<T>(what: string, fn: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('slack, teams, discord and webhook subscriptions deliver, and their URLs stay secret', async () => {
  const sns = new SNSClient(clientConfig(server));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-ops' }));
  const url = (kind: keyof typeof tokens) => `${base}/${kind}/services/T01/B02/${tokens[kind]}`;
  const arns: Record<string, string> = {};
  for (const kind of Object.keys(tokens) as (keyof typeof tokens)[]) {
    const out = await sns.send(new SubscribeCommand({ TopicArn, Protocol: kind, Endpoint: url(kind), ReturnSubscriptionArn: true }));
    arns[kind] = out.SubscriptionArn!;
  }
  // Subscribe is idempotent per URL even though the stored URL is sealed
  const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: url('slack'), ReturnSubscriptionArn: true }));
  assert.equal(again.SubscriptionArn, arns.slack);

  // the signed caller reads the real URLs back
  const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.deepEqual(new Set(listed.Subscriptions!.map((s) => s.Endpoint)), new Set(Object.keys(tokens).map((k) => url(k as keyof typeof tokens))));
  const hook = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arns.webhook }))).Attributes!;
  assert.equal(hook.Endpoint, url('webhook'));
  assert.match(hook.WebhookSecret, /^whsec_/);

  await sns.send(new PublishCommand({ TopicArn, Subject: 'Disk almost full', Message: 'db-1: /var at 93%' }));
  const of = (kind: string) => waitFor(kind, () => hits.find((h) => h.path.startsWith(`/${kind}/`)));
  const [slack, teams, discord, webhook] = await Promise.all(['slack', 'teams', 'discord', 'webhook'].map(of));
  for (const [kind, h] of Object.entries({ slack, teams, discord, webhook })) assert.equal(h.path, new URL(url(kind as keyof typeof tokens)).pathname);

  const s = JSON.parse(slack.body);
  assert.equal(s.blocks[0].type, 'header');
  assert.equal(s.blocks[0].text.text, 'Disk almost full');
  assert.match(JSON.stringify(s.blocks), /db-1: \/var at 93%/);
  const t = JSON.parse(teams.body);
  assert.equal(t.type, 'message');
  assert.equal(t.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  assert.match(JSON.stringify(t.attachments[0].content.body), /db-1: \/var at 93%/);
  const dc = JSON.parse(discord.body);
  // a short message travels as content; mentions are never expanded
  assert.equal(dc.content, '**Disk almost full**\ndb-1: /var at 93%');
  assert.deepEqual(dc.allowed_mentions, { parse: [] });
  // Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the base64 secret
  const key = Buffer.from(hook.WebhookSecret.slice('whsec_'.length), 'base64');
  const signed = `${webhook.headers['webhook-id']}.${webhook.headers['webhook-timestamp']}.${webhook.body}`;
  assert.equal(webhook.headers['webhook-signature'], `v1,${createHmac('sha256', key).update(signed).digest('base64')}`);
  assert.equal(JSON.parse(webhook.body).Message, 'db-1: /var at 93%');

  // the delivery log names each webhook by its masked form only
  const log = await (await fetch(`${server.url}/_signalbox/deliveries?source=sns&limit=50`)).text();
  const attempts = JSON.parse(log).attempts as { target: string; ok: boolean }[];
  assert.ok(attempts.length >= 4);
  for (const kind of Object.keys(tokens)) assert.ok(attempts.some((a) => a.target.startsWith(`${base}/…#`)), kind);

  // no token anywhere at rest or in the open: stop first so the WAL is checkpointed and closed
  await server.stop();
  // every file below the data dir (the functions service keeps a folder there)
  const files = readdirSync(server.dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
  const haystacks = [...files.map((f) => readFileSync(f).toString('latin1')), server.output(), log];
  for (const [kind, token] of Object.entries(tokens)) {
    for (const h of haystacks) assert.ok(!h.includes(token), `${kind} token found in ${h.slice(0, 60)}…`);
  }
  // …while the masked form is what the store holds
  const db = files.filter((f) => /\.db(-wal)?$/.test(f)).map((f) => readFileSync(f).toString('latin1')).join('');
  assert.ok(db.includes(`${base}/…#`.replace('…', '\u00e2\u0080\u00a6')), 'the masked endpoint is stored');
});
