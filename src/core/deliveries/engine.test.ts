import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { systemClock, type Clock } from '../clock.js';
import { createLogger } from '../log.js';
import { Targets, type TargetMessage } from '../targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { closeHttpPools, createDeliveryEngine, postHttp, type DeliveryEngine, type NewJob, type Throttle, type Tuning } from './index.js';

// ---- a real receiver: per-path behaviour, records arrival times and concurrency ----------------

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
}
class Sink {
  server!: Server;
  url = '';
  readonly hits: { t: number; path: string; body: string }[] = [];
  readonly active = new Map<string, number>();
  readonly maxActive = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  /** path → reply for the n-th request (1-based) */
  readonly routes = new Map<string, (n: number) => Reply>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const n = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, n);
        this.hits.push({ t: Date.now(), path, body });
        const a = (this.active.get(path) ?? 0) + 1;
        this.active.set(path, a);
        this.maxActive.set(path, Math.max(a, this.maxActive.get(path) ?? 0));
        const r = this.routes.get(path)?.(n) ?? {};
        setTimeout(() => {
          this.active.set(path, (this.active.get(path) ?? 1) - 1);
          res.writeHead(r.status ?? 200, r.headers).end('ok');
        }, r.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  count(path: string): number {
    return this.hits.filter((h) => h.path === path).length;
  }
  bodies(path: string): string[] {
    return this.hits.filter((h) => h.path === path).map((h) => h.body);
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

// ---- an engine on a real store ------------------------------------------------------------------

interface Rig {
  engine: DeliveryEngine;
  store: Store;
  sink: Sink;
  targets: Targets;
  dir: string;
}
const rigs: Rig[] = [];

async function rig(opts: { tuning?: Partial<Tuning>; throttle?: (target: string) => Throttle; clock?: Clock; dir?: string; sink?: Sink } = {}): Promise<Rig> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sbx-deliveries-'));
  const store = await openSqliteStore(dir);
  const sink = opts.sink ?? (await new Sink().start());
  const targets = new Targets();
  const engine = createDeliveryEngine({ store, clock: opts.clock ?? systemClock, log: createLogger('silent'), targets, tuning: { pollMs: 50, ...opts.tuning } });
  engine.register('http', (job) => postHttp(`${sink.url}${job.target}`, { body: JSON.stringify(job.payload), timeoutMs: 5000 }), opts.throttle ? { throttle: opts.throttle } : undefined);
  const r = { engine, store, sink, targets, dir };
  rigs.push(r);
  engine.start();
  return r;
}

async function dispose(r: Rig): Promise<void> {
  await r.engine.stop(1000);
  await r.store.close();
  await r.sink.stop().catch(() => undefined);
  rmSync(r.dir, { recursive: true, force: true });
}

afterEach(async () => {
  for (const r of rigs.splice(0)) await dispose(r);
});
after(() => closeHttpPools());

async function waitFor(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const http = (path: string, payload: unknown, extra: Partial<NewJob> = {}): NewJob => ({ kind: 'http', source: 'test', target: path, payload, ...extra });
const fast = { baseDelayMs: 100, maxDelayMs: 400, backoff: 'exponential' as const, jitter: 0.5, maxAttempts: 5, maxAgeMs: 60_000 };

// ---- tests -------------------------------------------------------------------------------------

test('a job is delivered once, logged, and leaves the table', async () => {
  const { engine, sink } = await rig();
  const [id] = await engine.enqueue([http('/a', { n: 1 }, { ref: 'sub-1' })]);
  assert.equal(typeof id, 'number');
  await waitFor('delivery', () => sink.count('/a') === 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.count('/a'), 1, 'exactly once');
  assert.deepEqual(sink.bodies('/a'), ['{"n":1}']);
  assert.equal(await engine.pendingCount(), 0);
  const log = await engine.attempts({ jobId: id });
  assert.equal(log.length, 1);
  assert.equal(log[0].outcome, 'delivered');
  assert.equal(log[0].status, 200);
  assert.equal(log[0].attempt, 1);
  assert.equal(log[0].ref, 'sub-1');
  assert.equal(log[0].excerpt, 'ok');
  assert.equal((await engine.attempts({ ref: 'sub-1' })).length, 1);
  assert.equal((await engine.attempts({ ref: 'other' })).length, 0);
});

test('a failing target is retried with backoff and jitter, then recovers', async () => {
  const { engine, sink } = await rig();
  sink.routes.set('/flaky', (n) => ({ status: n <= 3 ? 500 : 200 }));
  const [id] = await engine.enqueue([http('/flaky', {}, { retry: fast })]);
  await waitFor('recovery', () => sink.count('/flaky') === 4);
  const t = sink.hits.filter((h) => h.path === '/flaky').map((h) => h.t);
  // delays after attempts 1, 2, 3: 100, 200, 400 ms, each shortened by up to half
  const bounds = [[50, 100], [100, 200], [200, 400]];
  for (let i = 0; i < 3; i++) {
    const gap = t[i + 1] - t[i];
    assert.ok(gap >= bounds[i][0] - 5 && gap <= bounds[i][1] + 1000, `gap ${i + 1} = ${gap} ms, expected ${bounds[i]}`);
  }
  // the receiver may see the fourth attempt before the engine has logged its outcome
  await waitFor('the fourth attempt logged', async () => (await engine.attempts({ jobId: id })).length === 4);
  const log = (await engine.attempts({ jobId: id })).reverse();
  assert.deepEqual(log.map((a) => a.outcome), ['retrying', 'retrying', 'retrying', 'delivered']);
  assert.deepEqual(log.map((a) => a.attempt), [1, 2, 3, 4]);
  assert.deepEqual(log.map((a) => a.status), [500, 500, 500, 200]);
  assert.equal(await engine.pendingCount(), 0);
});

test('429 with Retry-After: no attempt before it', async () => {
  const { engine, sink } = await rig();
  sink.routes.set('/limited', (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : {}));
  await engine.enqueue([http('/limited', {}, { retry: { ...fast, baseDelayMs: 10, maxDelayMs: 10 } })]);
  await waitFor('second attempt', () => sink.count('/limited') === 2);
  const [a, b] = sink.hits.filter((h) => h.path === '/limited').map((h) => h.t);
  assert.ok(b - a >= 990, `waited ${b - a} ms for a Retry-After of 1 s`);
});

test('a permanent 4xx is not retried: failed, dropped', async () => {
  const { engine, sink } = await rig();
  sink.routes.set('/gone', () => ({ status: 410 }));
  const [id] = await engine.enqueue([http('/gone', {}, { retry: fast })]);
  await waitFor('attempt', () => sink.count('/gone') === 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sink.count('/gone'), 1);
  const log = await engine.attempts({ jobId: id });
  assert.equal(log.length, 1);
  assert.equal(log[0].outcome, 'failed');
  assert.equal(log[0].status, 410);
  assert.equal(await engine.pendingCount(), 0);
});

test('out of attempts: dead-lettered through the registered target; without a DLQ: failed', async () => {
  const { engine, sink, targets } = await rig();
  const got: { arn: string; message: TargetMessage }[] = [];
  targets.register('sqs', { send: async (arn, message) => (got.push({ arn, message }), { ok: true, id: 'm-1' }) });
  sink.routes.set('/down', () => ({ status: 500 }));
  const dlq = 'arn:aws:sqs:us-east-1:000000000000:dlq';
  const retry = { ...fast, maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 20 };
  const attributes = { why: { DataType: 'String', StringValue: 'x' } };
  const [withDl, without] = await engine.enqueue([
    http('/down', { a: 1 }, { retry, deadLetter: { arn: dlq, body: 'the original', attributes }, ref: 'sub-dl' }),
    http('/down', { a: 2 }, { retry }),
  ]);
  await waitFor('dead letter', () => got.length === 1);
  await waitFor('both finished', async () => (await engine.pendingCount()) === 0);
  assert.equal(sink.count('/down'), 6, '3 attempts each');
  assert.deepEqual(got[0], { arn: dlq, message: { body: 'the original', attributes } });
  const a = (await engine.attempts({ jobId: withDl })).reverse();
  assert.deepEqual(a.map((x) => x.outcome), ['retrying', 'retrying', 'dead-lettered']);
  const b = (await engine.attempts({ jobId: without })).reverse();
  assert.deepEqual(b.map((x) => x.outcome), ['retrying', 'retrying', 'failed']);
  const dlLog = (await engine.attempts({ target: dlq }))[0];
  assert.equal(dlLog.kind, 'target');
  assert.equal(dlLog.outcome, 'delivered');
  assert.equal(dlLog.ref, 'sub-dl');
});

test('out of age: expired, or dead-lettered when there is a DLQ', async () => {
  const { engine, sink, targets } = await rig();
  const got: string[] = [];
  targets.register('sqs', { send: async (_arn, m) => (got.push(m.body), { ok: true }) });
  sink.routes.set('/down2', () => ({ status: 503 }));
  // the second retry would come after maxAge: the job expires instead
  const retry = { ...fast, maxAttempts: 100, baseDelayMs: 300, maxDelayMs: 300, jitter: 0, backoff: 'fixed' as const, maxAgeMs: 500 };
  const [expired, dl] = await engine.enqueue([
    http('/down2', { k: 1 }, { retry }),
    http('/down2', { k: 2 }, { retry, deadLetter: { arn: 'arn:aws:sqs:us-east-1:000000000000:dlq', body: 'late' } }),
  ]);
  await waitFor('both finished', async () => (await engine.pendingCount()) === 0);
  assert.deepEqual((await engine.attempts({ jobId: expired })).map((x) => x.outcome), ['expired', 'retrying']);
  assert.deepEqual((await engine.attempts({ jobId: dl })).map((x) => x.outcome), ['dead-lettered', 'retrying']);
  assert.deepEqual(got, ['late']);
  assert.equal(sink.count('/down2'), 4);
});

test('per-target concurrency is never exceeded, and nothing is dropped', async () => {
  const { engine, sink } = await rig({ throttle: () => ({ concurrency: 3 }) });
  sink.routes.set('/c', () => ({ delayMs: 30 }));
  await engine.enqueue(Array.from({ length: 40 }, (_, i) => http('/c', { i })));
  await waitFor('all 40', () => sink.count('/c') === 40);
  assert.equal(sink.maxActive.get('/c'), 3);
  assert.equal(new Set(sink.bodies('/c')).size, 40);
});

test('a rate limit queues attempts instead of dropping them', async () => {
  const { engine, sink } = await rig({ throttle: () => ({ concurrency: 10, ratePerSecond: 20, burst: 2 }) });
  const t0 = Date.now();
  await engine.enqueue(Array.from({ length: 20 }, (_, i) => http('/r', { i })));
  await waitFor('all 20', () => sink.count('/r') === 20);
  const elapsed = Date.now() - t0;
  // 2 at once, then 20/s: the 20th cannot start before 0.9 s
  assert.ok(elapsed >= 850, `20 attempts at 20/s took only ${elapsed} ms`);
  const t = sink.hits.filter((h) => h.path === '/r').map((h) => h.t);
  for (let i = 0; i + 4 < t.length; i++) assert.ok(t[i + 4] - t[i] >= 90, 'no more than burst + rate in any window');
  assert.equal(new Set(sink.bodies('/r')).size, 20);
});

test('a slow target does not hold back a fast one', async () => {
  const { engine, sink } = await rig({ throttle: () => ({ concurrency: 2 }) });
  sink.routes.set('/slow', () => ({ delayMs: 1500 }));
  await engine.enqueue(Array.from({ length: 10 }, (_, i) => http('/slow', { i })));
  await engine.enqueue(Array.from({ length: 50 }, (_, i) => http('/fast', { i })));
  await waitFor('fast target done', () => sink.count('/fast') === 50, 5000);
  assert.ok(sink.count('/slow') <= 4, `the slow target is still working (${sink.count('/slow')} of 10 arrived)`);
});

test('a job enqueued in a transaction is delivered once committed; a rolled-back one never', async () => {
  const { engine, sink, store } = await rig();
  await store.transaction(async (tx) => {
    await engine.enqueue([http('/tx', { committed: true })], tx);
  });
  engine.wake();
  await assert.rejects(
    store.transaction(async (tx) => {
      await engine.enqueue([http('/tx', { committed: false })], tx);
      throw new Error('roll back');
    }),
    /roll back/,
  );
  engine.wake();
  await waitFor('committed job', () => sink.count('/tx') === 1);
  await new Promise((r) => setTimeout(r, 400)); // several polls
  assert.deepEqual(sink.bodies('/tx'), ['{"committed":true}']);
  assert.equal(await engine.pendingCount(), 0);
});

test('delayMs holds the first attempt back', async () => {
  const { engine, sink } = await rig();
  const t0 = Date.now();
  await engine.enqueue([http('/later', {}, { delayMs: 400 })]);
  await waitFor('delivery', () => sink.count('/later') === 1);
  assert.ok(sink.hits.find((h) => h.path === '/later')!.t - t0 >= 390);
});

test('stop() waits for attempts in flight; their outcome is written', async () => {
  const r = await rig();
  r.sink.routes.set('/inflight', () => ({ delayMs: 400 }));
  const [id] = await r.engine.enqueue([http('/inflight', {})]);
  await waitFor('attempt started', () => r.sink.active.get('/inflight') === 1);
  const t0 = Date.now();
  await r.engine.stop(5000);
  assert.ok(Date.now() - t0 >= 250, 'stop waited');
  assert.equal(await r.engine.pendingCount(), 0);
  assert.equal((await r.engine.attempts({ jobId: id }))[0].outcome, 'delivered');
});

test('jobs left in the table are delivered by the next engine; pendingCount filters', async () => {
  const first = await rig();
  first.sink.routes.set('/resume', () => ({ status: 503 })); // keeps them pending
  const retry = { ...fast, baseDelayMs: 100_000, maxDelayMs: 100_000, jitter: 0, maxAgeMs: 3600_000 }; // over parkAfterMs: parked in the table
  await first.engine.enqueue(Array.from({ length: 5 }, (_, i) => http('/resume', { i }, { retry, source: i < 2 ? 'a' : 'b' })));
  await waitFor('first attempts', () => first.sink.count('/resume') === 5);
  assert.equal(await first.engine.pendingCount(), 5);
  assert.equal(await first.engine.pendingCount({ source: 'a' }), 2);
  assert.equal(await first.engine.pendingCount({ target: '/resume', source: 'b' }), 3);
  await first.engine.stop();
  // a new engine on the same data dir; the parked retries are not due for 100 s...
  const sink = first.sink;
  sink.routes.set('/resume', () => ({}));
  await first.store.close();
  rigs.splice(rigs.indexOf(first), 1);
  const second = await rig({ dir: first.dir, sink });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.count('/resume'), 5, 'a parked retry is not due yet');
  // ...so force them due: retries remember their attempt count across restarts
  await second.store.run('UPDATE delivery_jobs SET run_at = 0');
  second.engine.wake();
  await waitFor('resumed', () => sink.count('/resume') === 10);
  // the receiver has seen the requests; their outcomes are logged once the answers are processed
  const deliveredSecond = async () => (await second.engine.attempts({ target: '/resume' })).filter((a) => a.outcome === 'delivered' && a.attempt === 2).length;
  await waitFor('logged', async () => (await deliveredSecond()) === 5);
  assert.equal(await deliveredSecond(), 5);
});

test('more jobs than the memory window and a full lane: all delivered, by parking and scanning', async () => {
  const { engine, sink } = await rig({ tuning: { maxInMemory: 40, maxPerLane: 15, scanBatch: 10, reparkMs: 100, parkAfterMs: 50 }, throttle: () => ({ concurrency: 4 }) });
  sink.routes.set('/slowish', () => ({ delayMs: 20 }));
  await engine.enqueue(Array.from({ length: 150 }, (_, i) => http('/slowish', { i })));
  await engine.enqueue(Array.from({ length: 150 }, (_, i) => http('/quick', { i })));
  await waitFor('all 300', () => sink.count('/slowish') >= 150 && sink.count('/quick') >= 150, 20_000);
  assert.equal(new Set(sink.bodies('/slowish')).size, 150);
  assert.equal(new Set(sink.bodies('/quick')).size, 150);
  await waitFor('table empty', async () => (await engine.pendingCount()) === 0);
});

test('invalid jobs are refused before anything is written; a sender that throws is retried', async () => {
  const { engine } = await rig();
  await assert.rejects(engine.enqueue([{ kind: '', source: 's', target: 't', payload: 1 }]), /kind/);
  await assert.rejects(engine.enqueue([{ kind: 'k', source: 's', target: 't', payload: undefined }]), /JSON/);
  let calls = 0;
  engine.register('throws', async () => {
    if (++calls < 2) throw new Error('kaboom');
    return { ok: true };
  });
  const [id] = await engine.enqueue([{ kind: 'throws', source: 's', target: 't', payload: {}, retry: fast }]);
  await waitFor('second call', async () => (await engine.pendingCount()) === 0);
  const log = (await engine.attempts({ jobId: id })).reverse();
  assert.deepEqual(log.map((a) => a.outcome), ['retrying', 'delivered']);
  assert.match(log[0].excerpt ?? '', /kaboom/);
});

test('a sender that settles part of a job retries only the rest, and the rest survives a restart', async () => {
  const first = await rig();
  const seen: Array<{ attempt: number; payload: unknown }> = [];
  // the first attempt delivers the even items; the odd ones are what is left
  const partly = (job: { attempt: number; payload: unknown }) => {
    seen.push({ attempt: job.attempt, payload: job.payload });
    const items = (job.payload as { items: number[] }).items;
    if (job.attempt > 1) return Promise.resolve({ ok: true as const });
    return Promise.resolve({ ok: false as const, retryable: true, error: 'odd ones failed', payload: { items: items.filter((i) => i % 2 === 1) } });
  };
  first.engine.register('part', partly);
  const parked = { ...fast, baseDelayMs: 100_000, maxDelayMs: 100_000, jitter: 0, maxAgeMs: 3600_000 }; // parked in the table
  const [id] = await first.engine.enqueue([{ kind: 'part', source: 'test', target: 'p', payload: { items: [1, 2, 3, 4] }, retry: parked }]);
  await waitFor('first attempt', () => seen.length === 1);
  await first.engine.stop();
  await first.store.close();
  rigs.splice(rigs.indexOf(first), 1);
  const second = await rig({ dir: first.dir, sink: first.sink });
  second.engine.register('part', partly);
  await second.store.run('UPDATE delivery_jobs SET run_at = 0');
  second.engine.wake();
  await waitFor('second attempt', () => seen.length === 2);
  assert.deepEqual(seen, [{ attempt: 1, payload: { items: [1, 2, 3, 4] } }, { attempt: 2, payload: { items: [1, 3] } }]);
  await waitFor('settled', async () => (await second.engine.pendingCount()) === 0);
  const log = await second.engine.attempts({ jobId: id });
  assert.deepEqual(log.map((a) => a.outcome), ['delivered', 'retrying']);
});

test('a partly settled job retried in memory gets the rest; settled listeners see what it ended with', async () => {
  const { engine } = await rig();
  const seen: unknown[] = [];
  engine.register('part', async (job) => {
    seen.push(job.payload);
    const items = (job.payload as { items: number[] }).items;
    if (job.attempt === 1) return { ok: false, retryable: true, error: 'some failed', payload: { items: items.slice(1) } };
    return { ok: false, retryable: false, error: 'given up', payload: { items: items.slice(1) } };
  });
  const ended: unknown[] = [];
  engine.onSettled((job, last) => ended.push({ payload: job.payload, outcome: last.outcome }));
  await engine.enqueue([{ kind: 'part', source: 'test', target: 'p', payload: { items: [1, 2, 3] }, retry: fast }]);
  await waitFor('settled', () => ended.length === 1);
  assert.deepEqual(seen, [{ items: [1, 2, 3] }, { items: [2, 3] }]);
  assert.deepEqual(ended, [{ payload: { items: [3] }, outcome: 'failed' }]);
});
