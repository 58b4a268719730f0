/**
 * CloudWatch Logs: PutLogEvents ingest and the reads over what it stored.
 *
 * Ingest. 10 keep-alive clients, each call 1,000 events of ~120 bytes (an access-log-like line,
 * every 50th an ERROR) into one stream per client, current timestamps. 16 bodies per client are
 * SigV4-signed before each phase (AWS JSON 1.1, `Logs_20140328.PutLogEvents`, signing name
 * `logs`) and replayed, so the client's CPU goes to sending. Each row: a warm-up (discarded) then
 * a measured run. Rows:
 *   - baseline: the same bytes to a bare node:http server that reads and JSON.parses each body and
 *     answers `{}` (lib/echo-server.mjs `json`), same run;
 *   - Signalbox, no metric filter;
 *   - Signalbox, a group with two metric filters (a term pattern and a JSON-free space-delimited
 *     one with a `$field` value), which every event is tested against.
 * Server CPU is utime + stime from /proc/<pid>/stat over the run, in % of one core.
 *
 * Reads, on the group the plain row filled (events = that row's total): FilterLogEvents over the
 * whole group with a pattern matching 2 % of events, paged with nextToken to the end (events
 * scanned/s); GetLogEvents of one stream, the newest page and then 10 pages backward (ms per page
 * of 10,000 events).
 *
 *   node bench/logs-ingest.mjs      (after `npm run build`)
 *   BENCH_DURATION=5 BENCH_WARMUP=1 BENCH_CLIENTS=10 (optional)
 *
 * Exits 1 when a Signalbox answer was not 200 or a request failed.
 */
import {
  HOST, callJson, cpuSeconds, envNumber, num, requireBuild, rssBytes, signedJsonRequest, startEcho, startSignalbox, stopChild, table, watchdog,
} from './lib/common.mjs';
import { closedLoop } from './lib/closed-loop.mjs';

const DURATION = envNumber('BENCH_DURATION', 5);
const WARMUP = envNumber('BENCH_WARMUP', 1);
const CLIENTS = envNumber('BENCH_CLIENTS', 10);
const POOL = 16;
const PER_CALL = 1000;
const TARGET = 'Logs_20140328';

requireBuild();
watchdog((3 * (DURATION + WARMUP) + 120) * 1000, 'logs-ingest');

const logsCall = (port, op, input) => callJson(port, { service: 'logs', target: `${TARGET}.${op}`, input });

function line(k, i) {
  const status = i % 50 === 0 ? 500 : i % 7 === 0 ? 404 : 200;
  const level = status === 500 ? 'ERROR' : 'INFO';
  return `10.0.${k % 256}.${i % 256} - user${i % 97} ${level} "GET /api/items/${(k * 1000 + i) % 9973} HTTP/1.1" ${status} ${(i * 37) % 5000}`;
}

/** POOL signed PutLogEvents calls per client stream. */
async function signPool(port, group) {
  const now = Date.now();
  const pools = [];
  for (let c = 0; c < CLIENTS; c++) {
    const pool = [];
    for (let k = 0; k < POOL; k++) {
      const logEvents = Array.from({ length: PER_CALL }, (_, i) => ({ timestamp: now - PER_CALL + i, message: line(k, i) }));
      const req = await signedJsonRequest(port, { service: 'logs', target: `${TARGET}.PutLogEvents`, input: { logGroupName: group, logStreamName: `client-${c}`, logEvents } });
      pool.push({ headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }, body: req.body });
    }
    pools.push(pool);
  }
  return pools;
}

/** One worker per pool, each replaying its own pool; adds the server's CPU and RSS. */
async function load(port, pools, seconds, pid) {
  const cpu0 = cpuSeconds(pid);
  const clients = pools.map((pool) => {
    let i = 0;
    return () => pool[i++ % pool.length];
  });
  const r = await closedLoop({ port, clients, seconds });
  const cpu1 = cpuSeconds(pid);
  return {
    ...r,
    cpu: cpu0 !== undefined && cpu1 !== undefined ? (100 * (cpu1 - cpu0)) / r.secs : NaN,
    rss: rssBytes(pid),
  };
}

async function setUp(port, group, withFilters) {
  await logsCall(port, 'CreateLogGroup', { logGroupName: group });
  for (let c = 0; c < CLIENTS; c++) await logsCall(port, 'CreateLogStream', { logGroupName: group, logStreamName: `client-${c}` });
  if (!withFilters) return;
  await logsCall(port, 'PutMetricFilter', {
    logGroupName: group, filterName: 'errors', filterPattern: 'ERROR',
    metricTransformations: [{ metricNamespace: 'Bench/Logs', metricName: 'Errors', metricValue: '1', defaultValue: 0 }],
  });
  await logsCall(port, 'PutMetricFilter', {
    logGroupName: group, filterName: 'bytes404', filterPattern: '[ip, user, username, level, request, status = 404, size]',
    metricTransformations: [{ metricNamespace: 'Bench/Logs', metricName: 'Bytes404', metricValue: '$size' }],
  });
}

