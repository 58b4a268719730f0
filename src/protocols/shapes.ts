/**
 * @module protocols/shapes
 * Value helpers every codec shares: timestamps, blobs, scalar coercion and the shape-directed
 * walk that turns a decoded JSON / CBOR document into the handler representation.
 *
 * Why one place: AWS accepts and emits the same handful of scalar spellings across protocols
 * (ISO 8601 with or without millis, RFC 822 dates in headers, epoch seconds that may be
 * fractional, base64 blobs, `true`/`false`), and the five codecs must agree on them exactly.
 * The document walk is written once with a pluggable scalar reader so the JSON hot path and the
 * CBOR path share the recursion but keep their own (different) notion of a valid scalar.
 *
 * Per-structure lookup tables are cached in WeakMaps keyed by the structure's `members` object
 * (shared by every member reference to that structure), so a request never rebuilds them.
 */
import { awsError, type ServiceError } from '../core/errors.js';
import type { Shape, ShapeType, TimestampFormat } from './model.js';

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

// 2024-01-01T00:00:00Z, 2024-01-01T00:00:00.123456+01:00, 2024-01-01T00:00:00+0000, 2024-01-01
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;
// Sun, 06 Nov 1994 08:49:37 GMT (IMF-fixdate / RFC 822 as AWS writes it), and the obsolete forms.
const HTTP_DATE_RE = /^[A-Za-z]{3},? \d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} (?:GMT|UTC|[+-]\d{4})$/;
const NUMERIC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseIso(s: string): Date | undefined {
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac, , sign, oh, om] = m;
  // Fractions beyond milliseconds are truncated: a Date cannot hold them.
  const ms = frac ? Number((frac + '00').slice(0, 3)) : 0;
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms);
  if (sign) t -= (sign === '-' ? -1 : 1) * (+oh * 60 + +om) * 60_000;
  // Date.UTC happily rolls 2024-02-31 over to March: reject what does not round-trip.
  const check = new Date(Date.UTC(+y, +mo - 1, +d));
  if (check.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +sec > 60) return undefined;
  return Number.isFinite(t) ? new Date(t) : undefined;
}

/**
 * Reads a timestamp in any spelling AWS clients send: a Date, epoch seconds (number or numeric
 * string, fractional allowed), ISO 8601 with or without millis / offset, or an HTTP date.
 * Returns undefined when the value is none of these.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') {
    const d = new Date(Math.round(value * 1000)); // beyond ±8.64e15 ms this is an Invalid Date
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (NUMERIC_RE.test(s)) return parseTimestamp(Number(s));
  if (s.length > 4 && s.charCodeAt(4) === 45 /* - */) return parseIso(s);
  if (HTTP_DATE_RE.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return undefined;
}

/** Handler output → Date: Date, epoch seconds, or any string parseTimestamp accepts. */
export function toDate(value: unknown): Date {
  const d = parseTimestamp(value);
  if (!d) throw new TypeError(`not a timestamp: ${String(value)}`);
  return d;
}

/** Epoch seconds, fractional when the Date has millis (JSON protocols). */
export function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}

/** Text form of a timestamp in one of the model's formats (iso8601 always carries millis). */
export function formatTimestamp(d: Date, format: TimestampFormat): string {
  switch (format) {
    case 'rfc822':
      return d.toUTCString();
    case 'unixTimestamp':
      return String(epochSeconds(d));
    default:
      return d.toISOString();
  }
}

// ---------------------------------------------------------------------------------------------
// Blobs
// ---------------------------------------------------------------------------------------------

// Standard or URL-safe alphabet, padding optional (some clients strip it).
const BASE64_RE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** Strict base64 decode (Buffer.from alone silently drops garbage). */
export function decodeBase64(s: string): Buffer | undefined {
  const t = s.length > 0 && (s.includes('\n') || s.includes('\r') || s.includes(' ')) ? s.replace(/\s+/g, '') : s;
  if (!BASE64_RE.test(t)) return undefined;
  return Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
}

