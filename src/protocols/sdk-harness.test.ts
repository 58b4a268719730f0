/**
 * @module protocols/sdk-harness
 * Test-only (holds no tests itself; named `.test.ts` so the build and `tsc -p tsconfig.json`
 * leave it out): an in-process "server" made of our codecs, plugged into a REAL AWS SDK v3
 * client as its `requestHandler`.
 *
 * The SDK builds and signs the request exactly as it would for the network; the harness turns
 * it into a `WireRequest` the way Node's HTTP server would present it (lower-case headers, raw
 * query string, buffered body), routes it to an operation, runs the codec's `parse`, hands the
 * decoded input to the test's responder, and returns the codec's `serialize` / `serializeError`
 * bytes to the SDK as an HTTP response (header names lower-cased, as on the wire). So every
 * assertion on the SDK's result checks what a real client would have parsed from our bytes.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { isServiceError, type ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolName, WireRequest, WireResponse } from './codec.js';
import { getCodec } from './index.js';
import type { OperationModel, ServiceModel } from './model.js';
import { queryAction } from './query.js';
import { matchRestOperation } from './rest-path.js';

export const SDK_CONFIG = {
  endpoint: 'http://127.0.0.1:4599',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};

export interface Exchange {
  wire: WireRequest;
  op: OperationModel;
  input?: Input;
  response?: WireResponse;
}

/** What the responder may return: an output, or throw a ServiceError. */
export type Responder = (input: Input, op: OperationModel) => Output | undefined | Promise<Output | undefined>;

// The SDK's own query-string escaping (RFC 3986: also ! ' ( ) *).
function escape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === 'object' && Symbol.asyncIterator in body)) {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`unexpected request body ${Object.prototype.toString.call(body)}`);
}

/** The SDK's HttpRequest as our server would see it. */
export async function toWireRequest(request: HttpRequest): Promise<WireRequest> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v === null || v === undefined) parts.push(escape(k));
    else for (const x of Array.isArray(v) ? v : [v]) parts.push(`${escape(k)}=${escape(x)}`);
  }
  return { method: request.method, path: request.path, rawQuery: parts.join('&'), headers, body: await bodyBytes(request.body) };
}

/** Picks the operation the way the router will: target header, CBOR path, Action, REST path. */
export function routeOperation(model: ServiceModel, protocol: ProtocolName, wire: WireRequest): [OperationModel, Record<string, string>?] {
  let name: string | undefined;
  if (protocol === 'json') name = String(wire.headers['x-amz-target'] ?? '').split('.')[1];
  else if (protocol === 'rpcv2-cbor') name = /\/operation\/([^/]+)$/.exec(wire.path)?.[1];
  else if (protocol === 'query') name = queryAction(wire);
  else {
    const m = matchRestOperation(model, wire.method, wire.path, wire.rawQuery, wire.headers);
    if (!m) throw new Error(`no REST route for ${wire.method} ${wire.path}?${wire.rawQuery}`);
    return [m.op, m.pathParams];
  }
  const op = name ? model.operations[name] : undefined;
  if (!op) throw new Error(`no operation for ${protocol} request ${wire.path}`);
  return [op, undefined];
}

/**
 * A requestHandler for an SDK client that serves every call through our codec for `protocol`.
 * `exchanges` records each request / decoded input / response for assertions.
 */
export function codecServer(model: ServiceModel, protocol: ProtocolName, respond: Responder) {
  const exchanges: Exchange[] = [];
  const codec = getCodec(protocol);
  const requestHandler = {
    async handle(request: HttpRequest) {
      const wire = await toWireRequest(request);
      const [op, pathParams] = routeOperation(model, protocol, wire);
      const ctx = { requestId: 'req-0001', service: model, pathParams };
      const ex: Exchange = { wire, op };
      exchanges.push(ex);
      let res: WireResponse;
      try {
        ex.input = codec.parse(wire, op, ctx);
        res = codec.serialize(await respond(ex.input, op), op, ctx);
      } catch (e) {
        if (!isServiceError(e)) throw e;
        res = codec.serializeError(e, op, ctx);
      }
      ex.response = res;
      return { response: toHttpResponse(res) };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  };
  return { requestHandler, exchanges, last: () => exchanges[exchanges.length - 1] };
}

/** Our WireResponse as the SDK receives it from Node's HTTP client (lower-case header names). */
export function toHttpResponse(res: WireResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = v;
  const bytes = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body;
  return new HttpResponse({ statusCode: res.status, headers, body: Readable.from(bytes.length > 0 ? [bytes] : []) });
}

/** A ServiceError re-labelled for tests that need codes outside the catalogue (SQS names). */
export function relabel(err: ServiceError, code: string, queryCode?: string): ServiceError {
  Object.defineProperty(err, 'code', { value: code });
  if (queryCode !== undefined) Object.defineProperty(err, 'queryCode', { value: queryCode });
  return err;
}

/** Runs `fn` expecting it to reject; returns the error for assertions. */
export async function rejection(p: Promise<unknown>): Promise<Record<string, any>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, any>;
  }
  throw new Error('expected the call to fail');
}

/** Runs `fn` expecting a ServiceError; returns it. */
export function serviceErrorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (e) {
    if (isServiceError(e)) return e;
    throw e;
  }
  throw new Error('expected a ServiceError');
}

/** A hand-made WireRequest for bad-input tests. */
export function wireRequest(over: Partial<WireRequest>): WireRequest {
  return { method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0), ...over };
}
