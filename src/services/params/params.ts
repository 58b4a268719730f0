/**
 * @module services/params/params
 * What a parameter is: its name rules, its ARN, its types, tiers and data types, and how a
 * reference (`name`, `name:3`, `name:label`, or the ARN of any of them) is read.
 *
 * Kept free of I/O so the rules can be tested on their own and shared by every operation; the
 * limits are AWS's published quotas for Parameter Store.
 */
import { formatArn, parseArn } from '../../core/arn.js';
import { awsError } from '../../core/errors.js';
import type { Scope } from './store.js';
import { Violations } from './validation.js';

export const LIMITS = {
  maxVersions: 100,
  standardValueChars: 4096,
  advancedValueChars: 8192,
  maxDescription: 1024,
  maxAllowedPattern: 1024,
  maxHierarchyLevels: 15,
  /** the model's constraint on the Name member */
  maxNameInput: 2048,
  /** AWS: a name may be 1011 characters long including the ARN prefix that precedes it */
  maxQualifiedName: 1011,
  standardParameters: 10_000,
  advancedParameters: 100_000,
  maxTagsPerResource: 50,
  maxLabelsPerVersion: 10,
  maxNamesPerCall: 10,
} as const;

export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];
/** the order AWS lists them in its enum validation message */
export const PARAMETER_TYPES_AWS_ORDER = ['SecureString', 'StringList', 'String'] as const;

export const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;
export type RequestedTier = (typeof TIERS)[number];
/** What a version is actually stored as: Intelligent-Tiering resolves to one of these. */
export type StoredTier = 'Standard' | 'Advanced';

export const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const DEFAULT_KEY_ID = 'alias/aws/ssm';

export function isParameterType(s: string): s is ParameterType {
  return (PARAMETER_TYPES as readonly string[]).includes(s);
}

// --- names -------------------------------------------------------------------------------

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;

export const INVALID_NAME_MESSAGE =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of ' +
  'sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

export const INVALID_PATH_MESSAGE =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". ' +
  'It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following ' +
  'symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, ' +
  'must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

/** AWS trims spaces around a name before using it. */
export function normaliseName(name: string): string {
  return name.trim();
}

/** The ARN of a parameter: the leading '/' of a hierarchical name is not repeated after `parameter/`. */
export function parameterArn(scope: Scope, name: string): string {
  return formatArn({ service: 'ssm', region: scope.region, accountId: scope.accountId, resource: `parameter/${name.replace(/^\//, '')}` });
}

function levels(name: string): number {
  return name.split('/').filter((s) => s !== '').length;
}

function reservedPrefix(name: string): boolean {
  const first = name.replace(/^\//, '').toLowerCase();
  return first.startsWith('aws') || first.startsWith('ssm');
}

/** Rules for a name that is being created or written (PutParameter). Throws as AWS does. */
export function validateNewName(name: string, scope: Scope): void {
  const v = new Violations();
  v.length(name, 'name', 1, LIMITS.maxNameInput);
  v.throwIfAny();
  if (/^\/aws\//i.test(name)) throw awsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
  if (reservedPrefix(name)) throw awsError('ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  if (!NAME_CHARS.test(name)) throw awsError('ValidationException', INVALID_NAME_MESSAGE);
  if (name.includes('/')) {
    if (!name.startsWith('/')) throw awsError('ValidationException', 'Parameter name must be a fully qualified name.');
    if (name.includes('//') || name.endsWith('/')) throw awsError('ValidationException', INVALID_NAME_MESSAGE);
  }
  if (levels(name) > LIMITS.maxHierarchyLevels) {
    throw awsError('HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.');
  }
  const qualified = parameterArn(scope, name);
  if (qualified.length > LIMITS.maxQualifiedName) {
    throw awsError('ValidationException',
      `Parameter name is too long: with its ARN prefix it has ${qualified.length} characters and the maximum is ${LIMITS.maxQualifiedName}.`);
  }
}

/** The hierarchy level a name sits in, as stored in `parent_path`: '/a/b' for '/a/b/c', '/' for '/c' and 'c'. */
export function parentPath(name: string): string {
  const i = name.lastIndexOf('/');
  return i <= 0 ? '/' : name.slice(0, i);
}

/**
 * A Path given to GetParametersByPath or a Path filter: normalised (no trailing '/') or
 * ValidationException. Reserved prefixes are the caller's concern (they differ per operation).
 */
export function normalisePath(path: string): string {
  const p = path.trim();
  if (!p.startsWith('/') || !NAME_CHARS.test(p) || p.includes('//')) throw awsError('ValidationException', INVALID_PATH_MESSAGE);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

// --- references: name, name:version, name:label, ARN -------------------------------------

export type Selector = { kind: 'version'; version: number; text: string } | { kind: 'label'; label: string; text: string };

export interface Reference {
  /** names to try, in order: an ARN of a top-level name may mean 'x' or '/x' */
  candidates: string[];
  selector?: Selector;
}

function parseSelector(text: string): Selector | null {
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const version = Number(text);
    return version >= 1 && Number.isSafeInteger(version) ? { kind: 'version', version, text } : null;
  }
  return { kind: 'label', label: text, text };
}

/**
 * Reads what a caller named. `null` means it cannot denote any parameter of this scope (an
 * ARN of another account, region or service, an empty selector): the caller reports "not found".
 */
export function parseReference(raw: string, scope: Scope, allowArn: boolean): Reference | null {
  const ref = normaliseName(raw);
  let body = ref;
  let fromArn = false;
  if (allowArn && ref.startsWith('arn:')) {
    const arn = parseArn(ref);
    if (!arn || arn.service !== 'ssm' || arn.region !== scope.region || arn.accountId !== scope.accountId) return null;
    if (!arn.resource.startsWith('parameter/')) return null;
    body = arn.resource.slice('parameter/'.length);
    fromArn = true;
  }
  const colon = body.indexOf(':');
  let selector: Selector | undefined;
  if (colon >= 0) {
    const s = parseSelector(body.slice(colon + 1));
    if (!s) return null;
    selector = s;
    body = body.slice(0, colon);
  }
  if (body === '') return null;
  let candidates = [body];
  if (fromArn) candidates = body.includes('/') ? [`/${body}`] : [body, `/${body}`];
  return { candidates, selector };
}

/** Parameters belong to the caller's account and region. */
export function scopeOf(ctx: { accountId: string; region: string }): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}
