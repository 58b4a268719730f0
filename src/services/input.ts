/**
 * @module services/input
 * Typed readers of a handler's decoded input. The codecs hand over model-typed values; these
 * guards only keep a malformed request (a number where a string belongs) from reaching a
 * service's domain as the wrong JS type: it is a SerializationException, as AWS answers it.
 * Absent and null members read as undefined.
 */
import { awsError } from '../core/errors.js';

export type Input = Record<string, unknown>;

function wrongType(member: string, expected: string): never {
  throw awsError('SerializationException', `${member} must be ${expected}`);
}

function present(input: Input, member: string): unknown {
  const v = input[member];
  return v === null ? undefined : v;
}

export function optString(input: Input, member: string): string | undefined {
  const v = present(input, member);
  if (v !== undefined && typeof v !== 'string') wrongType(member, 'a string');
  return v as string | undefined;
}

export function optBool(input: Input, member: string): boolean | undefined {
  const v = present(input, member);
  if (v !== undefined && typeof v !== 'boolean') wrongType(member, 'a boolean');
  return v as boolean | undefined;
}

/** Any number but NaN (Infinity is the domain's to refuse, with its own message). */
export function optNumber(input: Input, member: string): number | undefined {
  const v = present(input, member);
  if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) wrongType(member, 'a number');
  return v as number | undefined;
}

export function optInt(input: Input, member: string): number | undefined {
  const v = present(input, member);
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v))) wrongType(member, 'an integer');
  return v as number | undefined;
}

export function optStringList(input: Input, member: string): string[] | undefined {
  const v = present(input, member);
  if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) wrongType(member, 'a list of strings');
  return v as string[] | undefined;
}

function isStructure(v: unknown): v is Input {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

export function optObject(input: Input, member: string): Input | undefined {
  const v = present(input, member);
  if (v !== undefined && !isStructure(v)) wrongType(member, 'a structure');
  return v as Input | undefined;
}

export function optObjectList(input: Input, member: string): Input[] | undefined {
  const v = present(input, member);
  if (v !== undefined && (!Array.isArray(v) || !v.every(isStructure))) wrongType(member, 'a list of structures');
  return v as Input[] | undefined;
}

export function optStringMap(input: Input, member: string): Record<string, string> | undefined {
  const v = present(input, member);
  if (v !== undefined && (!isStructure(v) || Object.values(v).some((x) => typeof x !== 'string'))) wrongType(member, 'a map of strings');
  return v as Record<string, string> | undefined;
}

export function optBlob(input: Input, member: string): Buffer | undefined {
  const v = present(input, member);
  if (v !== undefined && !Buffer.isBuffer(v)) wrongType(member, 'a blob');
  return v as Buffer | undefined;
}
