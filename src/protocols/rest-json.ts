/**
 * @module protocols/rest-json
 * REST-JSON (Lambda): members bound to the path, query string and headers (see `rest.ts`), the
 * rest in a JSON body, or the single `payload` member as the whole body.
 *
 * Payload members: a blob is the raw bytes (Lambda Invoke's `Payload`; always present on input,
 * possibly empty, so handlers need not special-case "no body"), a string is UTF-8 text, a
 * structure is a JSON document. Without a payload member, all unbound members form one JSON
 * object (keys = locationName when the model renames them).
 *
 * Output status: a `statusCode` member (Invoke's `StatusCode`) wins, else `http.responseCode`,
 * else 200. Errors: `x-amzn-ErrorType: <code>` plus `{"Type":"User"|"Service","message":…}`, as
 * Lambda sends them; the SDKs take the code from the header.
 */
import type { ServiceError } from '../core/errors.js';
import type { Codec, CodecContext, Input, Output, WireRequest, WireResponse } from './codec.js';
import type { OperationModel, Shape } from './model.js';
import { parseJsonDocument, toPlainJson, writeJson } from './json.js';
import { badValueAs, hasBodyMembers, hasHeader, readHttpBindings, writeHttpBindings } from './rest.js';
import { toBuffer } from './shapes.js';

const bad = badValueAs('SerializationException');

function readPayload(member: Shape, body: Buffer): unknown {
  switch (member.type) {
    case 'blob':
      return body;
    case 'string':
      return body.length > 0 ? body.toString('utf8') : undefined;
    case 'structure':
      return body.length > 0 ? parseJsonDocument(body, member, true) : undefined;
    default:
      return undefined;
  }
}

/** The body and its default content type for an output (payload member or JSON members). */
export function restJsonBody(shape: Shape | undefined, output: Output | undefined): [body: Buffer | string, contentType?: string] {
  if (!shape) return [''];
  const payload = shape.payload;
  if (payload) {
    const m = shape.members![payload];
    const v = output?.[payload];
    if (v === undefined || v === null) return [''];
    if (m.type === 'blob') return [toBuffer(v), 'application/octet-stream'];
    if (m.type === 'string') return [typeof v === 'string' ? v : String(v), 'text/plain'];
    return [writeJson(m, v, true), 'application/json'];
  }
  if (!hasBodyMembers(shape)) return [''];
  return [writeJson(shape, output ?? {}, true), 'application/json'];
}

export const restJsonCodec: Codec = {
  protocol: 'rest-json',

  parse(req: WireRequest, op: OperationModel, ctx: CodecContext): Input {
    const shape = op.input;
    if (!shape) return {};
    const out: Input = {};
    readHttpBindings(req, shape, ctx, bad, out);
    if (shape.payload) {
      const v = readPayload(shape.members![shape.payload], req.body);
      if (v !== undefined) out[shape.payload] = v;
    } else if (hasBodyMembers(shape)) {
      Object.assign(out, parseJsonDocument(req.body, shape, true));
    }
    return out;
  },

  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse {
    const headers: Record<string, string> = { 'x-amzn-RequestId': ctx.requestId };
    const status = writeHttpBindings(op.output, output, headers) ?? op.http.responseCode ?? 200;
    const [body, type] = restJsonBody(op.output, output);
    if (type && !hasHeader(headers, 'content-type')) headers['Content-Type'] = type;
    return { status, headers, body };
  },

  serializeError(err: ServiceError, _op: OperationModel | undefined, ctx: CodecContext): WireResponse {
    const doc: Record<string, unknown> = { Type: err.fault === 'Sender' ? 'User' : 'Service', message: err.message };
    if (err.fields) for (const [k, v] of Object.entries(err.fields)) if (v !== undefined && k !== 'Type') doc[k] = v;
    return {
      status: err.status,
      headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': ctx.requestId, 'x-amzn-ErrorType': err.code },
      body: JSON.stringify(toPlainJson(doc)),
    };
  },
};
