/**
 * @module services/topics/message
 * Reads and checks one message to publish (a Publish call or one PublishBatch entry): Message,
 * Subject, MessageStructure, MessageAttributes, and its size. Errors use AWS's codes and words
 * (InvalidParameter for the message and subject, ParameterValueInvalid for attributes).
 */
import { awsError } from '../../core/errors.js';
import type { SnsMessageAttributes } from '../../core/patterns/types.js';
import { invalid, invalidValue, LIMITS } from './model.js';

export interface PublishMessage {
  /** the message as published (for MessageStructure=json, the JSON text) */
  message: string;
  /** MessageStructure=json: protocol (or 'default') → text */
  structured?: Record<string, string>;
  subject?: string;
  attributes?: SnsMessageAttributes;
  /** as notifications show them: { name: { Type, Value } } (Binary base64) */
  rendered?: Record<string, { Type: string; Value: string }>;
  /** bytes counted against the 256 KB limit: message + attribute names, types and values */
  size: number;
}

const NAME_CHARS = /^[A-Za-z0-9_.-]$/;
const TYPE = /^(String|Number|Binary)(\..+)?$/;
// Number attributes: up to 38 digits of precision, between -10^128 and +10^126 (SQS/SNS rule)
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SUBJECT_FORBIDDEN = /[\u0000-\u001f\u007f]/;

function checkName(name: string): void {
  if (Buffer.byteLength(name) > 256) throw invalidValue('Length of message attribute name must be less than 256 bytes.');
  if (name.startsWith('.')) throw invalidValue("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalidValue("Invalid message attribute name ending with character '.' was found.");
  for (const ch of name) {
    if (!NAME_CHARS.test(ch)) {
      const hex = `#x${ch.codePointAt(0)!.toString(16).toUpperCase()}`;
      throw invalidValue(`Invalid non-alphanumeric character '${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
  }
  if (name.includes('..')) throw invalidValue("Message attribute name can not have successive '.' character.");
}

/** Checks MessageAttributes; answers them rendered for notifications, and their byte size. */
export function checkAttributes(v: unknown, at: string): { attributes?: SnsMessageAttributes; rendered?: Record<string, { Type: string; Value: string }>; size: number } {
  if (v === undefined || v === null) return { size: 0 };
  const attributes = v as Record<string, { DataType?: unknown; StringValue?: unknown; BinaryValue?: unknown }>;
  const rendered: Record<string, { Type: string; Value: string }> = {};
  let size = 0;
  for (const [name, attr] of Object.entries(attributes)) {
    checkName(name);
    const type = attr?.DataType;
    if (typeof type !== 'string') {
      throw awsError('ValidationError', `1 validation error detected: Value null at '${at}messageAttributes.${name}.member.dataType' failed to satisfy constraint: Member must not be null`);
    }
    if (!TYPE.test(type)) {
      throw invalidValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = type.startsWith('Binary');
    const str = attr.StringValue;
    const bin = attr.BinaryValue;
    if (str === undefined && bin === undefined) {
      throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (binary ? bin === undefined : str === undefined) {
      throw invalidValue(`The message attribute '${name}' with type '${type}' must use field '${binary ? 'Binary' : 'String'}'.`);
    }
    let value: string;
    let bytes: number;
    if (binary) {
      const buf = Buffer.isBuffer(bin) ? bin : Buffer.from(String(bin), 'base64');
      value = buf.toString('base64');
      bytes = buf.length;
    } else {
      value = String(str);
      bytes = Buffer.byteLength(value);
    }
    if (bytes === 0) {
      throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (type.startsWith('Number') && !NUMBER.test(value.trim())) throw invalidValue(`Could not cast message attribute '${name}' value to number.`);
    if (type === 'String.Array') {
      let arr: unknown;
      try {
        arr = JSON.parse(value);
      } catch {
        arr = undefined;
      }
      if (!Array.isArray(arr) || arr.some((x) => x !== null && typeof x === 'object')) {
        throw invalidValue(`The message attribute '${name}' with type 'String.Array' must hold a JSON array of strings, numbers, booleans or nulls.`);
      }
    }
    rendered[name] = { Type: type, Value: value };
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + bytes;
  }
  if (Object.keys(rendered).length === 0) return { size: 0 };
  return { attributes: attributes as SnsMessageAttributes, rendered, size };
}

export function checkSubject(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (s === '' || s.length > LIMITS.maxSubjectChars || SUBJECT_FORBIDDEN.test(s) || s.trim() === '') throw invalid('Subject');
  return s;
}

/** MessageStructure=json: the protocol → text map, with the `default` entry AWS requires. */
export function parseStructure(message: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('Message Structure - JSON message body failed to parse');
  const out: Record<string, string> = {};
  // keys whose value is not a string are ignored, as AWS does
  for (const [k, val] of Object.entries(doc)) if (typeof val === 'string') out[k] = val;
  if (out.default === undefined) throw invalid('Message Structure - No default entry in JSON message body');
  return out;
}

/** Reads one message; `at` prefixes validation paths (`publishBatchRequestEntries.1.member.`). */
export function readMessage(input: Record<string, unknown>, at = ''): PublishMessage {
  const message = typeof input.Message === 'string' ? input.Message : undefined;
  if (message === undefined) throw invalid('Message Reason: no value for required parameter');
  if (message === '') throw invalid('Empty message');
  const subject = checkSubject(input.Subject);
  const attrs = checkAttributes(input.MessageAttributes, at);
  const size = Buffer.byteLength(message) + attrs.size;
  if (size > LIMITS.maxMessageBytes) throw invalid('Message too long');
  const structure = input.MessageStructure;
  let structured: Record<string, string> | undefined;
  if (structure !== undefined && structure !== '') {
    if (structure !== 'json') throw invalid('MessageStructure');
    structured = parseStructure(message);
  }
  return { message, structured, subject, attributes: attrs.attributes, rendered: attrs.rendered, size };
}

/** The text a subscription of `protocol` receives. */
export function textFor(m: PublishMessage, protocol: string): string {
  if (!m.structured) return m.message;
  return m.structured[protocol] ?? m.structured.default;
}
