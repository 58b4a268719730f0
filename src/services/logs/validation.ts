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
import { Violations as SharedViolations } from '../violations.js';

export type Input = Record<string, unknown>;

export function invalidParameter(message: string): never {
  throw awsError('InvalidParameterException', message);
}

/** The shared constraint collector, answering InvalidParameterException as CloudWatch Logs does. */
export class Violations extends SharedViolations {
  constructor() {
    super('InvalidParameterException');
  }
}

// typed readers of the decoded input: one set for every service
export { optBool, optInt, optNumber, optObjectList, optString, optStringList, optStringMap } from '../input.js';
