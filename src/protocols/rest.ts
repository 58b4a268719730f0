/**
 * @module protocols/rest
 * The HTTP bindings rest-json and rest-xml share: members carried in the URI path, the query
 * string, single headers and prefixed header maps (`x-amz-meta-*`), and the status code.
 * Only the body differs between the two protocols, so each codec adds its body on top of this.
 *
 * Conventions (as the SDKs write them): header timestamps are RFC 822 (IMF-fixdate) unless the
 * member says otherwise, query-string timestamps ISO 8601; lists in headers are comma-separated;
 * `jsonvalue` strings travel base64-encoded in headers; booleans `true`/`false`.
 *
 * Path labels are taken from `ctx.pathParams` as `matchRestOperation` returns them, i.e. already
 * percent-decoded; this module never decodes them again (a key may legitimately contain `%`).
 */
import { awsError, type ErrorCode, type ServiceError } from '../core/errors.js';
import type { CodecContext, WireRequest } from './codec.js';
import type { Shape } from './model.js';
import { INVALID, decodeBase64, decodeFormComponent, formatScalarText, isPlainObject, parseScalarText, setOwn } from './shapes.js';

/** The query string as key → all values, strictly decoded (`+` is a space). */
export function parseQueryString(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeFormComponent(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeFormComponent(part.slice(eq + 1));
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}


/** A request header by (case-insensitive) name; repeated headers joined as HTTP says. */
export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** How a codec reports a header / query value that does not fit its type. */
export type BadValue = (where: string, value: string) => ServiceError;

export function badValueAs(code: ErrorCode): BadValue {
  return (where, value) => awsError(code, `Invalid value '${value.slice(0, 128)}' for ${where}.`);
}

/** A header or query-string text → member value (lists split on commas for headers). */
function readText(member: Shape, text: string, where: string, bad: BadValue, fromHeader: boolean): unknown {
  if (member.type === 'list') {
    const item = member.member!;
    const parts = fromHeader ? text.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [text];
    return parts.map((p) => readText(item, p, where, bad, fromHeader));
  }
  if (fromHeader && member.jsonvalue) {
    const buf = decodeBase64(text);
    if (!buf) throw bad(where, text);
    return buf.toString('utf8');
  }
  const v = parseScalarText(member.type, text);
  if (v === INVALID) throw bad(where, text);
  return v;
}

/**
 * Reads every member bound to the URI, query string or headers into `out`.
 * Body members are left to the protocol.
 */
export function readHttpBindings(req: WireRequest, shape: Shape, ctx: CodecContext, bad: BadValue, out: Record<string, unknown>): void {
  const members = shape.members ?? {};
  let query: Map<string, string[]> | undefined;
  const boundQueryKeys = new Set<string>();
  let queryMap: [string, Shape] | undefined;
  for (const name of Object.keys(members)) {
    const m = members[name];
    switch (m.location) {
      case 'uri': {
        const v = ctx.pathParams?.[m.locationName ?? name];
        if (v !== undefined) out[name] = readText(m, v, `path label ${m.locationName ?? name}`, bad, false);
        break;
      }
      case 'querystring': {
        query ??= parseQueryString(req.rawQuery);
        if (m.type === 'map' && !m.locationName) {
          queryMap = [name, m]; // all the parameters no other member claims; filled below
          break;
        }
        const key = m.locationName ?? name;
        boundQueryKeys.add(key);
        const values = query.get(key);
        if (!values) break;
        if (m.type === 'list') out[name] = values.map((v) => readText(m.member!, v, `query parameter ${key}`, bad, false));
        else out[name] = readText(m, values[0], `query parameter ${key}`, bad, false);
        break;
      }
      case 'header': {
        const key = m.locationName ?? name;
        const v = header(req, key);
        if (v !== undefined) out[name] = readText(m, v, `header ${key}`, bad, true);
        break;
      }
      case 'headers': {
        const prefix = (m.locationName ?? '').toLowerCase();
        const map: Record<string, unknown> = {};
        for (const [h, raw] of Object.entries(req.headers)) {
          if (raw === undefined || !h.startsWith(prefix)) continue;
          const text = Array.isArray(raw) ? raw.join(', ') : raw;
          setOwn(map, h.slice(prefix.length), readText(m.value!, text, `header ${h}`, bad, true));
        }
        if (Object.keys(map).length > 0) out[name] = map;
        break;
      }
      default:
        break;
    }
  }
  if (queryMap && query) {
    const [name, m] = queryMap;
    const map: Record<string, unknown> = {};
    const valueShape = m.value!;
    for (const [k, values] of query) {
      if (boundQueryKeys.has(k)) continue;
      setOwn(map, k, valueShape.type === 'list' ? values : values[0]);
    }
    if (Object.keys(map).length > 0) out[name] = map;
  }
}

const HEADER_SAFE = /^[\x20-\x7e\t]*$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Node refuses header values outside Latin-1 (and clients mangle anything past ASCII), so a
 * non-ASCII value goes out RFC 2047-encoded, as S3 does for user metadata.
 */
function headerSafe(text: string): string {
  return HEADER_SAFE.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** Member value → header text. */
function headerText(member: Shape, value: unknown): string {
  if (member.type === 'list') {
    return Array.isArray(value) ? value.map((v) => headerText(member.member!, v)).join(', ') : String(value);
  }
  if (member.jsonvalue) {
    const json = typeof value === 'string' ? value : JSON.stringify(value);
    return Buffer.from(json, 'utf8').toString('base64');
  }
  return formatScalarText(member, value, 'rfc822');
}

/**
 * Writes header-bound output members into `headers` and returns the status code a `statusCode`
 * member asks for (undefined when none). Body members are left to the protocol.
 */
export function writeHttpBindings(shape: Shape | undefined, output: Record<string, unknown> | undefined, headers: Record<string, string>): number | undefined {
  if (!shape || !output) return undefined;
  const members = shape.members ?? {};
  let status: number | undefined;
  for (const name of Object.keys(members)) {
    const m = members[name];
    if (m.location === undefined) continue;
    const v = output[name];
    if (v === undefined || v === null) continue;
    switch (m.location) {
      case 'statusCode': {
        const n = Number(v);
        if (Number.isInteger(n) && n >= 100 && n <= 599) status = n;
        break;
      }
      case 'header':
        headers[m.locationName ?? name] = headerSafe(headerText(m, v));
        break;
      case 'headers': {
        const prefix = m.locationName ?? '';
        const entries = v instanceof Map ? [...v] : isPlainObject(v) ? Object.entries(v) : [];
        for (const [k, x] of entries) {
          // a key that is not an HTTP token cannot be a header name; leave it out
          if (x !== undefined && x !== null && TOKEN.test(k)) headers[prefix + k] = headerSafe(headerText(m.value!, x));
        }
        break;
      }
      default:
        break; // uri / querystring members have no meaning in a response
    }
  }
  return status;
}

/** True when `headers` already has `name` in any letter case. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) return true;
  return false;
}

/** Members that travel in the body (no HTTP location), for deciding whether a body exists. */
export function hasBodyMembers(shape: Shape | undefined): boolean {
  if (!shape?.members) return false;
  for (const name of Object.keys(shape.members)) if (shape.members[name].location === undefined) return true;
  return false;
}
