/**
 * @module services/functions/runtime/invocation
 * One invocation on its way through an instance: its clock (which starts when the invoke phase
 * does), its deadline, its copy of the log lines and the promise its caller waits on.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LineTail } from './log-capture.js';
import type { InvokeOutcome, InvokeRequest } from './types.js';

export class Invocation {
  readonly tail: LineTail;
  readonly traceId: string;
  /** performance.now() when the invoke phase began; -1 before */
  startedAt = -1;
  /** epoch ms: Lambda-Runtime-Deadline-Ms */
  deadlineMs = 0;
  timer: NodeJS.Timeout | undefined;
  /** handed to the runtime by /next */
  dispatched = false;
  settled = false;

  constructor(
    readonly req: InvokeRequest,
    /** the instance was started for this invocation */
    readonly cold: boolean,
    tailBytes: number,
    private readonly resolve: (o: InvokeOutcome) => void,
  ) {
    this.tail = new LineTail(tailBytes);
    this.traceId = req.traceId ?? newTraceId();
  }

  get clockStarted(): boolean {
    return this.startedAt >= 0;
  }

  /** Starts the invoke phase: `onTimeout` fires when the function's timeout has passed. */
  startClock(timeoutSeconds: number, onTimeout: () => void): void {
    if (this.clockStarted) return;
    this.startedAt = performance.now();
    this.deadlineMs = Date.now() + timeoutSeconds * 1000;
    this.timer = setTimeout(onTimeout, timeoutSeconds * 1000);
  }

  /** Settles once; later calls are ignored. */
  settle(outcome: InvokeOutcome): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.resolve(outcome);
    return true;
  }
}

/**
 * Random bytes for trace ids, drawn from the system in blocks: one randomBytes call per
 * invocation was a measurable part of a warm invocation's time on the server.
 */
const RANDOM_BLOCK = 12 * 256;
let random = Buffer.alloc(0);
let randomAt = 0;

function randomHex(bytes: number): string {
  if (randomAt + bytes > random.length) {
    random = randomBytes(RANDOM_BLOCK);
    randomAt = 0;
  }
  const hex = random.toString('hex', randomAt, randomAt + bytes);
  randomAt += bytes;
  return hex;
}

/** An X-Ray trace header for an invocation that came without one. */
export function newTraceId(): string {
  const epochHex = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epochHex}-${randomHex(12)};Sampled=0`;
}

/** The client context header: Invoke's base64 JSON decoded, non-ASCII escaped so that it is a valid header. */
export function clientContextHeader(base64: string | undefined): string | undefined {
  if (!base64) return undefined;
  let json: string;
  try {
    // compact again: a header cannot carry the newlines of pretty-printed JSON
    json = JSON.stringify(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
