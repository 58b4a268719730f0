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
import { Violations } from '../../violations.js';

export { Violations };

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

// typed readers of the decoded input: one set for every service
export { optBlob, optBool, optInt, optNumber, optObject, optString, optStringList, optStringMap } from '../../input.js';