/** Handler output → bytes: Buffer, any Uint8Array / ArrayBuffer, or a string taken as UTF-8. */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError(`not a blob: ${typeof value}`);
}

// ---------------------------------------------------------------------------------------------
// Scalars carried as text (query strings, headers, XML)
// ---------------------------------------------------------------------------------------------

/** Returned by parseScalarText when the text does not fit the type. */
export const INVALID: unique symbol = Symbol('invalid');

const INT_RE = /^[+-]?\d+$/;

/** Text → handler value for a scalar shape type, or INVALID. */
export function parseScalarText(type: ShapeType, s: string): unknown {
  switch (type) {
    case 'integer':
    case 'long':
    case 'biginteger': {
      const t = s.trim();
      return INT_RE.test(t) ? Number(t) : INVALID;
    }
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const t = s.trim();
      if (t === 'NaN') return NaN;
      if (t === 'Infinity') return Infinity;
      if (t === '-Infinity') return -Infinity;
      return NUMERIC_RE.test(t) ? Number(t) : INVALID;
    }
    case 'boolean': {
      const t = s.trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : INVALID;
    }
    case 'timestamp':
      return parseTimestamp(s) ?? INVALID;
    case 'blob':
      return decodeBase64(s) ?? INVALID;
    default:
      return s;
  }
}

