/**
 * The function runtime on its own (no HTTP Invoke in front): cold starts of Node and Python
 * instances, the overhead of a warm invocation of a no-op handler, and invocations per second,
 * next to a same-run baseline: a bare node:http server in this process and a child process that
 * long-polls it and posts answers back over one keep-alive connection, the shape of the Runtime
 * API loop with nothing else in it. It imports the built module
 * (dist/services/functions/runtime/index.js).
 *
 *   npm run build && node bench/function-runtime.mjs
 *   BENCH_COLD=10 (cold starts per runtime)  BENCH_WARM=3000 (sequential warm invocations)
 *   BENCH_SECONDS=3 (per throughput row)  BENCH_CONCURRENCY=4  BENCH_STRICT=1 (exit 1 if a goal is missed)
 *
 * Goals: Node cold start p50 < 150 ms, warm overhead p50 < 1 ms, >= 3,000 warm invocations/s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { envNumber, num, removeDir, table, tempDir, track, watchdog } from './lib/common.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = join(ROOT, 'dist', 'services', 'functions', 'runtime', 'index.js');
if (!existsSync(MODULE)) {
  console.error(`${MODULE} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
const { FunctionRuntime } = await import(MODULE);
const { createLogger } = await import(join(ROOT, 'dist', 'core', 'log.js'));

const COLD = envNumber('BENCH_COLD', 10);
const WARM = envNumber('BENCH_WARM', 3000);
const SECONDS = envNumber('BENCH_SECONDS', 3);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 4);
const GOALS = { coldP50: 150, warmP50: 1, perSecond: 3000 };
watchdog((COLD * 3 * 2 + (WARM / 1000) * 4 + SECONDS * 6 + 90) * 1000, 'function-runtime');

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

// ---- baseline: node:http long poll + post, the Runtime API loop with nothing in it ------------

const CLIENT = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const call = (method, path, body) => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port: Number(process.argv[1]), method, path, agent }, (res) => {
    res.on('data', () => {});
    res.on('end', resolve);
  });
  req.on('error', reject);
  req.end(body);
});
(async () => { for (;;) { await call('GET', '/next'); await call('POST', '/response', '1'); } })().catch(() => process.exit(0));
`;

async function baseline() {
  const parked = [];
  const waiting = [];
  const server = createServer({ noDelay: true }, (req, res) => {
    if (req.method === 'GET') {
      const w = waiting.shift();
      if (w) w(res);
      else parked.push(res);
      return;
    }
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(202, { 'Content-Length': 2 }).end('{}');
      const done = req.socket.done;
      req.socket.done = undefined;
      done?.();
    });
  });
  server.keepAliveTimeout = 0;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const clients = [];
  const start = () => {
    const c = track(spawn(process.execPath, ['-e', CLIENT, String(port)], { stdio: 'ignore' }));
    clients.push(c);
  };
  // one round trip: hand an event to a parked long poll, resolve when its answer has arrived
  const roundTrip = () =>
    new Promise((resolve) => {
      const go = (res) => {
        res.socket.done = resolve;
        res.writeHead(200, { 'Content-Length': 7, 'Lambda-Runtime-Aws-Request-Id': 'x' }).end('{"x":1}');
      };
      const p = parked.shift();
      if (p) go(p);
      else waiting.push(go);
    });
  start();
  const times = [];
  for (let i = 0; i < WARM + 500; i++) {
    const t = performance.now();
    await roundTrip();
    if (i >= 500) times.push(performance.now() - t);
  }
  const rates = {};
  for (const c of [1, CONCURRENCY]) {
    while (clients.length < c) start();
    rates[c] = await throughput(roundTrip, c);
  }
  for (const c of clients) c.kill();
  server.close();
  server.closeAllConnections();
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), rates };
}

async function throughput(once, concurrency) {
  const warmUntil = performance.now() + 300;
  const until = warmUntil + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < until) {
      await once();
      if (performance.now() > warmUntil) done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / SECONDS;
}

// ---- the function runtime -------------------------------------------------------------------------

const dir = tempDir('sbx-bench-functions-');
process.on('exit', () => removeDir(dir));
const code = join(dir, 'code');
mkdirSync(code, { recursive: true });
writeFileSync(join(code, 'noop.js'), 'exports.handler = async () => null;');
writeFileSync(join(code, 'esm.mjs'), 'export const handler = async () => null;');
writeFileSync(join(code, 'noop.py'), 'def handler(event, context):\n    return None\n');

const runtime = new FunctionRuntime({
  scratchDir: join(dir, 'scratch'),
  access: () => ({ endpointUrl: 'http://127.0.0.1:4566', accessKeyId: 'test', secretAccessKey: 'test' }),
  onLog: () => {},
  log: createLogger('warn'),
});
let keys = 0;
const spec = (runtimeName, handler) => ({
  key: `bench-${++keys}`, accountId: '000000000000', region: 'us-east-1', functionName: `bench-${keys}`, version: '$LATEST',
  runtime: runtimeName, handler, codeDir: code, layerDirs: [], environment: {}, timeoutSeconds: 30, memorySizeMb: 512,
  logGroupName: '/aws/lambda/bench',
});
let requests = 0;
const invoke = async (s) => {
  const out = await runtime.invoke(s, { requestId: `r${++requests}`, payload: Buffer.from('{}'), invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench' });
  if (out.functionError) throw new Error(`invocation failed: ${out.payload}`);
  return out;
};

async function coldStarts(runtimeName, handler) {
  await invoke(spec(runtimeName, handler)); // the first also pays for one-time probes
  const total = [];
  const init = [];
  for (let i = 0; i < COLD; i++) {
    const s = spec(runtimeName, handler);
    const t = performance.now();
    const out = await invoke(s);
    total.push(performance.now() - t);
    init.push(out.initDurationMs);
    runtime.retire(s.key);
  }
  return { p50: pct(total, 0.5), p99: pct(total, 0.99), init: pct(init, 0.5) };
}

const isolation = await runtime.isolationMode();
const cold = {
  'nodejs20.x (CommonJS)': await coldStarts('nodejs20.x', 'noop.handler'),
  'nodejs20.x (ES module)': await coldStarts('nodejs20.x', 'esm.handler'),
  'python3.12': await coldStarts('python3.12', 'noop.handler'),
};

const warmSpec = spec('nodejs20.x', 'noop.handler');
const warmTimes = [];
for (let i = 0; i < WARM + 500; i++) {
  const t = performance.now();
  await invoke(warmSpec);
  if (i >= 500) warmTimes.push(performance.now() - t);
}
const rates = {};
for (const c of [1, CONCURRENCY]) rates[c] = await throughput(() => invoke(warmSpec), c);
await runtime.stop();
const base = await baseline();

console.log(`function runtime, ${isolation} isolation, node ${process.version}, ${COLD} cold starts per runtime, ${WARM} warm invocations\n`);
console.log(table(
  ['cold start', 'p50 ms', 'p99 ms', 'init p50 ms'],
  Object.entries(cold).map(([name, r]) => [name, num(r.p50, 1), num(r.p99, 1), num(r.init, 1)]),
));
console.log();
console.log(table(
  ['warm no-op invocation', 'p50 ms', 'p99 ms', `invokes/s (1)`, `invokes/s (${CONCURRENCY})`],
  [
    ['function runtime (Node)', num(pct(warmTimes, 0.5), 3), num(pct(warmTimes, 0.99), 3), num(rates[1]), num(rates[CONCURRENCY])],
    ['baseline: node:http poll + post', num(base.p50, 3), num(base.p99, 3), num(base.rates[1]), num(base.rates[CONCURRENCY])],
  ],
));

const best = Math.max(...Object.values(rates));
const checks = [
  ['Node cold start p50', cold['nodejs20.x (CommonJS)'].p50 < GOALS.coldP50, `${num(cold['nodejs20.x (CommonJS)'].p50, 1)} ms < ${GOALS.coldP50} ms`],
  ['warm overhead p50', pct(warmTimes, 0.5) < GOALS.warmP50, `${num(pct(warmTimes, 0.5), 3)} ms < ${GOALS.warmP50} ms`],
  ['warm invokes/s', best >= GOALS.perSecond, `${num(best)} >= ${num(GOALS.perSecond)}`],
];
console.log();
for (const [name, met, text] of checks) console.log(`${name}: ${text}: ${met ? 'met' : 'NOT MET'}`);
if (checks.some(([, met]) => !met) && process.env.BENCH_STRICT === '1') process.exitCode = 1;
