/**
 * @module services/functions/runtime/log-capture
 * An instance's output as log events: stdout and stderr split into lines, each line one event of
 * the instance's log stream (batched to the LogSink), and a bounded copy of the current
 * invocation's lines for Invoke's log tail.
 *
 * Runtimes keep a multi-line message in one event by writing '\r' for its inner newlines (as
 * Lambda's managed runtimes do on a plain pipe); those become '\n' again here.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FunctionSpec, LogSink } from './types.js';

/** CloudWatch Logs' largest event: a longer line without a newline is cut there. */
const MAX_LINE_CHARS = 256 * 1024;

/** AWS's stream name: `2024/01/31/[$LATEST]<32 hex>`, one per execution environment. */
export function newLogStreamName(version: string, at = new Date()): string {
  const d = at.toISOString();
  return `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** The last lines of one invocation, kept to about `limitBytes`. */
export class LineTail {
  private lines: string[] = [];
  private chars = 0;

  constructor(private readonly limitBytes: number) {}

  push(message: string): void {
    this.lines.push(message);
    this.chars += message.length + 1;
    // keep twice the limit in characters: multi-byte text may need more characters than bytes
    while (this.chars > 2 * this.limitBytes && this.lines.length > 1) {
      this.chars -= this.lines.shift()!.length + 1;
    }
  }

  text(): string {
    const text = this.lines.length ? `${this.lines.join('\n')}\n` : '';
    // the usual case (a few short lines) needs no copy of the text to know it fits
    if (text.length * 3 <= this.limitBytes || Buffer.byteLength(text, 'utf8') <= this.limitBytes) return text;
    const bytes = Buffer.from(text, 'utf8');
    // a cut through a multi-byte character decodes to U+FFFD: drop that partial character
    return bytes.subarray(bytes.length - this.limitBytes).toString('utf8').replace(/^\uFFFD+/, '');
  }
}

interface PendingLines {
  spec: FunctionSpec;
  streamName: string;
  lines: Array<{ timestamp: number; message: string }>;
}

/** Gathers lines of every instance and hands them to the sink in batches, at most every `flushMs`. */
export class LogBatcher {
  private pending = new Map<string, PendingLines>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: LogSink,
    private readonly flushMs: number,
    private readonly onSinkError: (err: unknown) => void,
  ) {}

  add(spec: FunctionSpec, streamName: string, timestamp: number, message: string): void {
    let p = this.pending.get(streamName);
    if (!p) {
      p = { spec, streamName, lines: [] };
      this.pending.set(streamName, p);
    }
    p.lines.push({ timestamp, message });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const b of batches) {
      try {
        this.sink(b.spec, b.streamName, b.lines);
      } catch (err) {
        this.onSinkError(err);
      }
    }
  }
}

/** One instance's log stream: the runtime's output plus the platform's lines. */
export class InstanceLog {
  /** where the current invocation's (or the init's) lines are copied, if anywhere */
  tail: LineTail | undefined;

  constructor(
    private readonly spec: FunctionSpec,
    readonly streamName: string,
    private readonly batcher: LogBatcher,
  ) {}

  emit(message: string, timestamp = Date.now()): void {
    this.batcher.add(this.spec, this.streamName, timestamp, message);
    this.tail?.push(message);
  }

  /** Reads a child's stdout or stderr line by line; resolves when the stream ends. */
  capture(stream: Readable): Promise<void> {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
        const piece = chunk.slice(start, nl);
        this.line(partial ? partial + piece : piece);
        partial = '';
        start = nl + 1;
      }
      if (start < chunk.length) {
        partial += chunk.slice(start);
        if (partial.length >= MAX_LINE_CHARS) {
          this.line(partial);
          partial = '';
        }
      }
    });
    return new Promise((resolve) => {
      const done = () => {
        if (partial) this.line(partial);
        partial = '';
        resolve();
      };
      stream.once('end', done);
      stream.once('error', done);
    });
  }

  private line(raw: string): void {
    let message = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (message.includes('\r')) message = message.replace(/\r/g, '\n');
    this.emit(message);
  }
}
