/**
 * SIGKILL durability: a process enqueues 10,000 jobs and is killed while delivering them; a new
 * process on the same data dir finishes the work. Every job must reach the receiver at least once
 * (duplicates are allowed: at-least-once), and the table must end empty.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const src = (p: string) => pathToFileURL(join(root, 'src', p)).href;

/** The child: an engine on `dataDir` posting to `url`; `enqueue N` first enqueues N jobs. */
const CHILD = `
import { openSqliteStore } from '${src('store/open.ts')}';
import { createDeliveryEngine, postHttp } from '${src('core/deliveries/index.ts')}';
import { Targets } from '${src('core/targets/index.ts')}';
import { systemClock } from '${src('core/clock.ts')}';
import { createLogger } from '${src('core/log.ts')}';
const [dataDir, url, mode, n] = process.argv.slice(2);
const store = await openSqliteStore(dataDir);
const engine = createDeliveryEngine({ store, clock: systemClock, log: createLogger('warn'), targets: new Targets() });
engine.register('http', (job) => postHttp(url, { body: JSON.stringify(job.payload), timeoutMs: 5000 }), { throttle: () => ({ concurrency: 32 }) });
engine.start();
if (mode === 'enqueue') {
  const N = Number(n);
  for (let i = 0; i < N; i += 500) {
    await engine.enqueue(Array.from({ length: Math.min(500, N - i) }, (_, k) => ({ kind: 'http', source: 'crash', target: url, payload: { id: i + k } })));
  }
  console.log('enqueued');
}
process.on('SIGTERM', async () => {
  await engine.stop();
  console.log('pending ' + (await engine.pendingCount()));
  await store.close();
  process.exit(0);
});
setInterval(() => {}, 1000);
`;

function run(childFile: string, args: string[]): { child: ChildProcess; lines: string[]; line: (s: string) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childFile, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: { s: string; r: () => void }[] = [];
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(l);
      for (const w of waiters.filter((x) => l.startsWith(x.s))) w.r();
    }
  });
  const line = (s: string) =>
    new Promise<void>((r, j) => {
      if (lines.some((l) => l.startsWith(s))) return r();
      waiters.push({ s, r });
      child.once('exit', (c, sig) => j(new Error(`child exited (${c ?? sig}) before printing "${s}"`)));
    });
  return { child, lines, line };
}

async function waitFor(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('SIGKILL mid-delivery: a new process delivers every job at least once', { timeout: 120_000 }, async (t) => {
  const N = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'sbx-crash-'));
  const childFile = join(dir, 'child.mts');
  writeFileSync(childFile, CHILD);
  const seen = new Set<number>();
  let requests = 0;
  // slow enough (5 ms each, 32 at once) that the first process cannot finish before it is killed
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      requests++;
      seen.add(JSON.parse(b).id);
      setTimeout(() => res.end('ok'), 5);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const kids: ChildProcess[] = [];
  try {
    const first = run(childFile, [join(dir, 'data'), url, 'enqueue', String(N)]);
    kids.push(first.child);
    await first.line('enqueued'); // every enqueue call resolved: all N are committed
    await waitFor('first deliveries', () => seen.size >= 1000, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const before = seen.size;
    assert.ok(before < N, `killed mid-delivery (${before} of ${N} delivered)`);

    const second = run(childFile, [join(dir, 'data'), url, 'resume', '0']);
    kids.push(second.child);
    await waitFor('every job', () => seen.size === N, 90_000);
    second.child.kill('SIGTERM');
    await second.line('pending ');
    assert.equal(second.lines.find((l) => l.startsWith('pending ')), 'pending 0');
    for (let i = 0; i < N; i++) assert.ok(seen.has(i), `job ${i} delivered`);
    assert.ok(requests >= N);
    t.diagnostic(`delivered before the kill: ${before}; requests in all: ${requests} (${requests - N} duplicates)`);
  } finally {
    for (const k of kids) if (k.exitCode === null && k.signalCode === null) k.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
