/**
 * @module services/functions/model/names
 * Function names, ARNs and qualifiers, resolved everywhere AWS accepts them:
 *
 *   my-function                                   name
 *   my-function:prod   my-function:3              name with a qualifier (alias or version)
 *   123456789012:function:my-function             partial ARN
 *   arn:aws:lambda:us-east-1:123456789012:function:my-function[:qualifier]
 *
 * A region in the ARN must be the caller's (Lambda answers "not reachable in this region"), and
 * the account must be the caller's: Signalbox has no cross-account resource policies yet.
 */
import { awsError } from '../../../core/errors.js';
import type { RequestContext } from '../../service.js';
import { invalid, notFound, validation } from './input.js';

export interface Scope {
  accountId: string;
  region: string;
}

export const LATEST = '$LATEST';

export type QualifierKind = 'latest' | 'version' | 'alias';

export interface FunctionRef {
  scope: Scope;
  name: string;
  /** absent: the unqualified function */
  qualifier?: string;
}

/** AWS's own pattern, quoted in its ValidationException messages. */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

const FUNCTION_REF = new RegExp(
  '^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\\d):)?' +
    '(?:(?<account>\\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9-_]+)(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9-_]+))?$',
);
const QUALIFIER = /^[a-zA-Z0-9$_-]+$/;
const VERSION = /^[0-9]+$/;
/** an alias name: not all digits (that is a version) */
export const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const ALIAS = /^(?!^[0-9]+$)[a-zA-Z0-9-_]+$/;

export function functionArn(scope: Scope, name: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
}

export function qualifiedArn(scope: Scope, name: string, qualifier: string | undefined): string {
  return qualifier === undefined ? functionArn(scope, name) : `${functionArn(scope, name)}:${qualifier}`;
}

export function kindOf(qualifier: string | undefined): QualifierKind {
  if (qualifier === undefined || qualifier === LATEST) return 'latest';
  return VERSION.test(qualifier) ? 'version' : 'alias';
}

export function isAliasName(s: string): boolean {
  return ALIAS.test(s) && s.length <= 128;
}

export function isVersionNumber(s: string): boolean {
  return VERSION.test(s);
}

/** Who is asking: enough of a RequestContext to resolve names (the invoke path has one too). */
export type Caller = Pick<RequestContext, 'accountId' | 'region' | 'principalArn'>;

export function scopeOf(ctx: Caller): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}

/** "Function not found: arn:…" for the reference as the caller gave it. */
export function functionNotFound(ref: FunctionRef): Error {
  return notFound(`Function not found: ${qualifiedArn(ref.scope, ref.name, ref.qualifier)}`);
}

export interface RefOptions {
  /** the Qualifier member, when the operation has one */
  qualifier?: string;
  /** the action named in an access-denied message (lambda:GetFunction) */
  action: string;
  /** longest accepted reference (140 for most operations, 170 where AWS allows more) */
  maxLength?: number;
}

/**
 * Reads a FunctionName member into a reference in the caller's scope. Throws AWS's
 * ValidationException for a malformed name or qualifier, and InvalidParameterValueException when
 * the name's qualifier and the Qualifier member disagree.
 */
export function parseFunctionRef(raw: unknown, ctx: Caller, opts: RefOptions): FunctionRef {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw validation(raw ?? null, 'functionName', raw === undefined || raw === null ? 'Member must not be null' : 'Member must have length greater than or equal to 1');
  }
  const max = opts.maxLength ?? 170;
  if (raw.length > max) throw validation(raw, 'functionName', `Member must have length less than or equal to ${max}`);
  const m = FUNCTION_REF.exec(raw);
  if (!m?.groups) throw validation(raw, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
  const { region, account, name, qualifier: fromName } = m.groups;
  if (region !== undefined && region !== ctx.region) {
    throw notFound(`Functions from '${region}' are not reachable in this region ('${ctx.region}')`);
  }
  const scope = scopeOf(ctx);
  if (account !== undefined && account !== ctx.accountId) {
    throw awsError('AccessDeniedException',
      `User: ${ctx.principalArn} is not authorized to perform: ${opts.action} on resource: ${qualifiedArn({ accountId: account, region: ctx.region }, name, fromName)}`,
      undefined, { status: 403 });
  }
  const qualifier = checkQualifier(opts.qualifier);
  if (qualifier !== undefined && fromName !== undefined && qualifier !== fromName) {
    throw invalid('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { scope, name, qualifier: qualifier ?? fromName };
}

function checkQualifier(q: string | undefined): string | undefined {
  if (q === undefined) return undefined;
  if (q.length > 128) throw validation(q, 'qualifier', 'Member must have length less than or equal to 128');
  if (!QUALIFIER.test(q)) throw validation(q, 'qualifier', 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)');
  return q;
}

/** Operations that act on the function as a whole refuse a qualified name. */
export function requireUnqualified(ref: FunctionRef): void {
  if (ref.qualifier !== undefined) {
    throw invalid('This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.');
  }
}

// --- layers -------------------------------------------------------------------------------------

export const LAYER_NAME_PATTERN = '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
const LAYER_NAME = /^(?:arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<arnName>[a-zA-Z0-9-_]+)|(?<name>[a-zA-Z0-9-_]+))$/;
export const LAYER_VERSION_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const LAYER_VERSION_ARN = /^arn:(?:aws[a-zA-Z-]*)?:lambda:(?<region>[a-z]{2}(?:(?:-gov)|(?:-iso(?:b?)))?-[a-z]+-\d):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+):(?<version>[0-9]+)$/;

export function layerArn(scope: Scope, name: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:layer:${name}`;
}

export function layerVersionArn(scope: Scope, name: string, version: number): string {
  return `${layerArn(scope, name)}:${version}`;
}

/** A LayerName member (name or layer ARN) → the layer in the caller's scope. */
export function parseLayerName(raw: unknown, ctx: RequestContext): { scope: Scope; name: string } {
  if (typeof raw !== 'string' || raw.length === 0) throw validation(raw ?? null, 'layerName', 'Member must not be null');
  if (raw.length > 140) throw validation(raw, 'layerName', 'Member must have length less than or equal to 140');
  const m = LAYER_NAME.exec(raw);
  if (!m?.groups) throw validation(raw, 'layerName', `Member must satisfy regular expression pattern: ${LAYER_NAME_PATTERN}`);
  const { region, account, arnName, name } = m.groups;
  if ((region !== undefined && region !== ctx.region) || (account !== undefined && account !== ctx.accountId)) {
    throw notFound('The resource you requested does not exist.');
  }
  return { scope: scopeOf(ctx), name: arnName ?? name };
}

export interface LayerVersionRef {
  scope: Scope;
  name: string;
  version: number;
  arn: string;
}

/** A layer version ARN, or undefined when the text is not one. */
export function parseLayerVersionArn(raw: string): LayerVersionRef | undefined {
  const m = LAYER_VERSION_ARN.exec(raw);
  if (!m?.groups) return undefined;
  const scope = { accountId: m.groups.account, region: m.groups.region };
  return { scope, name: m.groups.name, version: Number(m.groups.version), arn: raw };
}
