/**
 * @module services/params/labels
 * Parameter labels: which strings may be labels and what labelling a version does.
 *
 * AWS answers a label that breaks the naming rules not with an error but by listing it in
 * `InvalidLabels` and attaching the others; only a length outside 1–100 is a request error.
 * A label names at most one version of a parameter: attaching it elsewhere moves it. A version
 * carries at most 10 labels.
 */
import { awsError } from '../../core/errors.js';
import { LIMITS } from './params.js';

export const MAX_LABEL_LENGTH = 100;

/** Letters, digits, '.', '-', '_'; not starting with a digit, 'aws' or 'ssm' (any case). */
export function isValidLabel(label: string): boolean {
  return /^[a-zA-Z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}

/** Request-level checks on a Labels member (LabelParameterVersion, UnlabelParameterVersion). */
export function checkLabelList(labels: readonly string[]): void {
  if (labels.length === 0) {
    throw awsError('ValidationException',
      "1 validation error detected: Value '[]' at 'labels' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  for (const label of labels) {
    if (label.length < 1 || label.length > MAX_LABEL_LENGTH) {
      throw awsError('ValidationException',
        `1 validation error detected: Value '[${labels.join(', ')}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: ` +
        `[Member must have length less than or equal to ${MAX_LABEL_LENGTH}, Member must have length greater than or equal to 1]`);
    }
  }
}

export interface LabelPlan {
  /** valid labels not yet on the target version: to insert or move there */
  attach: string[];
  invalid: string[];
}

/**
 * Decides what LabelParameterVersion does to `target` given the labels the parameter already
 * has (label → version). Throws ParameterVersionLabelLimitExceeded when the version would end up
 * with more than 10 labels, before anything is written.
 */
export function planLabels(requested: readonly string[], current: ReadonlyMap<string, number>, target: number): LabelPlan {
  const attach: string[] = [];
  const invalid: string[] = [];
  for (const label of requested) {
    if (!isValidLabel(label)) {
      if (!invalid.includes(label)) invalid.push(label);
      continue;
    }
    if (current.get(label) === target || attach.includes(label)) continue;
    attach.push(label);
  }
  let onTarget = 0;
  for (const v of current.values()) if (v === target) onTarget++;
  if (onTarget + attach.length > LIMITS.maxLabelsPerVersion) {
    throw awsError('ParameterVersionLabelLimitExceeded',
      'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
  }
  return { attach, invalid };
}
