/**
 * @module services/functions/model/input
 * Reading decoded input and refusing it the way Lambda does.
 *
 * Lambda answers model-constraint failures (lengths, ranges, enums, patterns) with one
 * ValidationException listing every violation ("2 validation errors detected: Value 'x' at
 * 'timeout' failed to satisfy constraint: …; …"), and its own rules with
 * InvalidParameterValueException. The codecs decode but do not enforce constraints, so each
 * handler states its own through a `Violations` collector.
 */
import { awsError, type ServiceError } from '../../../core/errors.js';

export type Input = Record<string, unknown>;

// --- Lambda's errors, with its statuses --------------------------------------------------------

export function notFound(message: string): ServiceError {
  return awsError('ResourceNotFoundException', message, undefined, { status: 404 });
}

export function invalid(message: string): ServiceError {
  return awsError('InvalidParameterValueException', message);
}

export function conflict(message: string): ServiceError {
  return awsError('ResourceConflictException', message);
}

export function revisionMismatch(): ServiceError {
  return awsError('PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
}

/** One constraint failure, as a complete ValidationException. */
export function validation(value: unknown, member: string, constraint: string): ServiceError {
  const v = new Violations();
  v.add(value, member, constraint);
  return v.error()!;
}

// --- constraint collector ------------------------------------------------------------------

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => String(v)).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
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

  oneOf(value: string | undefined, member: string, allowed: readonly string[]): void {
    if (value === undefined || allowed.includes(value)) return;
    this.add(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  pattern(value: string | undefined, member: string, re: RegExp, source: string): void {
    if (value === undefined || re.test(value)) return;
    this.add(value, member, `Member must satisfy regular expression pattern: ${source}`);
  }

  error(): ServiceError | undefined {
    const n = this.messages.length;
    if (n === 0) return undefined;
    const head = n === 1 ? '1 validation error detected: ' : `${n} validation errors detected: `;
    return awsError('ValidationException', head + this.messages.join('; '));
  }

  throwIfAny(): void {
    const e = this.error();
    if (e) throw e;
  }
}

// typed readers of the decoded input: one set for every service
export { optBlob, optBool, optInt, optNumber, optObject, optString, optStringList, optStringMap } from '../../input.js';
