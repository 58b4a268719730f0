/**
 * CloudWatch PutMetricData ingest: datapoints/s with 1,000 datapoints per call and 10 concurrent
 * keep-alive clients (goal: ≥ 200,000 datapoints/s), and the server's memory per 100,000 active
 * series.
 *
 * Ingest. 1,000 series (10 metrics × 100 `host` dimension values) in one namespace; every call
 * carries one datum for each of them, 70 % `Value` and 30 % `Values`/`Counts` (5 distinct values),
 * units on some, `Timestamp` = now (epoch seconds). A pool of distinct bodies is SigV4-signed
 * before each phase (AWS JSON 1.0, `X-Amz-Target: GraniteServiceVersion20100801.PutMetricData`,
 * signing name `monitoring`) and only sent during it, so the client spends its CPU on sending.
 * Each phase is a warm-up (discarded) then a measured run, bounded by time. Rows:
 *   - baseline: the same bytes POSTed to a bare node:http server (lib/echo-server.mjs `json`) that
 *     reads the body, gunzips it when so encoded, JSON.parses it and answers `{}`, same run;
 *   - Signalbox, plain JSON bodies; and gzip bodies (`Content-Encoding: gzip`, as the SDKs send
 *     PutMetricData over 10 KiB) unless a probe answers 4xx, then the row says it was skipped.
 * Server CPU is (utime + stime) from /proc/<pid>/stat over the measured run, in % of one core;
 * RSS is VmRSS at its end; client CPU is this process's own process.cpuUsage().
 *
 * Memory. On a fresh server: 1,000 series to warm up, ~3 s for the flush (every 2 s) and a settle
 * until RSS is steady, RSS before; then 100,000 new series, one datapoint each, in calls of 1,000
 * (4 in flight); the same wait; RSS after. Prints the delta per 100,000 series, the data dir growth
 * and the series-creating put rate.
 *
 *   node bench/metrics-ingest.mjs      (after `npm run build`)
 *   BENCH_DURATION=10 BENCH_WARMUP=2 BENCH_CLIENTS=10 BENCH_SERIES_MEMORY=100000 (optional)
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
 *
 * Exits 1 when a Signalbox answer (other than the gzip probe) was not 200 or a request failed.
 */
import { readdirSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import {
  HOST, cpuSeconds, envNumber, num, requireBuild, rssBytes, startEcho, startSignalbox, stopChild, table, watchdog,
} from './lib/common.mjs';
import { sendSigned, signCloudWatch } from './lib/cloudwatch.mjs';
import { closedLoop } from './lib/closed-loop.mjs';

const DURATION = envNumber('BENCH_DURATION', 10); // s measured per row
const WARMUP = envNumber('BENCH_WARMUP', 2); // s of the same load first, discarded
const CLIENTS = envNumber('BENCH_CLIENTS', 10);
const POOL = envNumber('BENCH_POOL', 16); // distinct signed bodies replayed round-robin
const MEMORY_SERIES = envNumber('BENCH_SERIES_MEMORY', 100_000);
const PER_CALL = 1000;
const METRICS = 10;
const HOSTS = 100;
const NAMESPACE = 'Bench/Ingest';
const GOAL = 200_000;
const MiB = 1024 * 1024;

requireBuild();
// 4 rows × (warm-up + run) + signing + the memory phase (~60 s) + start-ups
watchdog((4 * (DURATION + WARMUP) + 150) * 1000, 'metrics-ingest');

const UNITS = ['Milliseconds', 'Count', 'Bytes', undefined];

/** One call's input: a datum for each of the 1,000 series, values varied by `k`. */
function ingestInput(k, nowS) {
  const MetricData = [];
  for (let j = 0; j < PER_CALL; j++) {
    const metric = j % METRICS;
    const host = Math.floor(j / METRICS) % HOSTS;
    const d = { MetricName: `latency-${metric}`, Dimensions: [{ Name: 'host', Value: `host-${String(host).padStart(3, '0')}` }], Timestamp: nowS };
    const unit = UNITS[metric % UNITS.length];
    if (unit) d.Unit = unit;
    if ((j + k) % 10 < 7) {
      d.Value = ((j * 7919 + k * 104729) % 10_000) / 10;
    } else {
      d.Values = [1, 2, 3, 4, 5].map((v) => v * 10 + ((j + k) % 10));
      d.Counts = [1, 3, 5, 3, 1];
    }
    MetricData.push(d);
  }
  return { Namespace: NAMESPACE, MetricData };
}

/** `POOL` signed calls for `port` (fresh timestamps and signatures). */
async function signPool(port, gzip) {
  const nowS = Math.floor(Date.now() / 1000);
  const out = [];
  for (let k = 0; k < POOL; k++) out.push(await signCloudWatch(port, 'PutMetricData', ingestInput(k, nowS), { gzip }));
  return out;
}

/** CLIENTS workers replaying the pool; adds the server's CPU and RSS and this process's CPU. */
async function load(port, pool, seconds, pid) {
  let i = 0;
  const cpu0 = cpuSeconds(pid);
  const me0 = process.cpuUsage();
  const r = await closedLoop({ port, clients: Array.from({ length: CLIENTS }, () => () => pool[i++ % pool.length]), seconds });
  const cpu1 = cpuSeconds(pid);
  const me = process.cpuUsage(me0);
  return {
    ...r,
    cpu: cpu0 !== undefined && cpu1 !== undefined ? (100 * (cpu1 - cpu0)) / r.secs : NaN,
    rss: rssBytes(pid),
    clientCpu: (100 * (me.user + me.system)) / 1e6 / r.secs,
  };
}

async function measure(port, pid, gzip) {
  const pool = await signPool(port, gzip);
  if (WARMUP > 0) await load(port, pool, WARMUP, pid);
  const r = await load(port, pool, DURATION, pid);
  return { ...r, bytes: pool[0].body.length, jsonBytes: pool[0].jsonBytes };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits `minMs`, then until RSS moved < 1 % over 1 s (at most `maxMs` in all). Resolves RSS. */
async function settledRss(pid, minMs = 3000, maxMs = 20_000) {
  const t0 = Date.now();
  await sleep(minMs);
  let last = rssBytes(pid);
  while (Date.now() - t0 < maxMs) {
    await sleep(1000);
    const now = rssBytes(pid);
    if (Math.abs(now - last) < 0.01 * last) return now;
    last = now;
  }
  return last;
}

function dirBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    total += st.isDirectory() ? dirBytes(join(dir, name)) : st.size;
  }
  return total;
}

