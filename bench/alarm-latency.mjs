/**
 * CloudWatch alarm latency: from the answer to a breaching PutMetricData to the alarm action's
 * delivery, with 10,000 alarms defined (goal: p99 < 20 ms).
 *
 * Setup. A receiver process (lib/alarm-receiver.mjs) is the HTTP subscriber of one SNS topic.
 * 10,000 metric alarms (PutMetricAlarm, 16 in flight, each request signed when sent): Sum >
 * threshold, Period 60, EvaluationPeriods 1, AlarmActions = the topic; 9,000 on a metric of their
 * own, the other 1,000 ten to a metric (100 metrics, thresholds 100…190).
 *
 * Measurement. 200 breaches on 200 different alarms with a metric of their own, one at a time,
 * one every BENCH_INTERVAL ms: a signed PutMetricData (pre-signed before the run) of one datum
 * above the threshold. The run is placed so that a minute boundary falls in its first third:
 * at each boundary every one of the 10,000 alarms is evaluated, so the rows split the breaches
 * sent in the BENCH_BOUNDARY_WINDOW s after a boundary from the others. Per breach:
 *   - to the receiver: when the SNS notification (Message.AlarmName) reached the receiver, minus
 *     when the PutMetricData answer had arrived here; both clocks are
 *     `performance.timeOrigin + performance.now()` on this machine. This is the user-visible figure.
 *   - to the job's first attempt: the `at` of the alarm action's first attempt in the delivery log
 *     (`GET /_signalbox/deliveries?source=cloudwatch&target=<topic>`, the server's Date.now()),
 *     minus the same answer time: evaluation, state commit and the engine picking the job up.
 *   - also from when the call was sent (what a stalled server adds to the call shows up here),
 *     and a breakdown of the SNS hop: the action attempt → the SNS HTTP attempt (matched by
 *     order: breaches are far enough apart) → the arrival.
 * Baseline in the same run: a keep-alive node:http POST to the same receiver (round trip, and
 * one-way: arrival minus send), 200 times.
 *
 *   node bench/alarm-latency.mjs      (after `npm run build`)
 *   BENCH_ALARMS=10000 BENCH_BREACHES=200 BENCH_INTERVAL=100 BENCH_BOUNDARY_WINDOW=5 (optional)
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
 *
 * Exits 1 when a call failed or a notification did not arrive.
 */
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CREDENTIALS, HOST, REGION, ROOT, envNumber, freePort, num, requireBuild, rssBytes, send, startSignalbox, stopChild, table, track, watchdog,
} from './lib/common.mjs';
import { sendSigned, signCloudWatch } from './lib/cloudwatch.mjs';

const ALARMS = envNumber('BENCH_ALARMS', 10_000);
const BREACHES = Math.min(envNumber('BENCH_BREACHES', 200), Math.floor(ALARMS * 0.9));
const INTERVAL = envNumber('BENCH_INTERVAL', 100); // ms between breaches
const WINDOW = envNumber('BENCH_BOUNDARY_WINDOW', 5); // s after a minute boundary counted as "at the boundary"
const CONCURRENCY = 16;
const OWN = Math.floor(ALARMS * 0.9); // alarms 0..OWN-1 have a metric of their own
const NAMESPACE = 'Bench/Alarms';
const GOAL_P99 = 20;
const MiB = 1024 * 1024;

requireBuild();
watchdog(5 * 60_000, 'alarm-latency');
// the SDK (used here for the SNS setup only) warns about Node 20 on stderr
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** alarm i → its metric's dimension value and threshold */
const metricOf = (i) => (i < OWN ? i : OWN + ((i - OWN) % 100));
const thresholdOf = (i) => (i < OWN ? 100 : 100 + 10 * Math.floor((i - OWN) / 100));
const dims = (m) => [{ Name: 'Service', Value: `svc-${m}` }];

async function startReceiver() {
  const port = await freePort();
  const child = track(spawn(process.execPath, [join(ROOT, 'bench', 'lib', 'alarm-receiver.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await once(child.stdout, 'data');
  return { port, child, url: `http://${HOST}:${port}` };
}

async function getJson(port, path) {
  const r = await send(port, { path }, 10_000);
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body);
}

async function subscribe(sbx, rcv) {
  const sns = new SNSClient({ endpoint: `http://${HOST}:${sbx.port}`, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-alarms' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rcv.url}/alarm` }));
  for (let t = 0; ; t++) {
    const r = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    if (r.Subscriptions?.length === 1 && r.Subscriptions[0].SubscriptionArn !== 'PendingConfirmation') break;
    if (t > 200) throw new Error('the subscription was not confirmed');
    await sleep(50);
  }
  sns.destroy();
  return TopicArn;
}

async function createAlarms(port, topicArn) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const lat = [];
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < ALARMS) {
      const i = next++;
      const req = await signCloudWatch(port, 'PutMetricAlarm', {
        AlarmName: `bench-alarm-${i}`,
        Namespace: NAMESPACE,
        MetricName: 'Errors',
        Dimensions: dims(metricOf(i)),
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: thresholdOf(i),
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicArn],
      });
      const r = await sendSigned(port, req, agent);
      if (r.status !== 200) throw new Error(`PutMetricAlarm ${i} answered ${r.status}: ${r.text.slice(0, 300)}`);
      lat.push(r.doneAt - r.sentAt);
    }
  }));
  agent.destroy();
  return { secs: (now() - t0) / 1000, p50: pct(lat, 50), p99: pct(lat, 99) };
}

