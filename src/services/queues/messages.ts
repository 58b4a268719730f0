/**
 * @module services/queues/messages
 * What makes a message acceptable, and the digests SQS answers with.
 *
 * - Bodies and string attribute values may hold only the XML character set (AWS rejects the
 *   rest with InvalidMessageContents); size = body + every attribute's name, type and value, in
 *   UTF-8 bytes, against the queue's MaximumMessageSize (256 KiB at most).
 * - MD5OfMessageAttributes is AWS's digest, which SDKs verify: for each attribute in name order,
 *   4-byte big-endian length + bytes of the name, of the data type, one transport byte
 *   (1 string, 2 binary), then length + bytes of the value.
 * - Attributes are kept as JSON with binary values in base64, and handed back as Buffers.
 */
import { createHash } from 'node:crypto';
import { awsError } from '../../core/errors.js';

/** The handler / store representation of one message attribute. */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}
export type Attributes = Record<string, AttributeValue>;

const INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** MessageGroupId / MessageDeduplicationId: 1–128 of alphanumerics and punctuation. */
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;
const ALLOWED = '#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

function invalid(message: string): never {
  throw awsError('InvalidParameterValue', message);
}

function charRef(s: string): string {
  const m = INVALID_CHAR.exec(s);
  return m ? `#x${m[0].codePointAt(0)!.toString(16).toUpperCase()}` : '';
}

export function checkBody(body: unknown): string {
  if (typeof body !== 'string') throw awsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  if (body.length === 0) invalid('The request must contain the parameter MessageBody.');
  if (INVALID_CHAR.test(body)) {
    throw awsError('InvalidMessageContents', `Invalid binary character '${charRef(body)}' was found in the message body, the set of allowed characters is ${ALLOWED}`);
  }
  return body;
}

function toBuffer(v: unknown): Buffer | undefined {
  if (v === undefined || v === null) return undefined;
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string') return Buffer.from(v, 'base64'); // targets hand binary values over as base64
  return undefined;
}

/** Validates MessageAttributes (user attributes) and returns them in handler form. */
export function checkAttributes(input: unknown): Attributes | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object') invalid('MessageAttributes must be a map.');
  const entries = Object.entries(input as Record<string, Record<string, unknown>>);
  if (entries.length === 0) return undefined;
  if (entries.length > 10) invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  const out: Attributes = {};
  for (const [name, raw] of entries) {
    const lower = name.toLowerCase();
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') ||
        lower.startsWith('aws.') || lower.startsWith('amazon.')) {
      invalid(`Message (user) attribute name '${name}' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`);
    }
    const type = raw?.DataType;
    if (typeof type !== 'string' || type.length === 0) invalid(`The message attribute '${name}' must contain non-empty message attribute type.`);
    if (type.length > 256 || !DATA_TYPE.test(type) || INVALID_CHAR.test(type)) {
      invalid(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (type.startsWith('Binary')) {
      const b = toBuffer(raw.BinaryValue);
      if (!b || b.length === 0) invalid(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      out[name] = { DataType: type, BinaryValue: b };
      continue;
    }
    const s = raw.StringValue;
    if (typeof s !== 'string' || s.length === 0) {
      invalid(`The message attribute '${name}' with type '${type.startsWith('Number') ? 'Number' : 'String'}' must use field 'String'.`);
    }
    if (INVALID_CHAR.test(s)) invalid(`Invalid binary character '${charRef(s)}' was found in the message attribute '${name}' value.`);
    if (type.startsWith('Number') && !NUMBER.test(s.trim())) invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    out[name] = { DataType: type, StringValue: s };
  }
  return out;
}

/** MessageSystemAttributes: only AWSTraceHeader (a String) exists. */
export function checkSystemAttributes(input: unknown): Attributes | undefined {
  if (input === undefined || input === null) return undefined;
  const entries = Object.entries(input as Record<string, Record<string, unknown>>);
  if (entries.length === 0) return undefined;
  const out: Attributes = {};
  for (const [name, raw] of entries) {
    if (name !== 'AWSTraceHeader') invalid(`Message system attribute name '${name}' is invalid.`);
    if (raw?.DataType !== 'String' || typeof raw.StringValue !== 'string' || raw.StringValue.length === 0) {
      invalid(`Message system attribute '${name}' must be of type String with a non-empty value.`);
    }
    out[name] = { DataType: 'String', StringValue: raw.StringValue };
  }
  return out;
}

export function checkFifoId(name: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !FIFO_ID.test(value)) {
    invalid(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}

function valueBytes(v: AttributeValue): number {
  return v.BinaryValue ? v.BinaryValue.length : Buffer.byteLength(v.StringValue ?? '', 'utf8');
}

/** Bytes that count against MaximumMessageSize. */
export function messageSize(body: string, attrs: Attributes | undefined): number {
  let n = Buffer.byteLength(body, 'utf8');
  for (const [name, v] of Object.entries(attrs ?? {})) n += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(v.DataType, 'utf8') + valueBytes(v);
  return n;
}

export function checkSize(body: string, attrs: Attributes | undefined, max: number): void {
  if (messageSize(body, attrs) > max) invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
}

export function md5Hex(s: string | Buffer): string {
  return createHash('md5').update(s).digest('hex');
}

function lengthPrefixed(h: ReturnType<typeof createHash>, bytes: Buffer): void {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length, 0);
  h.update(len).update(bytes);
}

/** AWS's MD5OfMessageAttributes (and MD5OfMessageSystemAttributes); undefined for none. */
export function md5OfAttributes(attrs: Attributes | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const h = createHash('md5');
  for (const name of names) {
    const v = attrs[name];
    lengthPrefixed(h, Buffer.from(name, 'utf8'));
    lengthPrefixed(h, Buffer.from(v.DataType, 'utf8'));
    const binary = v.BinaryValue !== undefined;
    h.update(Buffer.from([binary ? 2 : 1]));
    lengthPrefixed(h, binary ? v.BinaryValue! : Buffer.from(v.StringValue ?? '', 'utf8'));
  }
  return h.digest('hex');
}

/** Attributes as stored (binary values base64). */
export function encodeAttributes(attrs: Attributes | undefined): string | null {
  if (!attrs || Object.keys(attrs).length === 0) return null;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = v.BinaryValue ? { DataType: v.DataType, BinaryValue: v.BinaryValue.toString('base64') } : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return JSON.stringify(out);
}

export function decodeAttributes(json: string | null): Attributes | undefined {
  if (!json) return undefined;
  const raw = JSON.parse(json) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  const out: Attributes = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = v.BinaryValue !== undefined ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}

/** ReceiveMessage's MessageAttributeNames: `All`, `.*`, exact names and `prefix.*`. */
export function selectAttributes(attrs: Attributes | undefined, names: readonly string[]): Attributes | undefined {
  if (!attrs || names.length === 0) return undefined;
  if (names.includes('All') || names.includes('.*')) return attrs;
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (names.some((n) => n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))))) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