/** `n` series never seen before (metric `mem-<k>`, dimension `id`), one datapoint each. */
function memoryInput(base, n, nowS) {
  const MetricData = [];
  for (let j = 0; j < n; j++) {
    const id = base + j;
    MetricData.push({ MetricName: `mem-${id % 100}`, Dimensions: [{ Name: 'id', Value: `series-${id}` }, { Name: 'fleet', Value: 'bench' }], Value: id % 1000, Timestamp: nowS });
  }
  return { Namespace: 'Bench/Memory', MetricData };
}

async function memoryPhase() {
  const sbx = await startSignalbox();
  try {
    const { port, pid } = sbx;
    const nowS = Math.floor(Date.now() / 1000);
    const warm = await sendSigned(port, await signCloudWatch(port, 'PutMetricData', { ...memoryInput(10_000_000, PER_CALL, nowS), Namespace: 'Bench/MemoryWarm' }));
    if (warm.status !== 200) throw new Error(`warm-up put answered ${warm.status}: ${warm.text}`);
    const before = await settledRss(pid);
    const diskBefore = dirBytes(sbx.dataDir);
    const calls = Math.ceil(MEMORY_SERIES / PER_CALL);
    const reqs = [];
    for (let c = 0; c < calls; c++) reqs.push(await signCloudWatch(port, 'PutMetricData', memoryInput(c * PER_CALL, Math.min(PER_CALL, MEMORY_SERIES - c * PER_CALL), nowS)));
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let next = 0;
    const lat = [];
    const t0 = performance.now();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid) ?? 0)), 100);
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < reqs.length) {
        const r = await sendSigned(port, reqs[next++], agent);
        if (r.status !== 200) throw new Error(`put answered ${r.status}: ${r.text.slice(0, 300)}`);
        lat.push(r.doneAt - r.sentAt);
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    agent.destroy();
    const after = await settledRss(pid);
    clearInterval(sampler);
    peak = Math.max(peak, after);
    lat.sort((a, b) => a - b);
    return {
      before, after, peak, secs, calls, p50: lat[Math.floor(lat.length / 2)], max: lat[lat.length - 1],
      disk: dirBytes(sbx.dataDir) - diskBefore,
    };
  } finally {
    await sbx.dispose();
  }
}

