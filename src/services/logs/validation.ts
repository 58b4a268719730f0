/**
 * @module services/logs/validation
 * Model-constraint checks on decoded input, worded as CloudWatch Logs words them.
 *
 * CloudWatch Logs answers constraint violations (missing members, lengths, ranges, enums,
 * patterns) with InvalidParameterException — not the ValidationException most services use —
 * and the usual text: "1 validation error detected: Value 'x' at 'logGroupName' failed to
 * satisfy constraint: …". The codecs decode without enforcing the model's constraints, so each
 * handler states its own through a `Violations` collector and calls `throwIfAny()`.
 */
import { awsError } from '../../core/errors.js';

export type Input = Record<string, unknown>;

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => String(v)).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

export function invalidParameter(message: string): never {
  throw awsError('InvalidParameterException', message);
}

export class Violations {
  private readonly messages: string[] = [];

  add(value: unknown, member: string, constraint: string): void {
    this.messages.push(`Value ${shown(value)} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  required(value: unknown, member: string): boolean {
    if (value === undefined || value === null) {
      this.add(value, member, 'Member must not be null');
      return false;
    }
    return true;
  }

  /** String length (in characters) or list size within [min, max]. */
  length(value: string | readonly unknown[] | undefined, member: string, min: number, max: number): void {
    if (value === undefined) return;
    const n = typeof value === 'string' ? [...value].length : value.length;
    if (n > max) this.add(value, member, `Member must have length less than or equal to ${max}`);
    else if (n < min) this.add(value, member, `Member must have length greater than or equal to ${min}`);
  }

  range(value: number | undefined, member: string, min: number, max: number): void {
    if (value === undefined) return;
    if (value > max) this.add(value, member, `Member must have value less than or equal to ${max}`);
    else if (value < min) this.add(value, member, `Member must have value greater than or equal to ${min}`);
  }

  oneOf<T extends string | number>(value: T | undefined, member: string, allowed: readonly T[]): void {
    if (value === undefined || allowed.includes(value)) return;
    this.add(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  pattern(value: string | undefined, member: string, re: RegExp, source: string): void {
    if (value === undefined || re.test(value)) return;
    this.add(value, member, `Member must satisfy regular expression pattern: ${source}`);
  }

  throwIfAny(): void {
    const n = this.messages.length;
    if (n === 0) return;
    const head = n === 1 ? '1 validation error detected: ' : `${n} validation errors detected: `;
    invalidParameter(head + this.messages.join('; '));
  }
}

// typed readers of the decoded input: one set for every service
export { optBool, optInt, optNumber, optObjectList, optString, optStringList, optStringMap } from '../input.js';
