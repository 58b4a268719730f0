/**
 * @module services/params/validation
 * Model-constraint checks on decoded input, worded the way AWS words them.
 *
 * AWS validates an input against its model (required members, lengths, ranges, enums) before the
 * service logic runs and answers one ValidationException listing every violation:
 * "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: …; …".
 * The codecs decode but do not enforce these constraints (the minified models lack them), so
 * each handler states its own through a `Violations` collector and calls `throwIfAny()`.
 */
import { awsError } from '../../core/errors.js';

/** How a value is quoted in a message; sensitive values are never echoed. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => String(v)).join(', ')}]'`;
  return `'${String(value)}'`;
}

export class Violations {
  private readonly messages: string[] = [];

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

  oneOf(value: string | undefined, member: string, allowed: readonly string[]): void {
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

  throwIfAny(): void {
    const n = this.messages.length;
    if (n === 0) return;
    const head = n === 1 ? '1 validation error detected: ' : `${n} validation errors detected: `;
    throw awsError('ValidationException', head + this.messages.join('; '));
  }
}

// typed readers of the decoded input: one set for every service
export { optBool, optInt, optObjectList, optString, optStringList } from '../input.js';