/** BREACHES keep-alive POSTs to the receiver, one every 10 ms: round trip and one-way. */
async function baseline(rcv) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ Type: 'Notification', Message: 'x'.repeat(1500) });
  const rtt = [];
  const oneWay = [];
  for (let i = 0; i < BREACHES; i++) {
    const sent = now();
    const text = await new Promise((resolve, reject) => {
      const r = request({ host: HOST, port: rcv.port, method: 'POST', path: '/baseline', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolve(t));
      });
      r.on('error', reject);
      r.end(body);
    });
    rtt.push(now() - sent);
    oneWay.push(JSON.parse(text).at - sent);
    await sleep(10);
  }
  agent.destroy();
  return { rtt, oneWay };
}

/** Waits so that the next minute boundary falls `lead` ms after the run starts. */
async function placeRun(runMs) {
  const lead = Math.min(10_000, runMs / 3);
  const t = Date.now();
  const nextBoundary = Math.ceil(t / 60_000) * 60_000;
  let wait = nextBoundary - lead - t;
  if (wait < 0) wait += 60_000;
  await sleep(wait);
}

let rcv;
let sbx;
let failed = false;
try {
  rcv = await startReceiver();
  sbx = await startSignalbox();
  const { port, pid } = sbx;
  const topicArn = await subscribe(sbx, rcv);
  const rssBefore = rssBytes(pid);
  const created = await createAlarms(port, topicArn);
  const rssAlarms = rssBytes(pid);

  const base = await baseline(rcv);

  // the breaches: alarms spread over those with a metric of their own, pre-signed
  const picks = Array.from({ length: BREACHES }, (_, k) => Math.floor((k * OWN) / BREACHES));
  const reqs = [];
  for (const i of picks) {
    reqs.push(await signCloudWatch(port, 'PutMetricData', { Namespace: NAMESPACE, MetricData: [{ MetricName: 'Errors', Dimensions: dims(metricOf(i)), Value: thresholdOf(i) + 1 }] }));
  }
  await send(rcv.port, { path: '/reset' });
  const runMs = BREACHES * INTERVAL;
  await placeRun(runMs);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answered = []; // per breach: { name, sentAt, doneAt, call }
  const t0 = now();
  for (let k = 0; k < BREACHES; k++) {
    const due = t0 + k * INTERVAL;
    if (due > now()) await sleep(due - now());
    const r = await sendSigned(port, reqs[k], agent);
    if (r.status !== 200) throw new Error(`breach ${k} answered ${r.status}: ${r.text.slice(0, 300)}`);
    answered.push({ name: `bench-alarm-${picks[k]}`, sentAt: r.sentAt, doneAt: r.doneAt, call: r.doneAt - r.sentAt });
  }
  agent.destroy();

  // wait for every notification (bounded)
  let got;
  for (const deadline = Date.now() + 30_000; ;) {
    got = await getJson(rcv.port, '/arrivals');
    if (answered.every((a) => got.arrivals[a.name] !== undefined) || Date.now() > deadline) break;
    await sleep(100);
  }
  const log = await getJson(port, `/_signalbox/deliveries?source=cloudwatch&target=${encodeURIComponent(topicArn)}&limit=1000`);
  const firstAttempt = new Map();
  for (const a of log.attempts) {
    if (a.attempt !== 1 || !a.ref) continue;
    const name = a.ref.slice(a.ref.lastIndexOf(':') + 1);
    if (!firstAttempt.has(name) || a.at < firstAttempt.get(name)) firstAttempt.set(name, a.at);
  }
  // the SNS hop, for the breakdown: the HTTP attempt that follows each alarm's action attempt
  // (breaches are INTERVAL ms apart and each is delivered well within that, so order matches them)
  const snsLog = await getJson(port, `/_signalbox/deliveries?source=sns&target=${encodeURIComponent(`${rcv.url}/alarm`)}&limit=1000`);
  const snsStarts = snsLog.attempts.filter((a) => a.attempt === 1).map((a) => a.at).sort((a, b) => a - b);
  const stages = { toHttp: [], httpToRcv: [] };
  for (const a of answered) {
    const cw = firstAttempt.get(a.name);
    const arrival = got.arrivals[a.name];
    const http = cw === undefined ? undefined : snsStarts.find((t) => t >= cw && (arrival === undefined || t <= arrival + 1));
    if (http === undefined) continue;
    stages.toHttp.push(http - cw);
    if (arrival !== undefined) stages.httpToRcv.push(arrival - http);
  }
  const rssEnd = rssBytes(pid);

  const missing = answered.filter((a) => got.arrivals[a.name] === undefined);
  const atBoundary = (a) => {
    const intoMinute = (a.doneAt % 60_000) / 1000;
    return intoMinute < WINDOW;
  };
  const groups = [
    ['all breaches', answered],
    [`sent > ${WINDOW} s after a minute boundary`, answered.filter((a) => !atBoundary(a))],
    [`sent < ${WINDOW} s after a minute boundary`, answered.filter(atBoundary)],
  ];
  const rowsFor = (label, list) => {
    const toRcv = list.filter((a) => got.arrivals[a.name] !== undefined).map((a) => got.arrivals[a.name] - a.doneAt);
    const toJob = list.filter((a) => firstAttempt.has(a.name)).map((a) => firstAttempt.get(a.name) - a.doneAt);
    return [
      [`${label}: answer → notification at receiver`, toRcv],
      [`${label}: answer → action job's first attempt`, toJob],
    ];
  };
  const stat = (xs) => [num(xs.length), num(pct(xs, 50), 2), num(pct(xs, 99), 2), num(xs.length ? Math.max(...xs) : NaN, 2)];

  console.log(
    `CloudWatch alarm action latency: ${num(ALARMS)} metric alarms (Sum > threshold, Period 60, 1 evaluation period, ` +
      `AlarmActions: one SNS topic with one HTTP subscription to a local receiver); ${BREACHES} breaches of different alarms, ` +
      `one every ${INTERVAL} ms, the run placed so that a minute boundary (when all alarms are evaluated) falls in its first third`,
  );
  console.log(`PutMetricAlarm × ${num(ALARMS)}: ${num(created.secs, 1)} s (${num(ALARMS / created.secs)} alarms/s, ${CONCURRENCY} in flight; call p50 ${num(created.p50, 2)} ms, p99 ${num(created.p99, 2)} ms); ` +
    `server RSS ${num(rssBefore / MiB)} MiB before, ${num(rssAlarms / MiB)} MiB with the alarms, ${num(rssEnd / MiB)} MiB at the end`);
  console.log(table(
    ['measure', 'n', 'p50 ms', 'p99 ms', 'max ms'],
    [
      ['baseline: node:http POST round trip (keep-alive)', ...stat(base.rtt)],
      ['baseline: node:http POST one-way (send → arrival)', ...stat(base.oneWay)],
      ['breaching PutMetricData call', ...stat(answered.map((a) => a.call))],
      ['all breaches: call sent → notification at receiver', ...stat(answered.filter((a) => got.arrivals[a.name] !== undefined).map((a) => got.arrivals[a.name] - a.sentAt))],
      ...groups.flatMap(([label, list]) => rowsFor(label, list).map(([name, xs]) => [name, ...stat(xs)])),
      ['breakdown: action job attempt → SNS HTTP attempt start', ...stat(stages.toHttp)],
      ['breakdown: SNS HTTP attempt start → arrival at receiver', ...stat(stages.httpToRcv)],
    ],
  ));
  const slowest = answered.reduce((a, b) => (b.call > a.call ? b : a));
  console.log(`\nslowest breaching call: ${num(slowest.call, 1)} ms, sent ${num((slowest.sentAt % 60_000) / 1000, 2)} s after a minute boundary`);
  const p99 = pct(answered.filter((a) => got.arrivals[a.name] !== undefined).map((a) => got.arrivals[a.name] - a.doneAt), 99);
  console.log(`answer → notification p99 ${num(p99, 2)} ms (goal < ${GOAL_P99} ms): ${p99 < GOAL_P99 ? 'met' : 'NOT MET'}`);
  if (missing.length) {
    console.log(`${missing.length} notifications did not arrive within 30 s (first: ${missing[0].name}): the measurement is not valid`);
    failed = true;
  }
} catch (err) {
  console.error(`alarm-latency: ${err.stack ?? err}${sbx ? `\n--- server output ---\n${sbx.output()}` : ''}`);
  failed = true;
} finally {
  await sbx?.dispose();
  if (rcv) await stopChild(rcv.child);
}
process.exit(failed ? 1 : 0);
