/**
 * @module protocols/rpcv2-cbor
 * Smithy RPC v2 CBOR: what the Java, Go, Ruby, PHP and C++ SDKs (and Terraform) speak to
 * CloudWatch, at `POST /service/<Service>/operation/<Op>` (routing is the router's job).
 *
 * Decoding and encoding use `cbor-x`; the codec's own work is the shape walk on each side.
 * Why the output walk builds a fresh value instead of handing the handler's object to cbor-x:
 * the smithy decoders are strict: a `undefined` (0xf7), a tagged typed array (tag 64), a JS
 * `Map` or an ISO string where a timestamp is expected all break or mis-type the SDK's parse.
 * The walk leaves out absent members, turns timestamps into Dates (cbor-x writes those as tag 1
 * with integer or float epoch seconds) and blobs into Buffers (plain byte strings).
 *
 * Decoder safety: one Decoder without shared structures, so no record definitions survive from
 * one request to the next; whatever exotic tags a client sends fail the shape walk's type checks.
 */
import { createRequire } from 'node:module';
import type { Decoder, Encoder } from 'cbor-x';
import type { ServiceError } from '../core/errors.js';
import type { Codec, CodecContext, Input, Output, WireRequest, WireResponse } from './codec.js';
import type { OperationModel, Shape } from './model.js';
import { errorDocument, queryErrorHeader } from './json.js';
import { INVALID, isPlainObject, parseTimestamp, readDocument, serializationError, toBuffer, toDate, type ScalarReader } from './shapes.js';

// cbor-x is loaded on the first CBOR request: most clients never send one, and start-up is
// faster without it (ESM cannot import synchronously, hence require).
let codec: { decoder: Decoder; encoder: Encoder } | undefined;
function cbor(): { decoder: Decoder; encoder: Encoder } {
  if (!codec) {
    const x = createRequire(import.meta.url)('cbor-x') as typeof import('cbor-x');
    codec = {
      decoder: new x.Decoder({ useRecords: false, mapsAsObjects: true }),
      encoder: new x.Encoder({
        useRecords: false,
        mapsAsObjects: true,
        variableMapSize: true,
        tagUint8Array: false,
        pack: false,
        bundleStrings: false,
      }),
    };
  }
  return codec;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** CBOR scalar → handler value. Timestamps arrive as tag 1 (cbor-x gives a Date). */
const readCborScalar: ScalarReader = (shape, v) => {
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'biginteger': {
      const n = toNumber(v);
      return n !== undefined && Number.isInteger(n) ? n : INVALID;
    }
    case 'float':
    case 'double':
    case 'bigdecimal':
      return toNumber(v) ?? INVALID;
    case 'boolean':
      return typeof v === 'boolean' ? v : INVALID;
    case 'timestamp':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? INVALID : v;
      // Untagged epoch seconds: not what the spec says, but unambiguous, so accept it.
      return typeof v === 'number' ? (parseTimestamp(v) ?? INVALID) : INVALID;
    case 'blob':
      return v instanceof Uint8Array ? toBuffer(v) : INVALID;
    default:
      return typeof v === 'string' ? v : INVALID;
  }
};

/** Handler output → the value cbor-x should encode for `shape`; undefined = leave out. */
function toWire(shape: Shape, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const members = shape.members ?? {};
      const out: Record<string, unknown> = {};
      if (typeof v !== 'object') return out;
      const obj = v as Record<string, unknown>;
      for (const key in obj) {
        if (!Object.hasOwn(members, key)) continue;
        const w = toWire(members[key], obj[key]);
        if (w !== undefined) out[key] = w;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) return [];
      const out: unknown[] = [];
      for (const item of v) {
        const w = toWire(shape.member!, item);
        if (w !== undefined) out.push(w);
      }
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const entries: Iterable<[string, unknown]> = v instanceof Map ? v : isPlainObject(v) ? Object.entries(v) : [];
      for (const [k, x] of entries) {
        const w = toWire(shape.value!, x);
        if (w !== undefined) Object.defineProperty(out, String(k), { value: w, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'timestamp':
      return toDate(v);
    case 'blob':
      return toBuffer(v);
    case 'boolean':
      return v === true || v === 'true';
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger':
      return typeof v === 'number' ? v : Number(v);
    default:
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/** Error fields have no shape: keep Dates and bytes, drop what CBOR cannot say plainly. */
function plainWire(v: unknown): unknown {
  if (v instanceof Date || Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return toBuffer(v);
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(plainWire);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plainWire(x);
    return out;
  }
  return v;
}

function headers(ctx: CodecContext): Record<string, string> {
  return { 'Content-Type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-RequestId': ctx.requestId };
}

/** Decodes a CBOR request body (empty = `{}`) into the operation input. */
export function parseCborDocument(body: Buffer, shape: Shape | undefined): Input {
  let doc: unknown = {};
  if (body.length > 0) {
    try {
      doc = cbor().decoder.decode(body);
    } catch {
      throw serializationError('Request body is not valid CBOR.');
    }
  }
  if (!isPlainObject(doc)) throw serializationError('Request body must be a CBOR map.');
  if (!shape) return {};
  return readDocument(shape, doc, readCborScalar, 'input') as Input;
}

export const cborCodec: Codec = {
  protocol: 'rpcv2-cbor',

  parse(req: WireRequest, op: OperationModel): Input {
    return parseCborDocument(req.body, op.input);
  },

  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse {
    const value = op.output && output !== undefined ? toWire(op.output, output) : {};
    return { status: 200, headers: headers(ctx), body: cbor().encoder.encode(value ?? {}) };
  },

  serializeError(err: ServiceError, _op: OperationModel | undefined, ctx: CodecContext): WireResponse {
    const h = headers(ctx);
    if (ctx.service.metadata.awsQueryCompatible) h['x-amzn-query-error'] = queryErrorHeader(err);
    return { status: err.status, headers: h, body: cbor().encoder.encode(plainWire(errorDocument(err))) };
  },
};
