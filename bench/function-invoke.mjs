/**
 * Functions over HTTP Invoke, the way clients call them: cold starts (a function's first
 * invocation, so a new instance) and warm no-op invocations of Node and Python, answered by the
 * built `signalbox start`, next to a same-run baseline — the same keep-alive HTTP client against a
 * bare node:http server that answers `null` at once, i.e. the HTTP round trip with nothing behind
 * it. Warm overhead is Invoke's latency minus the baseline's. Requests are SigV4-signed once and
 * replayed (a signature is valid 15 minutes), so the server verifies every one.
 *
 * Warm rows are measured warm: before any of them, every runtime's function is driven with the
 * rows' own load for a while, so that the instances the concurrent row needs already exist (their
 * cold starts are the cold-start table's business) and the server's and the instances' code is
 * compiled — otherwise whichever runtime is measured first pays for the warm-up of both.
 *
 *   npm run build && node bench/function-invoke.mjs
 *   BENCH_COLD=10 (functions per runtime)  BENCH_WARM=2000 (sequential warm invokes)
 *   BENCH_SECONDS=3 (per throughput row)  BENCH_CONCURRENCY=8  BENCH_WARMUP_SECONDS=2 (per runtime)
 *
 * Goals (issue 5): Node cold start < 150 ms, warm overhead p50 < 1 ms, >= 3,000 warm invokes/s.
 * Exits 1 when an Invoke did not answer 200.
 */
import { createServer, Agent, request } from 'node:http';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { codeZipFor } from './lib/zip.mjs';
import { CREDENTIALS, HOST, REGION, envNumber, num, requireBuild, signedRestRequest, startSignalbox, table, watchdog } from './lib/common.mjs';

const COLD = envNumber('BENCH_COLD', 10);
const WARM = envNumber('BENCH_WARM', 2000);
const SECONDS = envNumber('BENCH_SECONDS', 3);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 8);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 2);
const GOALS = { coldP50: 150, overheadP50: 1, perSecond: 3000 };

requireBuild();
watchdog((COLD * 2 * 2 + (WARM / 500) * 3 + SECONDS * 6 + WARMUP_SECONDS * 2 + 120) * 1000, 'function-invoke');

const RUNTIMES = [
  { label: 'nodejs20.x', runtime: 'nodejs20.x', handler: 'index.handler', file: 'index.js', source: 'exports.handler = async () => null;\n' },
  { label: 'python3.12', runtime: 'python3.12', handler: 'app.handler', file: 'app.py', source: 'def handler(event, context):\n    return None\n' },
];

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(port, req) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = request({ host: HOST, port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

async function sequential(port, req, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const r = await send(port, req);
    if (r.status !== 200) throw new Error(`answered ${r.status}: ${r.body}`);
    times.push(r.ms);
  }
  return times;
}

async function throughput(port, req, seconds, concurrency) {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const r = await send(port, req);
      if (r.status !== 200) throw new Error(`answered ${r.status}: ${r.body}`);
      done++;
    }
  }));
  return done / seconds;
}

const invokeRequest = (port, name) => signedRestRequest(port, { service: 'lambda', path: `/2015-03-31/functions/${name}/invocations`, body: '{}', headers: { 'content-type': 'application/json' } });

// ---- baseline: the same client against a server that answers at once ---------------------------
const echo = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('null'));
});
await new Promise((r) => echo.listen(0, HOST, r));
const echoPort = echo.address().port;
const echoReq = { method: 'POST', path: '/2015-03-31/functions/x/invocations', headers: { 'content-type': 'application/json' }, body: '{}' };
await sequential(echoPort, echoReq, 200);
const echoTimes = await sequential(echoPort, echoReq, WARM);
const echoRate = await throughput(echoPort, echoReq, SECONDS, CONCURRENCY);

// ---- Signalbox ----------------------------------------------------------------------------------
const sbx = await startSignalbox();
const lambda = new LambdaClient({ endpoint: `http://${HOST}:${sbx.port}`, region: REGION, credentials: CREDENTIALS });
try {
  const coldRows = [];
  const warmRows = [];
  const warmReqs = [];
  for (const rt of RUNTIMES) {
    const names = Array.from({ length: COLD + 1 }, (_, i) => `bench-${rt.runtime.replace('.', '')}-${i}`);
    for (const name of names) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: rt.runtime, Handler: rt.handler, Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: codeZipFor(rt.file, rt.source) } }));
    }
    for (const name of names) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: name });
    const cold = [];
    for (const name of names.slice(1)) {
      const r = await send(sbx.port, await invokeRequest(sbx.port, name));
      if (r.status !== 200) throw new Error(`cold invoke of ${name} answered ${r.status}: ${r.body}`);
      cold.push(r.ms);
    }
    coldRows.push([rt.label, num(pct(cold, 0.5), 1), num(pct(cold, 0.99), 1), String(cold.length)]);
    warmReqs.push(await invokeRequest(sbx.port, names[0]));
  }
  // warm-up of every runtime before any warm row (see the top of this file)
  for (const warmReq of warmReqs) {
    await sequential(sbx.port, warmReq, 200);
    await throughput(sbx.port, warmReq, WARMUP_SECONDS, CONCURRENCY);
  }
  for (const [i, rt] of RUNTIMES.entries()) {
    const warmReq = warmReqs[i];
    const warm = await sequential(sbx.port, warmReq, WARM);
    const rate = await throughput(sbx.port, warmReq, SECONDS, CONCURRENCY);
    warmRows.push([`Signalbox Invoke, ${rt.label} no-op`, num(pct(warm, 0.5), 3), num(pct(warm, 0.99), 3), num(pct(warm, 0.5) - pct(echoTimes, 0.5), 3), num(rate)]);
  }
  console.log(`Cold starts over HTTP Invoke: each function's first invocation (${COLD} functions per runtime)`);
  console.log(table(['runtime', 'p50 ms', 'p99 ms', 'n'], coldRows));
  console.log(`\nWarm no-op invocations over HTTP Invoke: ${WARM} sequential for latency, ${CONCURRENCY} clients for ${SECONDS} s for the rate`);
  console.log(table(['target', 'p50 ms', 'p99 ms', 'overhead p50 ms', 'invokes/s'], [
    ['baseline: node:http answering at once', num(pct(echoTimes, 0.5), 3), num(pct(echoTimes, 0.99), 3), '–', num(echoRate)],
    ...warmRows,
  ]));
  const nodeCold = Number(coldRows[0][1].replace(/,/g, ''));
  const nodeOverhead = Number(warmRows[0][3]);
  const nodeRate = Number(warmRows[0][4].replace(/,/g, ''));
  console.log(`\ngoals: Node cold start p50 ${nodeCold} ms (< ${GOALS.coldP50}): ${nodeCold < GOALS.coldP50 ? 'met' : 'NOT MET'}; ` +
    `warm overhead p50 ${nodeOverhead} ms (< ${GOALS.overheadP50}): ${nodeOverhead < GOALS.overheadP50 ? 'met' : 'NOT MET'}; ` +
    `${nodeRate} invokes/s (>= ${GOALS.perSecond}): ${nodeRate >= GOALS.perSecond ? 'met' : 'NOT MET'}`);
} finally {
  lambda.destroy();
  agent.destroy();
  echo.close();
  await sbx.dispose();
}
