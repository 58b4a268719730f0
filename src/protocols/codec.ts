/**
 * @module protocols/codec
 * The one interface every wire protocol implements.
 *
 * A codec turns the bytes of a request into the operation's input object (member names as in
 * the AWS model: `Name`, `WithDecryption`, `MetricData`…), and the handler's output object or a
 * `ServiceError` back into bytes, the way AWS does for that protocol. Handlers never see the wire.
 *
 * Values handed to handlers, whatever the protocol:
 *   string → string · integer/long/float/double → number · boolean → boolean
 *   timestamp → Date · blob → Buffer · list → array · map → plain object · structure → plain object
 * Absent members are absent (not null). Output objects use the same representation; a codec
 * must also accept a number (epoch seconds) or an ISO string for a timestamp, and a string for a
 * blob (UTF-8).
 */
import type { ServiceError } from '../core/errors.js';
import type { OperationModel, ServiceModel } from './model.js';

export type ProtocolName = 'query' | 'json' | 'rpcv2-cbor' | 'rest-json' | 'rest-xml';

/** A request as read off the socket: headers lower-cased, body fully buffered. */
export interface WireRequest {
  method: string;
  /** path without the query string, still percent-encoded */
  path: string;
  /** the raw query string without `?` ('' when none) */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** decoded: a `Content-Encoding: gzip` body is inflated before routing (server/content-encoding) */
  body: Buffer;
  /** the bytes as sent, when `body` was decoded from them: what SigV4's payload hash covers */
  rawBody?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Facts a codec needs beyond the model. */
export interface CodecContext {
  requestId: string;
  service: ServiceModel;
  /** rest protocols: the `{Label}` values the router captured from the path */
  pathParams?: Record<string, string>;
}

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

export interface Codec {
  readonly protocol: ProtocolName;
  /** Throws ServiceError (SerializationException, MalformedQueryString, …) on bad bytes. */
  parse(req: WireRequest, op: OperationModel, ctx: CodecContext): Input;
  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse;
  /** `op` is absent when the operation itself could not be found. */
  serializeError(err: ServiceError, op: OperationModel | undefined, ctx: CodecContext): WireResponse;
}
