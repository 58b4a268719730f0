/**
 * @module protocols/json
 * AWS JSON 1.0 / 1.1 (SSM, EventBridge, Firehose, Logs; CloudWatch and SQS today) and the
 * shape-directed JSON reader / writer that rest-json reuses for its bodies.
 *
 * This is the hot path (thousands of requests/s), so:
 * - requests are `JSON.parse`d once and then converted in place by one walk over the payload
 *   (`readDocument`), never by walking the whole model;
 * - responses are written straight to a string by a walk over the output value; each structure's
 *   `"key":` prefixes are computed once per shape and cached, so nothing is re-stringified.
 *
 * Wire rules (as the SDKs send and expect them): timestamps are epoch seconds (we also accept
 * numeric and ISO strings on input), blobs base64, `NaN`/`Infinity` as strings, empty body = `{}`.
 * Errors are `{"__type": code, "message": ...}`; query-compatible services (CloudWatch, SQS) add
 * `x-amzn-query-error: <queryCode>;<Sender|Receiver>`, which the SDKs prefer as the error code.
 */
import type { ServiceError } from '../core/errors.js';
import type { Codec, CodecContext, Input, Output, WireRequest, WireResponse } from './codec.js';
import type { OperationModel, ServiceMetadata, Shape } from './model.js';
import {
  INVALID,
  decodeBase64,
  epochSeconds,
  formatTimestamp,
  isPlainObject,
  parseTimestamp,
  readDocument,
  serializationError,
  toBuffer,
  toDate,
  wireName,
  type ScalarReader,
} from './shapes.js';

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** JSON scalar → handler value; strict about JSON types like AWS's deserializers. */
export const readJsonScalar: ScalarReader = (shape, v) => {
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'biginteger':
      return typeof v === 'number' && Number.isInteger(v) ? v : INVALID;
    case 'float':
    case 'double':
    case 'bigdecimal':
      if (typeof v === 'number') return v;
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      return INVALID;
    case 'boolean':
      return typeof v === 'boolean' ? v : INVALID;
    case 'timestamp':
      return typeof v === 'number' || typeof v === 'string' ? (parseTimestamp(v) ?? INVALID) : INVALID;
    case 'blob':
      return typeof v === 'string' ? (decodeBase64(v) ?? INVALID) : INVALID;
    default:
      return typeof v === 'string' ? v : INVALID;
  }
};

/**
 * Parses a JSON body into the shape's handler representation. An empty (or all-whitespace)
 * body is `{}`; anything that is not a JSON object is a SerializationException.
 * `rest`: rest-json body (honours locationName, skips HTTP-bound members).
 */
export function parseJsonDocument(body: Buffer | string, shape: Shape | undefined, rest = false): Input {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let doc: unknown;
  if (text.length === 0 || text.trim().length === 0) doc = {};
  else {
    try {
      doc = JSON.parse(text);
    } catch {
      throw serializationError('Request body is not valid JSON.');
    }
  }
  if (!isPlainObject(doc)) throw serializationError('Request body must be a JSON object.');
  if (!shape) return {};
  return readDocument(shape, doc, readJsonScalar, shape.locationName ?? 'input', rest) as Input;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** member name → [`"wireKey":`, member] for one structure, cached per shape. */
type OutIndex = Map<string, [prefix: string, member: Shape]>;
const rpcOut = new WeakMap<object, OutIndex>();
const restOut = new WeakMap<object, OutIndex>();

function outIndex(shape: Shape, rest: boolean): OutIndex {
  const members = shape.members ?? {};
  const cache = rest ? restOut : rpcOut;
  let idx = cache.get(members);
  if (!idx) {
    idx = new Map();
    for (const name of Object.keys(members)) {
      const m = members[name];
      if (rest && m.location !== undefined) continue; // headers / status code travel elsewhere
      idx.set(name, [JSON.stringify(rest ? wireName(m, name) : name) + ':', m]);
    }
    cache.set(members, idx);
  }
  return idx;
}

function writeNumber(v: unknown): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isFinite(n)) return String(n);
  // Smithy JSON spells the non-finite doubles as strings.
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

