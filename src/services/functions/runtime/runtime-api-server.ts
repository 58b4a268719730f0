/**
 * @module services/functions/runtime/runtime-api-server
 * One instance's Lambda Runtime API (version 2018-06-01) on its own loopback port, so that
 * AWS_LAMBDA_RUNTIME_API is a plain host:port any bootstrap can use:
 *
 *   GET  /2018-06-01/runtime/invocation/next          long poll: the next event and its headers
 *   POST /2018-06-01/runtime/invocation/{id}/response 202; 400 unknown id; 403 not expected now;
 *                                                     413 over 6 MB (the invocation then fails)
 *   POST /2018-06-01/runtime/invocation/{id}/error    202 (Lambda-Runtime-Function-Error-Type)
 *   POST /2018-06-01/runtime/init/error               202; 403 after init
 *
 * Errors are `{ errorMessage, errorType }` as the Runtime API answers them. Connections are kept
 * alive with no idle or request timeout: a runtime's long poll may wait for hours.
 *
 * Signalbox's own Node and Python runtimes use a cheaper private channel to the same handler
 * (runtime-channel.ts); this server is for everything else that reads AWS_LAMBDA_RUNTIME_API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES } from './platform-lines.js';

export type ApiReply = { status: 202 } | { status: 400 | 403 | 404 | 405 | 413 | 500; errorType: string; errorMessage: string };

/** What /next hands the runtime: the event and the values of its Lambda-Runtime-* headers. */
export interface Dispatch {
  requestId: string;
  /** epoch ms */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  /** the Lambda-Runtime-Client-Context header (compact JSON, ASCII), when there is one */
  clientContext: string | undefined;
  payload: Buffer;
}

/** A runtime waiting on /next, whichever way it asked (HTTP long poll or private channel). */
export interface NextWaiter {
  deliver(d: Dispatch): void;
  refuse(reply: ApiReply): void;
  /** `fn` runs if the runtime stops waiting (its connection closed) */
  onAbandoned(fn: () => void): void;
  /** ends the wait unanswered: the instance is going away */
  abandon(): void;
}

/** What the instance does with each call; `next` answers (now or later) through the waiter. */
export interface RuntimeApiHandler {
  next(waiter: NextWaiter): void;
  response(requestId: string, body: Buffer): ApiReply;
  /** the runtime posted more than Lambda accepts: the invocation fails, the runtime hears 413 */
  responseTooLarge(requestId: string, size: number): ApiReply;
  error(requestId: string, errorType: string | undefined, body: Buffer): ApiReply;
  initError(errorType: string | undefined, body: Buffer): ApiReply;
}

const PREFIX = '/2018-06-01/runtime/';
const ACCEPTED = Buffer.from('{"status":"OK"}');
const ACCEPTED_HEADERS = { 'Content-Type': 'application/json', 'Content-Length': ACCEPTED.length };

export const stateError = (message: string): ApiReply => ({ status: 403, errorType: 'InvalidStateTransition', errorMessage: message });
export const invalidRequestId = (): ApiReply => ({ status: 400, errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' });

/** The body of a reply, as the Runtime API words it. */
export function replyBody(reply: ApiReply): Buffer {
  if (reply.status === 202) return ACCEPTED;
  return Buffer.from(JSON.stringify({ errorMessage: reply.errorMessage, errorType: reply.errorType }));
}

function send(res: ServerResponse, reply: ApiReply): void {
  if (reply.status === 202) {
    res.writeHead(202, ACCEPTED_HEADERS).end(ACCEPTED);
    return;
  }
  const body = replyBody(reply);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body);
}

function httpWaiter(res: ServerResponse): NextWaiter {
  return {
    deliver(d) {
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/json',
        'Content-Length': d.payload.length,
        'Lambda-Runtime-Aws-Request-Id': d.requestId,
        'Lambda-Runtime-Deadline-Ms': d.deadlineMs,
        'Lambda-Runtime-Invoked-Function-Arn': d.invokedFunctionArn,
        'Lambda-Runtime-Trace-Id': d.traceId,
      };
      if (d.clientContext) headers['Lambda-Runtime-Client-Context'] = d.clientContext;
      res.writeHead(200, headers).end(d.payload);
    },
    refuse: (reply) => send(res, reply),
    onAbandoned: (fn) => res.once('close', fn),
    abandon: () => res.destroy(),
  };
}

/** Reads a body up to the response limit; beyond it, keeps reading (to keep the connection) but drops the bytes. */
function readBody(req: IncomingMessage, done: (body: Buffer | undefined, size: number) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_RESPONSE_BYTES) done(undefined, size);
    else done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), size);
  });
}

function route(handler: RuntimeApiHandler, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  const path = url.startsWith(PREFIX) ? url.slice(PREFIX.length) : undefined;
  if (path === 'invocation/next') {
    if (req.method !== 'GET') return send(res, { status: 405, errorType: 'MethodNotAllowed', errorMessage: 'Use GET' });
    req.resume();
    handler.next(httpWaiter(res));
    return;
  }
  if (req.method !== 'POST' || path === undefined) {
    req.resume();
    return send(res, { status: 404, errorType: 'NotFound', errorMessage: `No Runtime API route for ${req.method} ${url}` });
  }
  const errorType = req.headers['lambda-runtime-function-error-type'];
  const type = typeof errorType === 'string' && errorType ? errorType : undefined;
  if (path === 'init/error') {
    return readBody(req, (body) => send(res, handler.initError(type, body ?? Buffer.alloc(0))));
  }
  const m = /^invocation\/([^/]+)\/(response|error)$/.exec(path);
  if (!m) {
    req.resume();
    return send(res, { status: 404, errorType: 'NotFound', errorMessage: `No Runtime API route for ${req.method} ${url}` });
  }
  const requestId = decodeURIComponent(m[1]!);
  readBody(req, (body, size) => {
    if (m[2] === 'error') send(res, handler.error(requestId, type, body ?? Buffer.alloc(0)));
    else if (body === undefined) send(res, handler.responseTooLarge(requestId, size));
    else send(res, handler.response(requestId, body));
  });
}

export class RuntimeApiServer {
  private constructor(
    private readonly server: Server,
    /** host:port, AWS_LAMBDA_RUNTIME_API */
    readonly address: string,
  ) {}

  static listen(handler: RuntimeApiHandler): Promise<RuntimeApiServer> {
    const server = createServer({ noDelay: true }, (req, res) => route(handler, req, res));
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve(new RuntimeApiServer(server, `127.0.0.1:${port}`));
      });
    });
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
}
