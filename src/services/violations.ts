/**
 * @module services/violations
 * Model-constraint checks on decoded input, worded the way AWS words them.
 *
 * AWS validates an input against its model (required members, lengths, ranges, enums, patterns)
 * before the service logic runs, and answers one error listing every violation:
 * "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: …; …".
 * The codecs decode but do not enforce these constraints (the minified models lack them), so each
 * handler states its own through a `Violations` collector and calls `throwIfAny()`. Most services
 * answer ValidationException; CloudWatch Logs answers InvalidParameterException with the same text.
 */
import { awsError, type ErrorCode, type ServiceError } from '../core/errors.js';

/** How a value is quoted in a message. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => String(v)).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

export class Violations {
  private readonly messages: string[] = [];

  constructor(private readonly code: ErrorCode = 'ValidationException') {}

  /** `sensitive`: the value is never echoed (a SecureString's value, say). */
  add(value: unknown, member: string, constraint: string, sensitive = false): void {
    const v = sensitive ? '' : ` ${shown(value)}`;
    this.messages.push(`Value${v} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  required(value: unknown, member: string): boolean {
    if (value === undefined || value === null) {
      this.add(value, member, 'Member must not be null');
      return false;
    }
    return true;
  }

  /** String length (in characters) or list size within [min, max]. */
  length(value: string | readonly unknown[] | undefined, member: string, min: number, max: number, sensitive = false): void {
    if (value === undefined) return;
    const n = typeof value === 'string' ? [...value].length : value.length;
    if (n > max) this.add(value, member, `Member must have length less than or equal to ${max}`, sensitive);
    else if (n < min) this.add(value, member, `Member must have length greater than or equal to ${min}`, sensitive);
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

  get count(): number {
    return this.messages.length;
  }

  /** The one error listing every violation; undefined when there is none. */
  error(): ServiceError | undefined {
    const n = this.messages.length;
    if (n === 0) return undefined;
    const head = n === 1 ? '1 validation error detected: ' : `${n} validation errors detected: `;
    return awsError(this.code, head + this.messages.join('; '));
  }

  throwIfAny(): void {
    const e = this.error();
    if (e) throw e;
  }
}
