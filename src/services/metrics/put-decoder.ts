/**
 * @module services/metrics/put-decoder
 * Decodes and validates PutMetricData requests, large ones on worker threads.
 *
 * Why: JSON.parse of a 1,000-datum body (~135 KB) alone takes about 2 ms of this machine's main
 * thread, and decoding plus validation as much again, which capped ingest at ~110k datapoints/s
 * with the main thread saturated while the second core idled. A worker runs the same codec and
 * the same checks (put-worker.ts) and answers a prepared batch — the distinct series by name and
 * the datums already in the ingest log's bytes — so the main thread only resolves series ids,
 * commits and folds. Small bodies are decoded in place: the hop to a thread costs more than they
 * do. A worker that dies hands its jobs back to be decoded in place; the next job starts another.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ServiceError, type ErrorCode } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { UndecodedInput } from '../service.js';
import { preparePut, type PreparedPut } from './put.js';
import type { DecodeAnswer, DecodeJob } from './put-worker.js';

/** bodies at least this large go to a worker */
const OFFLOAD_BYTES = 32 * 1024;
/**
 * One per core: the main thread does not keep a core busy on its own (it waits on SQLite and the
 * socket), and two workers on two cores measured ~10 % faster than one.
 */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));
// under tsx (tests) this module is TypeScript, and so is the worker beside it
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './put-worker.ts' : './put-worker.js', import.meta.url);

interface Pending {
  input: UndecodedInput;
  nowMs: number;
  resolve(p: PreparedPut): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class PutDecoder {
  private readonly slots: Array<Slot | undefined> = new Array(WORKERS).fill(undefined);
  private nextId = 1;
  private stopped = false;

  constructor(private readonly log: Logger) {}

  prepare(input: UndecodedInput, requestId: string, nowMs: number): Promise<PreparedPut> | PreparedPut {
    if (this.stopped || input.wire.body.length < OFFLOAD_BYTES) return preparePut(input.decode(), nowMs);
    const slot = this.leastBusy();
    const id = this.nextId++;
    const { wire } = input;
    const job: DecodeJob = { id, protocol: input.protocol, method: wire.method, path: wire.path, rawQuery: wire.rawQuery, headers: wire.headers, body: wire.body, requestId, nowMs };
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { input, nowMs, resolve, reject });
      slot.worker.postMessage(job);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.slots.map((s) => s?.worker.terminate()));
  }

  private leastBusy(): Slot {
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s) return (this.slots[i] = this.spawn(i));
      if (best < 0 || s.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best]!;
  }

  private spawn(index: number): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (a: DecodeAnswer) => {
      const p = slot.pending.get(a.id);
      if (!p) return;
      slot.pending.delete(a.id);
      if ('datums' in a) p.resolve({ namespace: a.namespace, batch: { series: a.series, datums: a.datums } });
      else if ('error' in a) p.reject(new ServiceError(a.error.code as ErrorCode, a.error.message, a.error.fields, { status: a.error.status, queryCode: a.error.queryCode }));
      else p.reject(new Error(a.failure));
    });
    const lost = (why: unknown) => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      if (!this.stopped) this.log.warn({ err: why }, 'metrics: a PutMetricData decoding worker stopped; its requests are decoded in place');
      for (const p of slot.pending.values()) {
        try {
          p.resolve(preparePut(p.input.decode(), p.nowMs));
        } catch (e) {
          p.reject(e);
        }
      }
      slot.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    return slot;
  }
}
