/**
 * PutEvents → target, end to end with durability: the built server, one rule on the default bus
 * whose target is an SQS queue. Phase 1: 16 keep-alive clients replay signed PutEvents calls of
 * 10 entries each (every entry matches the rule) for BENCH_DURATION s: events accepted per second
 * (each call answers only once its jobs are committed) and call latency, then the rate at which
 * they reached the queue (measured until the last accepted event is there). Phase 2: 300 single
 * events, one every 5 ms, while a client long-polls the queue: latency from the PutEvents call to
 * the message's arrival at the queue's consumer (p50, p99). Baseline in the same run: the same
 * clients replaying SQS SendMessageBatch calls of 10 messages straight to a queue.
 *
 *   npm run build && node bench/events-putevents.mjs        BENCH_DURATION=5 (s)
 * Goal: >= 20,000 events/s accepted.
 */
import http from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { callJson, envNumber, num, signedJsonRequest, startSignalbox, table, watchdog } from './lib/common.mjs';

const DURATION = envNumber('BENCH_DURATION', 5);
const CLIENTS = 16;
watchdog((DURATION * 2 + 60) * 1000, 'events-putevents');

const sb = await startSignalbox();
const port = sb.port;
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
function post(req) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function load(req, perCall) {
  const lat = [];
  let calls = 0;
  const start = Date.now();
  const end = start + DURATION * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const r = await post(req);
      if (r.status !== 200) throw new Error(`answered ${r.status}: ${r.body.slice(0, 300)}`);
      lat.push(performance.now() - t0);
      calls++;
    }
  }));
  return { start, count: calls * perCall, rate: (calls * perCall) / DURATION, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

try {
  const ev = (target, input) => callJson(port, { service: 'events', target: `AWSEvents.${target}`, input });
  // SQS speaks JSON 1.0 (the shared helper signs JSON 1.1)
  const signer = new SignatureV4({ service: 'sqs', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const sqsJson = async (target, input) => {
    const body = JSON.stringify(input);
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}` }, body,
    });
    return { headers: { ...signed.headers }, body };
  };
  for (const name of ['eb-bench', 'eb-latency', 'baseline']) {
    const r = await post(await sqsJson('CreateQueue', { QueueName: name }));
    if (r.status !== 200) throw new Error(r.body);
  }
  const arn = (q) => `arn:aws:sqs:us-east-1:000000000000:${q}`;
  await ev('PutRule', { Name: 'bench', EventPattern: '{"source":["bench.load"]}' });
  await ev('PutTargets', { Rule: 'bench', Targets: [{ Id: 'q', Arn: arn('eb-bench') }] });
  await ev('PutRule', { Name: 'latency', EventPattern: '{"source":["bench.latency"]}' });
  await ev('PutTargets', { Rule: 'latency', Targets: [{ Id: 'q', Arn: arn('eb-latency') }] });

  const entries = Array.from({ length: 10 }, (_, i) => ({ Source: 'bench.load', DetailType: 'Tick', Detail: JSON.stringify({ i, pad: 'x'.repeat(200) }) }));
  const putReq = await signedJsonRequest(port, { service: 'events', target: 'AWSEvents.PutEvents', input: { Entries: entries } });
  const warm = await load(putReq, 10);
  const put = await load(putReq, 10);
  // accepted is not delivered: wait until the target queue holds every accepted event, so the
  // backlog is measured here and does not slow the baseline down
  const depth = await sqsJson('GetQueueAttributes', { QueueUrl: `http://127.0.0.1:${port}/000000000000/eb-bench`, AttributeNames: ['ApproximateNumberOfMessages'] });
  while (Number(JSON.parse((await post(depth)).body).Attributes.ApproximateNumberOfMessages) < warm.count + put.count) await new Promise((r) => setTimeout(r, 20));
  const delivered = put.count / ((Date.now() - put.start) / 1000);
  const base = await load(await sqsJson('SendMessageBatch', {
    QueueUrl: `http://127.0.0.1:${port}/000000000000/baseline`, Entries: entries.map((e, i) => ({ Id: String(i), MessageBody: e.Detail })),
  }), 10);

  // phase 2: end-to-end latency
  const arrived = new Map();
  let polling = true;
  const recvReq = await sqsJson('ReceiveMessage', { QueueUrl: `http://127.0.0.1:${port}/000000000000/eb-latency`, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
  const poller = (async () => {
    while (polling) {
      const r = await post(recvReq);
      const now = performance.now();
      for (const m of JSON.parse(r.body).Messages ?? []) arrived.set(JSON.parse(m.Body).detail.k, now);
    }
  })();
  const sentAt = new Map();
  for (let k = 0; k < 300; k++) {
    const req = await signedJsonRequest(port, { service: 'events', target: 'AWSEvents.PutEvents', input: { Entries: [{ Source: 'bench.latency', DetailType: 'T', Detail: JSON.stringify({ k }) }] } });
    sentAt.set(k, performance.now());
    await post(req);
    await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = Date.now() + 10_000;
  while (arrived.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  polling = false;
  await poller;
  const e2e = [...arrived].map(([k, t]) => t - sentAt.get(k));

  console.log(`EventBridge PutEvents → SQS target, ${CLIENTS} clients, ${DURATION} s, 10 entries per call\n`);
  console.log(table(['path', 'events/s accepted', 'call p50 ms', 'call p99 ms'], [
    ['PutEvents (rule → SQS target, jobs committed)', num(put.rate), num(put.p50, 2), num(put.p99, 2)],
    ['  … and delivered to the queue (until the backlog is gone)', num(delivered), '', ''],
    ['baseline: SQS SendMessageBatch straight to a queue', num(base.rate), num(base.p50, 2), num(base.p99, 2)],
  ]));
  console.log(`\nend to end (PutEvents call → message received from the target queue), ${e2e.length}/300 arrived: p50 ${num(pct(e2e, 0.5), 1)} ms, p99 ${num(pct(e2e, 0.99), 1)} ms`);
  const met = put.rate >= 20_000;
  console.log(`goal: >= 20,000 events/s accepted: ${num(put.rate)} ${met ? 'met' : 'NOT MET'}`);
  if (!met && process.env.BENCH_STRICT === '1') process.exitCode = 1;
} finally {
  agent.destroy();
  await sb.dispose();
}
