/**
 * Start-to-ready time and idle memory of the built server.
 *
 * ready ms: from spawn(`node dist/cli/main.js start ...`) to the first 200 from
 *   GET /_signalbox/health, polling every 5 ms on fresh connections. Median of BENCH_RUNS (5) runs
 *   on fresh data dirs and BENCH_RUNS runs on one existing data dir (created by an earlier start,
 *   holding 100 parameters). Goal: < 1 s.
 * idle RSS: VmRSS from /proc/<pid>/status 2 s after ready (plus any child processes of the
 *   server, shown apart when there are some). Goal: < 120 MiB.
 * stop ms: SIGTERM to exit.
 *
 *   node bench/startup.mjs        (after `npm run build`)
 *   BENCH_RUNS=5 BENCH_STRICT=1 (optional: exit 1 when a goal is missed)
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  callJson, descendants, envNumber, median, num, removeDir, requireBuild, rssBytes, send, spawnSignalbox,
  table, tempDir, watchdog,
} from './lib/common.mjs';

const RUNS = envNumber('BENCH_RUNS', 5);
const POLL_MS = 5;
const IDLE_MS = 2000;
const READY_GOAL_MS = 1000;
const RSS_GOAL_MIB = 120;
const MiB = 1024 * 1024;

requireBuild();
// Each run: start (bounded by 20 s) + 2 s idle + stop (bounded by 5 s); plus the preparation.
watchdog((2 * RUNS * 30 + 60) * 1000, 'startup');

/** Polls /_signalbox/health every POLL_MS; resolves ms since t0 at the first 200. */
async function readyAfter(s, t0) {
  const deadline = t0 + 20_000;
  while (performance.now() < deadline) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      throw new Error(`signalbox exited (${s.child.exitCode ?? s.child.signalCode}) before it was ready:\n${s.output()}`);
    }
    try {
      const r = await send(s.port, { path: '/_signalbox/health' }, 1000);
      if (r.status === 200) return performance.now() - t0;
    } catch {
      /* not listening yet */
    }
    await sleep(POLL_MS);
  }
  throw new Error(`signalbox not ready after 20 s:\n${s.output()}`);
}

async function oneRun(dataDir) {
  const t0 = performance.now();
  const s = await spawnSignalbox({ dataDir });
  try {
    const readyMs = await readyAfter(s, t0);
    await sleep(IDLE_MS);
    const rss = rssBytes(s.pid);
    const kids = descendants(s.pid).map(rssBytes).filter((x) => x !== undefined);
    const childRss = kids.reduce((a, b) => a + b, 0);
    const t1 = performance.now();
    await s.stop();
    const stopMs = performance.now() - t1;
    return { readyMs, rss, childRss, children: kids.length, stopMs, exit: s.child.exitCode ?? s.child.signalCode };
  } finally {
    await s.stop();
  }
}

const dirs = [];
let failed = false;
try {
  // The existing data dir: started once, given 100 parameters, stopped cleanly.
  const existing = tempDir('sbx-bench-existing-');
  dirs.push(existing);
  {
    const s = await spawnSignalbox({ dataDir: existing });
    try {
      await s.ready();
      for (let i = 0; i < 100; i++) {
        await callJson(s.port, {
          target: 'AmazonSSM.PutParameter',
          input: { Name: `/bench/startup/p${i}`, Value: `value-${i}`, Type: 'String', Overwrite: true },
        });
      }
    } finally {
      await s.stop();
    }
  }

  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = tempDir('sbx-bench-fresh-');
    dirs.push(dir);
    runs.push({ kind: 'fresh', ...(await oneRun(dir)) });
  }
  for (let i = 0; i < RUNS; i++) runs.push({ kind: 'existing', ...(await oneRun(existing)) });

  const anyChildren = runs.some((r) => r.children > 0);
  console.log(`Start-up: spawn -> first 200 from /_signalbox/health (polled every ${POLL_MS} ms); idle RSS ${IDLE_MS / 1000} s after ready`);
  console.log(
    table(
      ['run', 'data dir', 'ready ms', 'idle RSS MiB', ...(anyChildren ? ['children', 'children RSS MiB'] : []), 'stop ms', 'exit'],
      runs.map((r, i) => [
        String(i + 1),
        r.kind,
        num(r.readyMs, 1),
        num(r.rss / MiB, 1),
        ...(anyChildren ? [String(r.children), num(r.childRss / MiB, 1)] : []),
        num(r.stopMs, 1),
        String(r.exit),
      ]),
    ),
  );

  const summary = [];
  for (const kind of ['fresh', 'existing']) {
    const ms = runs.filter((r) => r.kind === kind).map((r) => r.readyMs);
    const m = median(ms);
    const met = m < READY_GOAL_MS;
    if (!met) failed ||= process.env.BENCH_STRICT === '1';
    summary.push([`ready, ${kind} data dir`, num(m, 1), num(Math.min(...ms), 1), num(Math.max(...ms), 1), `< ${READY_GOAL_MS} ms`, met ? 'met' : 'NOT MET']);
  }
  const rssAll = runs.map((r) => (r.rss + r.childRss) / MiB);
  const rssMed = median(rssAll);
  const rssMet = rssMed < RSS_GOAL_MIB;
  if (!rssMet) failed ||= process.env.BENCH_STRICT === '1';
  summary.push([anyChildren ? 'idle RSS MiB (with children)' : 'idle RSS MiB', num(rssMed, 1), num(Math.min(...rssAll), 1), num(Math.max(...rssAll), 1), `< ${RSS_GOAL_MIB} MiB`, rssMet ? 'met' : 'NOT MET']);

  console.log(`\nSummary (${RUNS} runs each)`);
  console.log(table(['measure', 'median', 'min', 'max', 'goal', 'verdict'], summary));

  const unclean = runs.filter((r) => r.exit !== 0);
  if (unclean.length) console.log(`\nnote: ${unclean.length} run(s) did not exit 0 on SIGTERM`);
} catch (e) {
  console.error(`startup: ${e.stack ?? e}`);
  failed = true;
} finally {
  for (const d of dirs) removeDir(d);
}
process.exit(failed ? 1 : 0);
