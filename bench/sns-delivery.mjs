/**
 * SNS Publish → HTTP delivery: deliveries/s and publish→delivery latency (p50/p99) for 1, 10 and
 * 100 subscriptions on one topic, with durability on (every delivery is a committed job before
 * Publish answers), to a local receiver process. Baselines in the same run: the same number of
 * POSTs of the same size sent straight to the same receiver by a keep-alive node:http client and
 * by undici (the engine's client), 64 connections each: what the receiver and the loopback
 * network can take at all; the better of the two is 100 %. Goal: ≥ 20,000 deliveries/s.
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the server.
 *
 *   node bench/sns-delivery.mjs      (after `npm run build`)
 *   BENCH_DELIVERIES=30000 (per row, optional)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { CreateTopicCommand, PublishBatchCommand, SNSClient, SubscribeCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { CREDENTIALS, HOST, REGION, ROOT, envNumber, freePort, num, requireBuild, startSignalbox, stopChild, table, track, watchdog } from './lib/common.mjs';

const DELIVERIES = envNumber('BENCH_DELIVERIES', 30_000);
const GOAL = 20_000;
requireBuild();
watchdog(15 * 60_000, 'sns-delivery');

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function startReceiver() {
  const port = await freePort();
  const child = track(spawn(process.execPath, [join(ROOT, 'bench', 'lib', 'sns-receiver.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await once(child.stdout, 'data');
  return { port, child, url: `http://${HOST}:${port}` };
}

async function get(url) {
  return (await fetch(url)).text();
}

async function waitCount(rcvUrl, n, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = Number(await get(`${rcvUrl}/count`));
    if (c >= n) return c;
    if (Date.now() > deadline) return c;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Baseline: n POSTs of a notification-sized body, 64 at a time, over keep-alive. */
async function baseline(rcv, n) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify({ Type: 'Notification', Message: 'x'.repeat(600) });
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < n) {
      await new Promise((resolve, reject) => {
        const r = request({ host: HOST, port: rcv.port, method: 'POST', path: '/baseline', agent, headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
        r.on('error', reject);
        r.end(body);
      });
    }
  }));
  const secs = (Date.now() - t0) / 1000;
  await get(`${rcv.url}/stats`);
  agent.destroy();
  return n / secs;
}

/** The same POSTs through undici (the client the delivery engine uses), 64 connections. */
async function baselineUndici(rcv, n) {
  const { Pool } = await import('undici');
  const pool = new Pool(rcv.url, { connections: 64 });
  const body = JSON.stringify({ Type: 'Notification', Message: 'x'.repeat(600) });
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < n) {
      const r = await pool.request({ method: 'POST', path: '/baseline', headers: { 'content-type': 'text/plain' }, body });
      await r.body.dump();
    }
  }));
  const secs = (Date.now() - t0) / 1000;
  await get(`${rcv.url}/stats`);
  await pool.close();
  return n / secs;
}

async function row(sbx, rcv, subs) {
  const sns = new SNSClient({ endpoint: `http://${HOST}:${sbx.port}`, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `bench-${subs}` }));
  for (let i = 0; i < subs; i++) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rcv.url}/s${subs}/${i}` }));
  for (let t = 0; ; t++) {
    const all = [];
    let NextToken;
    do {
      const r = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken }));
      all.push(...(r.Subscriptions ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    if (all.length === subs && all.every((s) => s.SubscriptionArn !== 'PendingConfirmation')) break;
    if (t > 400) throw new Error('subscriptions not confirmed');
    await new Promise((r) => setTimeout(r, 50));
  }
  await get(`${rcv.url}/stats`); // reset
  const messages = Math.max(10, Math.round(DELIVERIES / subs / 10) * 10);
  let next = 0;
  let publishMs = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < messages) {
      next += 10;
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, Message: JSON.stringify({ sent: Date.now(), pad: 'x'.repeat(500) }) }));
      const r = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries }));
      if (r.Failed?.length) throw new Error(`publish failed: ${JSON.stringify(r.Failed[0])}`);
    }
  }));
  publishMs = Date.now() - t0;
  const want = messages * subs;
  const got = await waitCount(rcv.url, want, 180_000);
  const stats = JSON.parse(await get(`${rcv.url}/stats`));
  const secs = (stats.last - t0) / 1000;
  return { subs, messages, deliveries: got, want, publishPerSec: messages / (publishMs / 1000), perSec: got / secs, p50: pct(stats.latencies, 50), p99: pct(stats.latencies, 99) };
}

const rcv = await startReceiver();
const baseHttp = await baseline(rcv, DELIVERIES);
const baseUndici = await baselineUndici(rcv, DELIVERIES);
const base = Math.max(baseHttp, baseUndici);
const sbx = await startSignalbox();
const rows = [];
try {
  for (const subs of [1, 10, 100]) rows.push(await row(sbx, rcv, subs));
} finally {
  await sbx.dispose();
  await stopChild(rcv.child);
}
console.log(`SNS Publish → HTTP delivery, durable jobs, PublishBatch (10/call, 16 calls in flight), ~${num(DELIVERIES)} deliveries per row`);
console.log(table(
  ['subscriptions', 'messages', 'delivered', 'publish msg/s', 'deliveries/s', 'p50 ms', 'p99 ms', 'vs baseline'],
  [
    ['baseline node:http', '-', num(DELIVERIES), '-', num(baseHttp), '-', '-', `${num((100 * baseHttp) / base, 1)} %`],
    ['baseline undici', '-', num(DELIVERIES), '-', num(baseUndici), '-', '-', `${num((100 * baseUndici) / base, 1)} %`],
    ...rows.map((r) => [String(r.subs), num(r.messages), `${num(r.deliveries)}/${num(r.want)}`, num(r.publishPerSec), num(r.perSec), num(r.p50), num(r.p99), `${num((100 * r.perSec) / base, 1)} %`]),
  ],
));
const best = Math.max(...rows.map((r) => r.perSec));
console.log(`\nbest ${num(best)} deliveries/s (goal >= ${num(GOAL)}): ${best >= GOAL ? 'met' : 'NOT MET'}`);
if (rows.some((r) => r.deliveries < r.want)) {
  console.log('some deliveries did not arrive in time: the figures are not valid');
  process.exit(1);
}
