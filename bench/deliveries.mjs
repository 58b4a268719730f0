/**
 * The delivery engine end to end: jobs enqueued into the real job table (SQLite, WAL,
 * synchronous=FULL, temp data dir), claimed, POSTed with `postHttp` to a receiver in its own
 * process (lib/echo-server.mjs on 127.0.0.1), finished and logged in batched transactions.
 * Baseline, same run, same receiver: the same number of POSTs sent by a bare undici loop with the
 * same concurrency, with no store at all.
 *
 * Two runs of the engine:
 * - burst: N jobs enqueued as fast as callers can (enqueue calls of 1000 jobs, several at once);
 *   deliveries/s from the first enqueue to the last delivery. Its enqueue→delivery latency is
 *   mostly time spent queued behind the backlog, so it is shown but not the latency to judge;
 * - paced: a steady offered load (BENCH_RATE jobs/s, default 10,000, in enqueue calls of 50 every
 *   5 ms) for BENCH_PACED_S seconds: the enqueue→delivery latency of a loaded but not saturated engine.
 *
 * Uses dist/ (npm run build). While dist/ cannot be built, `BENCH_FROM_SRC=1 node --import tsx
 * bench/deliveries.mjs` runs the sources. Goal: ≥ 20,000 deliveries/s. Settings: BENCH_JOBS
 * (default 100,000), BENCH_CONCURRENCY (per-target concurrency and baseline concurrency, 64).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent } from 'undici';
import { ROOT, HOST, envNumber, freePort, num, removeDir, requireBuild, stopChild, table, tempDir, track, watchdog } from './lib/common.mjs';

// ---- the receiver process (this file run with --receiver <port>) -------------------------------
// A minimal HTTP/1.1 sink on a raw socket: reads each request (headers and Content-Length body),
// answers 200 "ok". Much cheaper than node:http, so that on a 2-core machine the numbers measure
// the sending side rather than the receiver (BENCH_RECEIVER=echo uses lib/echo-server.mjs instead).
if (process.argv[2] === '--receiver') {
  const OK = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok');
  const server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let answers = 0;
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (buf.length < total) break;
        buf = buf.subarray(total);
        answers++;
      }
      if (answers === 1) sock.write(OK);
      else if (answers > 1) sock.write(Buffer.concat(new Array(answers).fill(OK)));
    });
    sock.on('error', () => sock.destroy());
  });
  server.listen(Number(process.argv[3]), '127.0.0.1', () => console.log('ready'));
  process.on('SIGTERM', () => process.exit(0));
} else {
  await main();
}

async function main() {

watchdog(5 * 60_000, 'deliveries');
const N = Math.floor(envNumber('BENCH_JOBS', 100_000));
const CONC = Math.floor(envNumber('BENCH_CONCURRENCY', 64));
const RATE = envNumber('BENCH_RATE', 10_000);
const PACED_S = envNumber('BENCH_PACED_S', 3);
const GOAL = 20_000;
const fromSrc = process.env.BENCH_FROM_SRC === '1';

const mod = (p) => pathToFileURL(join(ROOT, fromSrc ? 'src' : 'dist', `${p}.${fromSrc ? 'ts' : 'js'}`)).href;
if (!fromSrc) requireBuild();
const { createDeliveryEngine, postHttp, closeHttpPools } = await import(mod('core/deliveries/index'));
const { openSqliteStore } = await import(mod('store/open'));
const { Targets } = await import(mod('core/targets/index'));
const { systemClock } = await import(mod('core/clock'));
const { createLogger } = await import(mod('core/log'));

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// ---- the receiver ------------------------------------------------------------------------------

const port = await freePort();
const useEcho = process.env.BENCH_RECEIVER === 'echo';
const receiverArgs = useEcho ? [join(ROOT, 'bench', 'lib', 'echo-server.mjs'), String(port)] : [fileURLToPath(import.meta.url), '--receiver', String(port)];
const echo = track(spawn(process.execPath, receiverArgs, { stdio: ['ignore', 'pipe', 'inherit'] }));
await new Promise((resolve, reject) => {
  echo.once('exit', (c) => reject(new Error(`echo server exited (${c})`)));
  createInterface({ input: echo.stdout }).once('line', resolve);
});
const url = `http://${HOST}:${port}/hook`;
const body = JSON.stringify({ Type: 'Notification', MessageId: '00000000-0000-0000-0000-000000000000', Message: 'x'.repeat(200) });

// ---- baseline: a bare undici loop --------------------------------------------------------------

async function baseline(n) {
  const agent = new Agent({ connections: CONC, pipelining: 1 });
  const lat = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < n) {
        next++;
        const s = performance.now();
        const r = await agent.request({ origin: `http://${HOST}:${port}`, path: '/hook', method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.body.text();
        if (r.statusCode !== 200) failed++;
        lat.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  await agent.close();
  return { name: 'bare undici loop', n, ms, failed, lat };
}

// ---- the engine --------------------------------------------------------------------------------

async function engineRun(name, drive) {
  const dir = tempDir('sbx-bench-deliveries-');
  const store = await openSqliteStore(dir);
  const engine = createDeliveryEngine({ store, clock: systemClock, log: createLogger('warn'), targets: new Targets() });
  const lat = [];
  let failed = 0;
  let delivered = 0;
  let duplicates = 0;
  const seen = new Uint8Array(Math.max(N, Math.floor(RATE * PACED_S)) + 1);
  let done;
  const finished = new Promise((r) => (done = r));
  let expected = Infinity;
  engine.register(
    'bench.http',
    async (job) => {
      const o = await postHttp(url, { headers: { 'content-type': 'application/json' }, body });
      if (o.ok) {
        // at-least-once allows duplicates, but a healthy run should have none: count them
        if (seen[job.payload.i]) duplicates++;
        else {
          seen[job.payload.i] = 1;
          lat.push(performance.now() - job.payload.t);
          if (++delivered >= expected) done();
        }
      } else failed++;
      return o;
    },
    { throttle: () => ({ concurrency: CONC }) },
  );
  engine.start();
  const t0 = performance.now();
  expected = await drive(engine);
  if (delivered >= expected) done();
  await finished;
  const ms = performance.now() - t0;
  const pending = await engine.pendingCount();
  const logged = (await engine.attempts({ limit: 1 })).length;
  await engine.stop();
  await store.close();
  removeDir(dir);
  if (pending !== 0 || logged !== 1) throw new Error(`${name}: ${pending} jobs still pending after every delivery`);
  if (duplicates) console.error(`${name}: ${duplicates} duplicate deliveries`);
  return { name, n: expected, ms, failed: failed + duplicates, lat };
}

let seq = 0;
const job = () => ({ kind: 'bench.http', source: 'bench', target: url, payload: { t: performance.now(), i: seq++ } });

async function burst(engine) {
  const BATCH = 1000;
  const calls = [];
  for (let i = 0; i < N; i += BATCH) {
    calls.push(engine.enqueue(Array.from({ length: Math.min(BATCH, N - i) }, job)));
    // a few enqueue calls in the air at once, as concurrent API requests would be
    if (calls.length >= 8) await calls.shift();
  }
  await Promise.all(calls);
  return N;
}

async function paced(engine) {
  const per = 50;
  const total = Math.floor(RATE * PACED_S);
  const intervalMs = (per / RATE) * 1000;
  const t0 = performance.now();
  const calls = [];
  for (let sent = 0; sent < total; sent += per) {
    const due = t0 + (sent / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    calls.push(engine.enqueue(Array.from({ length: Math.min(per, total - sent) }, job)));
  }
  await Promise.all(calls);
  void intervalMs;
  return total;
}

const rows = [];
try {
  await baseline(Math.min(5000, N)); // warm-up: connections, JIT
  const base = await baseline(N);
  seq = 0;
  const b = await engineRun('engine, burst', burst);
  seq = 0;
  const p = await engineRun(`engine, paced ${num(RATE)}/s`, paced);
  for (const r of [base, b, p]) {
    rows.push([r.name, num(r.n), num(r.ms), num((r.n / r.ms) * 1000), num(pct(r.lat, 50), 1), num(pct(r.lat, 99), 1), num(r.failed)]);
  }
  console.log(`deliveries: ${num(N)} POSTs of ${body.length} bytes to a receiver process on ${HOST} (${useEcho ? 'node:http echo' : 'raw-socket sink'}), concurrency ${CONC}\n`);
  console.log(table(['run', 'jobs', 'ms', 'per s', 'p50 ms', 'p99 ms', 'failed+dup'], rows));
  console.log('\nlatency: baseline = per request; engine = enqueue call → 2xx received (burst: includes time queued)');
  const rate = (b.n / b.ms) * 1000;
  const ratio = rate / ((base.n / base.ms) * 1000);
  console.log(`engine burst: ${num(rate)} deliveries/s = ${num(ratio * 100, 0)} % of the bare loop. Goal ≥ ${num(GOAL)}/s: ${rate >= GOAL ? 'met' : 'NOT MET'}`);
  if (base.failed || b.failed || p.failed) process.exitCode = 1;
  else if (rate < GOAL && process.env.BENCH_STRICT === '1') process.exitCode = 1;
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await closeHttpPools();
  await stopChild(echo);
}
process.exit();
}
