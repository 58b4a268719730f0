/**
 * Shared by the benchmarks: start/stop the BUILT server (dist/cli/main.js) on a free loopback port
 * with a temp data dir, SigV4-sign AWS JSON 1.1 requests, send one request, print aligned tables.
 * Every child process started here is killed when the benchmark exits, however it exits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
export const HOST = '127.0.0.1';
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Positive number from the environment, or the default (lets a quick run shorten a benchmark). */
export function envNumber(name, dflt) {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

export function requireBuild() {
  if (!existsSync(MAIN)) {
    console.error(`${MAIN} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

// ---- child processes -----------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** Track a child so it is killed if the benchmark dies. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Hard bound on a whole benchmark: if it is still running after `ms`, fail (children are killed). */
export function watchdog(ms, name) {
  setTimeout(() => {
    console.error(`${name}: still running after ${Math.round(ms / 1000)} s, giving up`);
    process.exit(1);
  }, ms).unref();
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopChild(child, graceMs = 5000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'sbx-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// ---- HTTP ----------------------------------------------------------------------------------------

/**
 * One request on a fresh connection (no keep-alive: a polling loop must not reuse a socket the
 * server has not finished setting up). Resolves `{ status, body }`; rejects on connection errors.
 */
export function send(port, { method = 'GET', path = '/', headers = {}, body } = {}, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls GET /_signalbox/health every `intervalMs` until it answers 200. */
export async function waitHealthy(port, child, { intervalMs = 50, timeoutMs = 20_000, output = () => '' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`signalbox exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    try {
      const r = await send(port, { path: '/_signalbox/health' }, 1000);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`signalbox not healthy after ${timeoutMs} ms:\n${output()}`);
}

// ---- the server ----------------------------------------------------------------------------------

/**
 * Spawns `node dist/cli/main.js start` on `port` (a free one by default) and `dataDir` (a new temp
 * dir by default). Does not wait for readiness: call `ready()` (or measure it yourself).
 * Keeps the last 64 kB of the server's output for error messages.
 */
export async function spawnSignalbox({ port, dataDir, env = {} } = {}) {
  port ??= await freePort();
  const ownDir = !dataDir;
  dataDir ??= tempDir();
  let log = '';
  const child = track(
    spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ') : []), MAIN, 'start', '--host', HOST, '--port', String(port), '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const keep = (d) => {
    log += d;
    if (log.length > 65536) log = log.slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const output = () => log;
  return {
    child,
    pid: child.pid,
    port,
    dataDir,
    output,
    ready: (opts = {}) => waitHealthy(port, child, { output, ...opts }),
    stop: () => stopChild(child),
    dispose: async () => {
      await stopChild(child);
      if (ownDir) removeDir(dataDir);
    },
  };
}

/** Spawn and wait until healthy. */
export async function startSignalbox(opts) {
  const s = await spawnSignalbox(opts);
  try {
    await s.ready();
  } catch (e) {
    await s.dispose();
    throw e;
  }
  return s;
}

// ---- SigV4 / AWS JSON 1.1 ------------------------------------------------------------------------

const signers = new Map();
function signerFor(service) {
  if (!signers.has(service)) {
    signers.set(
      service,
      new SignatureV4({ service, region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') }),
    );
  }
  return signers.get(service);
}

/**
 * A SigV4-signed AWS JSON 1.1 request (`POST /`, X-Amz-Target) ready to send or replay:
 * `{ method, path, headers, body }` with lower-case header names. The signature stays valid for
 * 15 minutes, so replaying it under load is what a busy client looks like to the server.
 */
export async function signedJsonRequest(port, { service = 'ssm', target, input }) {
  const body = JSON.stringify(input);
  const signed = await signerFor(service).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: HOST,
    port,
    path: '/',
    query: {},
    headers: {
      host: `${HOST}:${port}`,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
    },
    body,
  });
  return { method: 'POST', path: '/', headers: { ...signed.headers }, body };
}

/** A SigV4-signed request of a REST protocol (Lambda's Invoke…), ready to send or replay. */
export async function signedRestRequest(port, { service, method = 'POST', path, body = '', headers = {} }) {
  const signed = await signerFor(service).sign({
    method,
    protocol: 'http:',
    hostname: HOST,
    port,
    path,
    query: {},
    headers: { host: `${HOST}:${port}`, ...headers },
    body,
  });
  return { method, path, headers: { ...signed.headers }, body };
}

/** Sign and send one AWS JSON 1.1 call; throws unless it answers 200. Resolves the parsed body. */
export async function callJson(port, { service = 'ssm', target, input }) {
  const req = await signedJsonRequest(port, { service, target, input });
  const r = await send(port, req, 10_000);
  if (r.status !== 200) throw new Error(`${target} answered ${r.status}: ${r.body}`);
  return r.body ? JSON.parse(r.body) : {};
}

// ---- /proc ---------------------------------------------------------------------------------------

/** VmRSS of one process in bytes (Linux), or undefined when it has gone. */
export function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) one process has used so far, in seconds, from /proc/<pid>/stat (fields
 * 14 and 15, in clock ticks: USER_HZ, 100 on Linux); undefined when it has gone.
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parens: the fields after the last ')' are fixed (state is field 3)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** pids of every descendant of `pid` (children, grandchildren, ...), from /proc/<n>/stat. */
export function descendants(pid) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm may contain spaces and parens: the fields after the last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out = [];
  const frontier = [pid];
  while (frontier.length) {
    const p = frontier.pop();
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

// ---- output --------------------------------------------------------------------------------------

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Fixed decimals, with thousands separators for big numbers. */
export const num = (x, decimals = 0) =>
  x === undefined || x === null || Number.isNaN(x)
    ? '-'
    : Number(x).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/**
 * Plain-text table with aligned columns: text left-aligned, numbers (and '-') right-aligned.
 * `rows` are arrays of strings; a column is numeric when every cell in it looks like a number.
 */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+%?$|^-$/.test(String(r[i]))));
  const line = (r) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/**
 * The baseline server (lib/echo-server.mjs) in its own process on a free port. `mode` 'json':
 * it JSON-parses each body (gunzipped when so encoded) and answers `{}` instead of echoing.
 */
export async function startEcho(mode) {
  const port = await freePort();
  const args = [join(ROOT, 'bench', 'lib', 'echo-server.mjs'), String(port), ...(mode ? [mode] : [])];
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }));
  const [line] = await Promise.race([
    once(child.stdout, 'data'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('echo server did not start in 10 s')), 10_000).unref()),
  ]);
  if (!String(line).includes('ready')) throw new Error(`echo server: ${line}`);
  return { port, child };
}