/**
 * Writes `value` as JSON along `shape`. Unknown members and null/undefined values are left out,
 * Dates become epoch seconds (or the member's timestampFormat), bytes base64.
 */
export function writeJson(shape: Shape, value: unknown, rest = false): string {
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object') return '{}';
      const idx = outIndex(shape, rest);
      let s = '{';
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        const v = obj[key];
        if (v === undefined || v === null) continue;
        const e = idx.get(key);
        if (e === undefined) continue;
        if (s.length > 1) s += ',';
        s += e[0] + writeJson(e[1], v, rest);
      }
      return s + '}';
    }
    case 'list': {
      if (!Array.isArray(value)) return '[]';
      const member = shape.member!;
      let s = '[';
      for (let i = 0; i < value.length; i++) {
        if (i > 0) s += ',';
        const v = value[i];
        s += v === undefined || v === null ? 'null' : writeJson(member, v, rest);
      }
      return s + ']';
    }
    case 'map': {
      const valueShape = shape.value!;
      let s = '{';
      const entries: Iterable<[string, unknown]> =
        value instanceof Map ? value : isPlainObject(value) ? Object.entries(value) : [];
      for (const [k, v] of entries) {
        if (v === undefined || v === null) continue;
        if (s.length > 1) s += ',';
        s += JSON.stringify(String(k)) + ':' + writeJson(valueShape, v, rest);
      }
      return s + '}';
    }
    case 'timestamp': {
      const d = toDate(value);
      const fmt = shape.timestampFormat;
      return fmt === undefined || fmt === 'unixTimestamp' ? String(epochSeconds(d)) : JSON.stringify(formatTimestamp(d, fmt));
    }
    case 'blob':
      return '"' + toBuffer(value).toString('base64') + '"';
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return writeNumber(value);
    default:
      // A handler may hand over a parsed document for a JSON-in-a-string member (EventBridge
      // Detail, policies): send it as the string the model promises.
      return JSON.stringify(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

/** Model-less value (error fields) → JSON-safe value: Dates to epoch seconds, bytes to base64. */
export function toPlainJson(v: unknown): unknown {
  if (v instanceof Date) return epochSeconds(v);
  if (v instanceof Uint8Array) return toBuffer(v).toString('base64');
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toPlainJson(x);
    return out;
  }
  return v;
}

/** `x-amzn-query-error` value for query-compatible services. */
export function queryErrorHeader(err: ServiceError): string {
  return `${err.queryCode ?? err.code};${err.fault}`;
}

/** `{"__type": code, "message": msg, ...fields}` (JSON 1.x and CBOR share this body). */
export function errorDocument(err: ServiceError): Record<string, unknown> {
  const doc: Record<string, unknown> = { __type: err.code, message: err.message };
  if (err.fields) {
    for (const [k, v] of Object.entries(err.fields)) if (k !== '__type' && v !== undefined) doc[k] = v;
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------
// The codec
// ---------------------------------------------------------------------------------------------

function contentType(meta: ServiceMetadata): string {
  return meta.jsonVersion === '1.1' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
}

export const jsonCodec: Codec = {
  protocol: 'json',

  parse(req: WireRequest, op: OperationModel): Input {
    return parseJsonDocument(req.body, op.input);
  },

  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse {
    const body = output !== undefined && op.output ? writeJson(op.output, output) : '{}';
    return {
      status: 200,
      headers: { 'Content-Type': contentType(ctx.service.metadata), 'x-amzn-RequestId': ctx.requestId },
      body,
    };
  },

  serializeError(err: ServiceError, _op: OperationModel | undefined, ctx: CodecContext): WireResponse {
    const headers: Record<string, string> = {
      'Content-Type': contentType(ctx.service.metadata),
      'x-amzn-RequestId': ctx.requestId,
    };
    if (ctx.service.metadata.awsQueryCompatible) headers['x-amzn-query-error'] = queryErrorHeader(err);
    return { status: err.status, headers, body: JSON.stringify(toPlainJson(errorDocument(err))) };
  },
};