let echo;
let sbx;
let failed = false;
try {
  // one server at a time, so a profile of Signalbox (BENCH_SERVER_NODE_ARGS) covers its own rows
  const rows = [];
  echo = await startEcho('json');
  rows.push(['node:http echo + JSON.parse', await measure(echo.port, echo.child.pid, false)]);
  rows.push(['node:http echo + gunzip + JSON.parse', await measure(echo.port, echo.child.pid, true)]);
  await stopChild(echo.child);
  echo = undefined;

  sbx = await startSignalbox();
  // does the server take gzip bodies? (another change may add or remove it)
  const probe = await sendSigned(sbx.port, await signCloudWatch(sbx.port, 'PutMetricData', ingestInput(0, Math.floor(Date.now() / 1000)), { gzip: true }));
  const gzipOk = probe.status === 200;
  if (!gzipOk && probe.status < 400) throw new Error(`gzip probe answered ${probe.status}: ${probe.text.slice(0, 300)}`);
  rows.push(['Signalbox PutMetricData', await measure(sbx.port, sbx.pid, false)]);
  rows.push(['Signalbox PutMetricData, gzip', gzipOk ? await measure(sbx.port, sbx.pid, true) : { skipped: `skipped: gzip probe answered ${probe.status}` }]);
  await sbx.dispose();
  sbx = undefined;

  const mem = await memoryPhase();

  console.log(
    `PutMetricData over keep-alive HTTP: ${CLIENTS} concurrent clients, ${PER_CALL} datapoints per call over ${PER_CALL} series ` +
      `(${METRICS} metrics × ${HOSTS} hosts; 70 % Value, 30 % Values/Counts × 5), ${POOL} pre-signed bodies of ` +
      `${num(rows[0][1].jsonBytes / 1024)} KiB JSON (${num(rows[1][1].bytes / 1024)} KiB gzip), ${DURATION} s per row after ${WARMUP} s warm-up`,
  );
  console.log(table(
    ['target', 'datapoints/s', 'calls/s', 'p50 ms', 'p99 ms', 'server CPU %', 'server RSS MiB', 'client CPU %', 'calls', 'non-200'],
    rows.map(([name, r]) => (r.skipped
      ? [name, '-', '-', '-', '-', '-', '-', '-', '-', r.skipped]
      : [name, num((r.ok * PER_CALL) / r.secs), num(r.ok / r.secs), num(r.p50, 2), num(r.p99, 2), num(r.cpu), num(r.rss / MiB), num(r.clientCpu), num(r.ok + r.bad), num(r.bad)])),
  ));
  const sbxRows = rows.filter(([name, r]) => name.startsWith('Signalbox') && !r.skipped);
  const best = Math.max(...sbxRows.map(([, r]) => (r.ok * PER_CALL) / r.secs));
  const base = (rows[0][1].ok * PER_CALL) / rows[0][1].secs;
  console.log(`\nbest Signalbox ${num(best)} datapoints/s (${num((100 * best) / base, 1)} % of the echo baseline; goal >= ${num(GOAL)}): ${best >= GOAL ? 'met' : 'NOT MET'}`);

  console.log(`\nMemory per active series: ${num(MEMORY_SERIES)} new series, 1 datapoint each, ${mem.calls} calls of ${PER_CALL} (4 in flight), RSS after >= 3 s (flush) and a settle`);
  console.log(table(
    ['series', 'RSS before MiB', 'RSS after MiB', 'peak RSS MiB', 'delta MiB', 'per 100k series MiB', 'bytes/series', 'data dir delta MiB', 'put s', 'series/s', 'call p50 ms', 'call max ms'],
    [[num(MEMORY_SERIES), num(mem.before / MiB, 1), num(mem.after / MiB, 1), num(mem.peak / MiB, 1), num((mem.after - mem.before) / MiB, 1),
      num(((mem.after - mem.before) / MiB) * (100_000 / MEMORY_SERIES), 1), num((mem.after - mem.before) / MEMORY_SERIES), num(mem.disk / MiB, 1),
      num(mem.secs, 1), num(MEMORY_SERIES / mem.secs), num(mem.p50, 1), num(mem.max, 1)]],
  ));

  for (const [name, r] of rows) {
    if (!r.skipped && r.bad > 0) {
      console.log(`${name}: ${r.bad} failed calls (first: ${r.firstBad}): the measurement is not valid`);
      failed = true;
    }
  }
} catch (err) {
  console.error(`metrics-ingest: ${err.stack ?? err}${sbx ? `\n--- server output ---\n${sbx.output()}` : ''}`);
  failed = true;
} finally {
  await sbx?.dispose();
  if (echo) await stopChild(echo.child);
}
process.exit(failed ? 1 : 0);
