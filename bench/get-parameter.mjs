/**
 * SSM GetParameter throughput over keep-alive HTTP, against a bare node:http echo server measured
 * in the same run with the same load generator and settings (goal: Signalbox >= 50 % of echo).
 *
 * The request is real: AWS JSON 1.1 (`POST /`, X-Amz-Target: AmazonSSM.GetParameter), SigV4-signed
 * once with key test/test and replayed (the signature is valid for 15 minutes), so every request
 * pays for signature verification, routing, decoding, the store read and encoding.
 *
 *   node bench/get-parameter.mjs        (after `npm run build`)
 *   BENCH_DURATION=10 BENCH_WARMUP=2 BENCH_CONNECTIONS=32 BENCH_STRICT=1 (optional)
 *
 * Exits 1 when a Signalbox response was not 2xx or a request failed (the numbers would be
 * meaningless), and with BENCH_STRICT=1 also when the goal is missed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import {
  startEcho,
  HOST, callJson, envNumber, freePort, num, requireBuild, send, signedJsonRequest, startSignalbox,
  stopChild, table, track, watchdog,
} from './lib/common.mjs';

const DURATION = envNumber('BENCH_DURATION', 10); // seconds measured, per target
const WARMUP = envNumber('BENCH_WARMUP', 2); // seconds of the same load first, discarded (JIT, caches)
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32);
const GOAL = 0.5;
const NAME = '/bench/p';
const VALUE = 'bench-value-0123456789';

requireBuild();
// Two targets x (warm-up + run), plus start-up and teardown: anything beyond this is a hang.
watchdog((2 * (DURATION + WARMUP) + 90) * 1000, 'get-parameter');

/**
 * One autocannon run. Latency percentiles come from our own record of every response time:
 * autocannon's histogram has 1 ms resolution, too coarse for sub-millisecond answers.
 */
async function load(port, req, duration) {
  let times = new Float64Array(1 << 16);
  let n = 0;
  const run = autocannon({
    url: `http://${HOST}:${port}${req.path}`,
    method: req.method,
    headers: req.headers,
    body: req.body,
    connections: CONNECTIONS,
    pipelining: 1,
    duration,
    timeout: 10,
  });
  run.on('response', (_client, _status, _bytes, ms) => {
    if (n === times.length) {
      const grown = new Float64Array(times.length * 2);
      grown.set(times);
      times = grown;
    }
    times[n++] = ms;
  });
  const result = await run;
  const sorted = times.subarray(0, n).sort();
  const pct = (p) => (n ? sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] : NaN);
  return { ...result, p50: pct(50), p99: pct(99) };
}

async function measure(port, req) {
  if (WARMUP > 0) await load(port, req, WARMUP);
  return load(port, req, DURATION);
}

let echo;
let sbx;
let failed = false;
try {
  echo = await startEcho();
  sbx = await startSignalbox();
  await callJson(sbx.port, { target: 'AmazonSSM.PutParameter', input: { Name: NAME, Value: VALUE, Type: 'String', Overwrite: true } });

  const get = await signedJsonRequest(sbx.port, { target: 'AmazonSSM.GetParameter', input: { Name: NAME } });
  // Check once that the replayed request really is a successful GetParameter.
  const probe = await send(sbx.port, get);
  const value = probe.status === 200 ? JSON.parse(probe.body)?.Parameter?.Value : undefined;
  if (value !== VALUE) throw new Error(`GetParameter probe answered ${probe.status}: ${probe.body}`);

  // Same headers and body for the echo server (only Host names its port), so both parse the same bytes.
  const echoReq = { ...get, headers: { ...get.headers, host: `${HOST}:${echo.port}` } };

  const results = [
    ['node:http echo', await measure(echo.port, echoReq)],
    ['Signalbox GetParameter', await measure(sbx.port, get)],
  ];

  console.log(
    `GetParameter over keep-alive HTTP: autocannon, ${CONNECTIONS} connections, ${DURATION} s per target ` +
      `after ${WARMUP} s warm-up, SigV4-signed AWS JSON 1.1, ${get.body.length}-byte body`,
  );
  console.log(
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', '200', 'non-2xx', 'errors'],
      results.map(([name, r]) => [
        name,
        num(r.requests.average),
        num(r.p50, 2),
        num(r.p99, 2),
        num(r.requests.total),
        num(r.statusCodeStats?.['200']?.count ?? 0),
        num(r.non2xx),
        num(r.errors + r.timeouts),
      ]),
    ),
  );
  const [echoR, sbxR] = results.map(([, r]) => r);
  const ratio = sbxR.requests.average / echoR.requests.average;
  const met = ratio >= GOAL;
  console.log(`\nSignalbox / echo: ${num(ratio * 100, 1)} % of echo req/s (goal >= ${GOAL * 100} %): ${met ? 'met' : 'NOT MET'}`);

  for (const [name, r] of results) {
    const ok200 = r.statusCodeStats?.['200']?.count ?? 0;
    if (ok200 !== r.requests.total || r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
      console.log(`${name}: ${r.requests.total - ok200} answers other than 200 (${r.non2xx} non-2xx), ${r.errors} errors, ${r.timeouts} timeouts: the measurement is not valid`);
      failed = true;
    }
  }
  if (!met && process.env.BENCH_STRICT === '1') failed = true;
} catch (e) {
  console.error(`get-parameter: ${e.stack ?? e}${sbx ? `\n--- server output ---\n${sbx.output()}` : ''}`);
  failed = true;
} finally {
  await sbx?.dispose();
  if (echo) await stopChild(echo.child);
}
process.exit(failed ? 1 : 0);
