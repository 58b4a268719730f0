/**
 * @module services/functions/runtime/runtime-channel
 * The private Runtime API of Signalbox's own Node and Python runtimes: the calls of the HTTP
 * Runtime API (runtime-api-server.ts), to the same handler, as frames over a socket pair the
 * instance inherits as fd CHANNEL_FD. A warm invocation then costs one write each way — the
 * runtime sends its answer and its next /next together, and hears back only the next event
 * (or a refusal) — instead of two HTTP exchanges, each parsed and answered on both sides.
 * Anything else that reads AWS_LAMBDA_RUNTIME_API (custom runtimes, a handler's own client)
 * still gets the HTTP API.
 *
 * A frame: type (1 byte), flags (1), head length (4, big-endian), body length (4), the head
 * (UTF-8, fields separated by '\n'), the body.
 *
 *   runtime → Signalbox                                 Signalbox → runtime
 *   n  next                                             v  the next invocation: request id, deadline ms,
 *   r  response: request id | body                         invoked ARN, trace id, client context | event
 *   b  response too large: request id, size             a  answer: status, call | the reply's JSON
 *   e  error: request id, error type | body
 *   i  init error: error type | body
 *
 * An accepted call (202) is answered only when its flags ask for it (ANSWER: a crash's error or an
 * init error, after which the runtime exits); a refused one always is, so the runtime fails as
 * it would over HTTP. A runtime checks the size of a response itself (the limit comes with the
 * fd in CHANNEL_ENV) and sends `b` instead of the bytes; a larger frame ends the channel.
 */
import type { Socket } from 'node:net';
import { MAX_RESPONSE_BYTES } from './platform-lines.js';
import { replyBody, type ApiReply, type Dispatch, type NextWaiter, type RuntimeApiHandler } from './runtime-api-server.js';

/** `<fd>:<response limit in bytes>`, read (and removed from the environment) by the runtime */
export const CHANNEL_ENV = '_SIGNALBOX_RUNTIME_CHANNEL';
export const CHANNEL_FD = 3;

const PREFIX = 10;
const MAX_HEAD = 64 * 1024;
/** an event up to this size is copied into the frame's buffer: one write instead of two */
const COPY_BELOW = 16 * 1024;
const ANSWER = 1;

const T = { next: 0x6e, response: 0x72, tooLarge: 0x62, error: 0x65, initError: 0x69, invocation: 0x76, answer: 0x61 } as const;
/** the HTTP route of each call, which a refusal names */
const CALLS: Record<number, string> = { [T.response]: 'response', [T.tooLarge]: 'response', [T.error]: 'error', [T.initError]: 'init/error' };

export function channelEnvironment(): Record<string, string> {
  return { [CHANNEL_ENV]: `${CHANNEL_FD}:${MAX_RESPONSE_BYTES}` };
}

export class RuntimeChannel {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private abandoned: (() => void) | undefined;
  /** one waiter for the channel's life: a runtime waits for at most one /next at a time */
  private readonly waiter: NextWaiter = {
    deliver: (d) => this.deliver(d),
    refuse: (reply) => this.answer(reply, 'next'),
    onAbandoned: (fn) => {
      this.abandoned = fn;
    },
    abandon: () => this.close(),
  };

  constructor(
    private readonly socket: Socket,
    private readonly handler: RuntimeApiHandler,
  ) {
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    // the runtime died or closed its end: its exit is handled by the instance, not here
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.abandoned?.());
  }

  close(): void {
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= PREFIX && !this.socket.destroyed) {
      if (this.chunks[0]!.length < PREFIX) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
      const first = this.chunks[0]!;
      const headLength = first.readUInt32BE(2);
      const bodyLength = first.readUInt32BE(6);
      if (headLength > MAX_HEAD || bodyLength > MAX_RESPONSE_BYTES) return this.close();
      const total = PREFIX + headLength + bodyLength;
      if (this.buffered < total) return;
      const frame = this.take(total);
      this.call(frame[0]!, frame[1]!, frame.toString('utf8', PREFIX, PREFIX + headLength), frame.subarray(PREFIX + headLength));
    }
  }

  /** The first `n` bytes received; a copy only when they span chunks (a large body). */
  private take(n: number): Buffer {
    let first = this.chunks[0]!;
    if (first.length < n) {
      first = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [first];
    }
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return first.subarray(0, n);
  }

  private call(type: number, flags: number, head: string, body: Buffer): void {
    if (type === T.next) return this.handler.next(this.waiter);
    const fields = head.split('\n');
    const errorType = fields[1] || undefined;
    let reply: ApiReply;
    if (type === T.response) reply = this.handler.response(fields[0]!, body);
    else if (type === T.tooLarge) reply = this.handler.responseTooLarge(fields[0]!, Number(fields[1]));
    else if (type === T.error) reply = this.handler.error(fields[0]!, errorType, body);
    else if (type === T.initError) reply = this.handler.initError(fields[0] || undefined, body);
    else return this.close();
    if (reply.status !== 202 || flags & ANSWER) this.answer(reply, CALLS[type]!);
  }

  private answer(reply: ApiReply, call: string): void {
    this.write(T.answer, `${reply.status}\n${call}`, replyBody(reply));
  }

  private deliver(d: Dispatch): void {
    this.write(T.invocation, `${d.requestId}\n${d.deadlineMs}\n${d.invokedFunctionArn}\n${d.traceId}\n${d.clientContext ?? ''}`, d.payload);
  }

  private write(type: number, head: string, body: Buffer): void {
    if (this.socket.destroyed) return;
    const headLength = Buffer.byteLength(head);
    const copied = body.length < COPY_BELOW;
    const out = Buffer.allocUnsafe(PREFIX + headLength + (copied ? body.length : 0));
    out[0] = type;
    out[1] = 0;
    out.writeUInt32BE(headLength, 2);
    out.writeUInt32BE(body.length, 6);
    out.write(head, PREFIX, 'utf8');
    if (copied) {
      body.copy(out, PREFIX + headLength);
      this.socket.write(out);
      return;
    }
    this.socket.cork();
    this.socket.write(out);
    this.socket.write(body);
    this.socket.uncork();
  }
}