/** Handler value → text for a scalar shape (query, XML, headers). */
export function formatScalarText(shape: Shape, value: unknown, defaultTimestamp: TimestampFormat): string {
  switch (shape.type) {
    case 'timestamp':
      return formatTimestamp(toDate(value), shape.timestampFormat ?? defaultTimestamp);
    case 'blob':
      return toBuffer(value).toString('base64');
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'float':
    case 'double':
    case 'integer':
    case 'long':
    case 'bigdecimal':
    case 'biginteger': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isNaN(n) ? 'NaN' : String(n);
    }
    default:
      // A parsed document handed over for a JSON-in-a-string member goes out as that JSON.
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

export function isScalar(shape: Shape): boolean {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

// ---------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------

/** Assigns without ever touching a prototype (`__proto__` arrives as a map key from clients). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `SerializationException` with AWS's wording style. */
export function serializationError(message: string): ServiceError {
  return awsError('SerializationException', message);
}

/** Name of a member on the wire (JSON key, XML element, query key): locationName or its own. */
export function wireName(member: Shape, name: string): string {
  return member.locationName ?? name;
}

const orderCache = new WeakMap<object, string[]>();

/**
 * Member iteration order for XML: `xmlOrder` when present (followed by any member a newer model
 * added without listing it there), else model order. Cached per structure.
 */
export function memberOrder(shape: Shape): string[] {
  const members = shape.members ?? {};
  let order = orderCache.get(members);
  if (!order) {
    const all = Object.keys(members);
    order = shape.xmlOrder ? [...shape.xmlOrder.filter((n) => Object.hasOwn(members, n)), ...all.filter((n) => !shape.xmlOrder!.includes(n))] : all;
    orderCache.set(members, order);
  }
  return order;
}

/** wire name → [member name, member]; `renamed` when some wire name differs from its member name. */
export interface MemberIndex {
  byWire: Map<string, [name: string, member: Shape]>;
  renamed: boolean;
}
const rpcIndexCache = new WeakMap<object, MemberIndex>();
const restIndexCache = new WeakMap<object, MemberIndex>();

/**
 * Index of the members that travel in a JSON / CBOR body (i.e. have no HTTP `location`), by wire
 * name. Cached per structure. `rest` honours `locationName` as the JSON key (rest-json's
 * jsonName); the RPC protocols (awsJson, CBOR) ignore it, as the Smithy specs and the JS SDK do,
 * which matters when a Query model is served as JSON (CloudWatch).
 */
export function bodyMemberIndex(shape: Shape, rest = false): MemberIndex {
  const members = shape.members ?? {};
  const cache = rest ? restIndexCache : rpcIndexCache;
  let idx = cache.get(members);
  if (!idx) {
    idx = { byWire: new Map(), renamed: false };
    for (const name of Object.keys(members)) {
      const m = members[name];
      if (rest && m.location !== undefined) continue;
      const wire = rest ? wireName(m, name) : name;
      idx.byWire.set(wire, [name, m]);
      if (wire !== name) idx.renamed = true;
    }
    cache.set(members, idx);
  }
  return idx;
}

// ---------------------------------------------------------------------------------------------
// Shape-directed document walk (JSON, CBOR, rest-json bodies)
// ---------------------------------------------------------------------------------------------

/** Converts one decoded scalar to the handler representation, or returns INVALID. */
export type ScalarReader = (shape: Shape, value: unknown) => unknown;

function mismatch(name: string, expected: string): ServiceError {
  return serializationError(`Unexpected value for '${name}': expected ${expected}.`);
}

/**
 * Walks a decoded document along `shape`, converting scalars with `read` and dropping nulls and
 * members the model does not know (AWS ignores unknown members). Objects and arrays are updated
 * in place: the document was freshly parsed from the request, so nobody else holds it, and not
 * copying keeps the JSON hot path to a single pass without extra allocation.
 */
export function readDocument(shape: Shape, value: unknown, read: ScalarReader, name: string, rest = false): unknown {
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw mismatch(name, 'an object');
      const { byWire, renamed } = bodyMemberIndex(shape, rest);
      // Renamed members (locationName ≠ member name, rare in JSON models) need a fresh object:
      // adding keys to an object while for-in walks it is not well defined.
      const target: Record<string, unknown> = renamed ? {} : value;
      for (const key in value) {
        const v = value[key];
        const entry = byWire.get(key);
        if (entry === undefined || v === null || v === undefined) {
          if (!renamed) delete value[key];
          continue;
        }
        const [memberName, member] = entry;
        const out = readDocument(member, v, read, memberName, rest);
        if (renamed) setOwn(target, memberName, out);
        else if (out !== v) value[key] = out;
      }
      return target;
    }
    case 'list': {
      if (!Array.isArray(value)) throw mismatch(name, 'a list');
      const member = shape.member!;
      let hasNull = false;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (v === null || v === undefined) hasNull = true;
        else value[i] = readDocument(member, v, read, name, rest);
      }
      return hasNull ? value.filter((v) => v !== null && v !== undefined) : value;
    }
    case 'map': {
      if (!isPlainObject(value)) throw mismatch(name, 'a map');
      const valueShape = shape.value!;
      for (const key in value) {
        const v = value[key];
        if (v === null || v === undefined) delete value[key];
        else value[key] = readDocument(valueShape, v, read, name, rest);
      }
      return value;
    }
    default: {
      const out = read(shape, value);
      if (out === INVALID) throw mismatch(name, describe(shape.type));
      return out;
    }
  }
}

function describe(type: ShapeType): string {
  switch (type) {
    case 'integer':
    case 'long':
    case 'biginteger':
      return 'an integer';
    case 'float':
    case 'double':
    case 'bigdecimal':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'timestamp':
      return 'a timestamp';
    case 'blob':
      return 'bytes (base64 in JSON)';
    default:
      return 'a string';
  }
}

/** Decodes one form or query-string component (Query bodies, REST query strings): `+` is a space, `%XX` UTF-8; a bad escape is MalformedQueryString. */
export function decodeFormComponent(s: string): string {
  const plus = s.includes('+');
  if (!plus && !s.includes('%')) return s;
  try {
    return decodeURIComponent(plus ? s.replace(/\+/g, ' ') : s);
  } catch {
    throw awsError('MalformedQueryString', `The query string contains a malformed percent-encoding: ${s.slice(0, 64)}`);
  }
}