async function measure(port, pid, group) {
  const pools = await signPool(port, group);
  if (WARMUP > 0) await load(port, pools, WARMUP, pid);
  const r = await load(port, pools, DURATION, pid);
  return { ...r, bytes: Buffer.byteLength(pools[0][0].body) };
}

async function reads(port, group, totalEvents) {
  const rows = [];
  let token;
  let matched = 0;
  let calls = 0;
  const t0 = performance.now();
  do {
    const r = await logsCall(port, 'FilterLogEvents', { logGroupName: group, filterPattern: 'ERROR', nextToken: token });
    matched += r.events.length;
    token = r.nextToken;
    calls++;
  } while (token);
  const filterSecs = (performance.now() - t0) / 1000;
  rows.push(['FilterLogEvents "ERROR", whole group', num(totalEvents), num(matched), num(calls), num(filterSecs * 1000), num(totalEvents / filterSecs)]);

  const g0 = performance.now();
  let page = await logsCall(port, 'GetLogEvents', { logGroupName: group, logStreamName: 'client-0' });
  rows.push(['GetLogEvents, newest page of a stream', '-', num(page.events.length), '1', num(performance.now() - g0, 1), '-']);
  const b0 = performance.now();
  let pages = 0;
  let got = 0;
  while (pages < 10) {
    page = await logsCall(port, 'GetLogEvents', { logGroupName: group, logStreamName: 'client-0', nextToken: page.nextBackwardToken });
    if (page.events.length === 0) break;
    got += page.events.length;
    pages++;
  }
  rows.push([`GetLogEvents, ${pages} pages backward (per page)`, '-', num(got), num(pages), num((performance.now() - b0) / Math.max(pages, 1), 1), '-']);
  return rows;
}

const results = [];
let failed = false;

const echo = await startEcho('json');
try {
  const pools = await signPool(echo.port, 'bench');
  if (WARMUP > 0) await load(echo.port, pools, WARMUP, echo.child.pid);
  const r = await load(echo.port, pools, DURATION, echo.child.pid);
  results.push({ label: 'baseline: node:http + JSON.parse', ...r, bytes: Buffer.byteLength(pools[0][0].body) });
} finally {
  await stopChild(echo.child);
}

let readRows = [];
for (const withFilters of [false, true]) {
  const sbx = await startSignalbox();
  try {
    const group = withFilters ? '/bench/filtered' : '/bench/plain';
    await setUp(sbx.port, group, withFilters);
    const r = await measure(sbx.port, sbx.pid, group);
    results.push({ label: withFilters ? 'Signalbox, 2 metric filters' : 'Signalbox', ...r });
    if (r.bad > 0) failed = true;
    if (!withFilters && r.bad === 0) {
      readRows = await reads(sbx.port, group, await countEvents(sbx.port, group));
    }
  } catch (e) {
    failed = true;
    console.error(e);
  } finally {
    await sbx.dispose();
  }
}

/** How many events the group holds, counted by paging FilterLogEvents through all of them. */
async function countEvents(port, group) {
  let total = 0;
  let token;
  do {
    const r = await logsCall(port, 'FilterLogEvents', { logGroupName: group, filterPattern: '-nomatch', nextToken: token, limit: 10_000 });
    total += r.events.length;
    token = r.nextToken;
  } while (token);
  return total;
}

console.log(`\nPutLogEvents: ${CLIENTS} clients, ${num(PER_CALL)} events per call (~${num(results[0].bytes / PER_CALL)} bytes each on the wire), ${WARMUP} s warm-up, ${DURATION} s measured\n`);
console.log(table(
  ['server', 'events/s', 'calls/s', 'p50 ms', 'p99 ms', 'server CPU %', 'RSS MiB', 'non-200'],
  results.map((r) => [
    r.label, num((r.ok * PER_CALL) / r.secs), num(r.ok / r.secs, 1), num(r.p50, 1), num(r.p99, 1), num(r.cpu), num((r.rss ?? NaN) / 1048576), num(r.bad),
  ]),
));
const base = results[0];
for (const r of results.slice(1)) {
  console.log(`${r.label}: ${num((100 * r.ok) / base.ok)} % of the baseline's calls/s`);
  if (r.firstBad) console.log(`  first failure: ${r.firstBad}`);
}
if (readRows.length) {
  console.log('\nReads over the plain row\'s group\n');
  console.log(table(['read', 'events in group', 'events returned', 'calls', 'ms', 'events scanned/s'], readRows));
}
if (failed) process.exit(1);
