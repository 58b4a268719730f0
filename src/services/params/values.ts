/**
 * @module services/params/values
 * Parameter values: size per tier, Intelligent-Tiering, AllowedPattern, data types, and the
 * sealing of SecureString values.
 *
 * A SecureString value exists in plaintext only in the request that writes it and the response
 * of a read WithDecryption; it is sealed (core/secrets, AES-256-GCM) before it reaches the store,
 * bound to account, region, name and version so a sealed value copied onto another row does not
 * open. Without WithDecryption a reader gets the ciphertext (base64), as AWS hands out the KMS
 * ciphertext blob. Nothing here logs.
 */
import { runInNewContext } from 'node:vm';
import type { SecretBox } from '../../core/secrets.js';
import { awsError } from '../../core/errors.js';
import { LIMITS, type DataType, type ParameterType, type RequestedTier, type StoredTier } from './params.js';
import type { Scope } from './store.js';

export function charCount(value: string): number {
  return [...value].length;
}

/**
 * The tier a new version is stored in. An explicit tier is checked against the value's size;
 * Intelligent-Tiering picks Standard while the value fits and the account has Standard room,
 * Advanced otherwise. A parameter never goes back from Advanced to Standard.
 */
export async function resolveTier(opts: {
  requested: RequestedTier | undefined;
  previous: StoredTier | undefined;
  valueChars: number;
  /** whether the account has used up its Standard parameters (asked only when it matters) */
  standardFull: () => Promise<boolean>;
}): Promise<StoredTier> {
  const { requested, previous, valueChars } = opts;
  if (requested === 'Standard' && previous === 'Advanced') {
    throw awsError('ValidationException',
      'This parameter uses the advanced-parameter tier. You can\'t downgrade a parameter from the advanced-parameter tier to the ' +
      'standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.');
  }
  const effective = requested ?? previous ?? 'Standard';
  if (effective === 'Advanced') return 'Advanced';
  if (effective === 'Standard') {
    if (valueChars > LIMITS.standardValueChars) {
      throw awsError('ValidationException',
        `Standard tier parameters support a maximum parameter value of ${LIMITS.standardValueChars} characters. To create a larger ` +
        'parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see ' +
        'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html');
    }
    return 'Standard';
  }
  // Intelligent-Tiering
  if (previous === 'Advanced' || valueChars > LIMITS.standardValueChars) return 'Advanced';
  return (await opts.standardFull()) ? 'Advanced' : 'Standard';
}

/**
 * AllowedPattern is a regular expression the whole value must match (AWS evaluates it with
 * Java's `matches`). An expression that does not compile is InvalidAllowedPatternException.
 */
export function compileAllowedPattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    try {
      return new RegExp(`^(?:${pattern})$`);
    } catch {
      throw awsError('InvalidAllowedPatternException', 'The request does not meet the regular expression requirement.');
    }
  }
}

/** How long one AllowedPattern check may run: a caller's pattern must not stall the server. */
const PATTERN_BUDGET_MS = 100;

export function checkAllowedPattern(pattern: string | null | undefined, value: string): void {
  if (!pattern) return;
  const re = compileAllowedPattern(pattern);
  let matched: boolean;
  try {
    // the vm timeout interrupts a catastrophically backtracking expression
    matched = runInNewContext('re.test(value)', { re, value }, { timeout: PATTERN_BUDGET_MS }) as boolean;
  } catch {
    throw awsError('InvalidAllowedPatternException', `The allowed pattern took longer than ${PATTERN_BUDGET_MS} ms to evaluate; simplify it.`);
  }
  if (!matched) {
    throw awsError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
  }
}

/** Data types beyond `text` constrain the type and shape of the value. */
export function checkDataType(dataType: DataType, type: ParameterType, value: string): void {
  if (dataType === 'aws:ec2:image') {
    if (type !== 'String') throw awsError('ValidationException', 'The aws:ec2:image data type is only supported for String parameters.');
    if (!/^ami-[0-9a-f]{8,17}$/.test(value) && !/^resolve:ssm:/.test(value)) {
      throw awsError('ValidationException', `Parameter value, ${value}, must be an AMI ID in the format ami-12345abcdeEXAMPLE.`);
    }
  }
  if (dataType === 'aws:ssm:integration' && type !== 'SecureString') {
    throw awsError('ValidationException', 'The aws:ssm:integration data type is only supported for SecureString parameters.');
  }
}

function aad(scope: Scope, name: string, version: number): string {
  return `ssm-parameter:${scope.accountId}:${scope.region}:${name}:${version}`;
}

/** The form a value is stored in: sealed for SecureString, as given otherwise. */
export function toStored(secrets: SecretBox, type: string, scope: Scope, name: string, version: number, plaintext: string): string {
  return type === 'SecureString' ? secrets.seal(plaintext, aad(scope, name, version)) : plaintext;
}

/** The Value a reader sees: plaintext, or for SecureString without decryption the ciphertext. */
export function presentValue(
  secrets: SecretBox, row: { type: string; value: string; name: string; version: number }, scope: Scope, withDecryption: boolean,
): string {
  if (row.type !== 'SecureString') return row.value;
  if (withDecryption) return secrets.open(row.value, aad(scope, row.name, row.version));
  return row.value.startsWith('v1:') ? row.value.slice(3) : row.value;
}
