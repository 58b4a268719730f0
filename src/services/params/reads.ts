/**
 * @module services/params/reads
 * GetParameter, GetParameters and GetParameterHistory: reading named parameters.
 *
 * A name may carry a selector (`name:3`, `name:prod`) and may be given as the parameter's ARN;
 * `resolve` turns any of these into one stored version or a typed "not found", which GetParameter
 * throws and GetParameters reports in InvalidParameters. SecureString values are opened only
 * when WithDecryption is true.
 */
import type { GetParameterHistoryResult, GetParameterResult, GetParametersResult, Parameter, ParameterHistory } from '@aws-sdk/client-ssm';
import { awsError, type ServiceError } from '../../core/errors.js';
import type { RequestContext, ServiceDeps } from '../service.js';
import { decodeVersionToken, encodeToken, pageSize } from './paging.js';
import { LIMITS, parseReference, scopeOf, type Selector } from './params.js';
import { toHistory, toParameter } from './shapes.js';
import { labelsOf, latestVersion, versionByLabel, versionOf, versionsPage, type Scope, type VersionRecord } from './store.js';
import type { Queryable } from '../../store/store.js';
import { optBool, optInt, optString, optStringList, Violations } from './validation.js';

type Input = Record<string, unknown>;
type Deps = Pick<ServiceDeps, 'store' | 'secrets'>;

type Resolved = { ok: true; rec: VersionRecord; selector?: Selector } | { ok: false; error: ServiceError };

/** Finds the version a reference denotes; never throws for "not found", returns it. */
export async function resolve(db: Queryable, scope: Scope, raw: string): Promise<Resolved> {
  const ref = parseReference(raw, scope, true);
  const missing = (): Resolved => ({ ok: false, error: awsError('ParameterNotFound', `Parameter ${raw} not found.`) });
  if (!ref) return missing();
  for (const name of ref.candidates) {
    const latest = await latestVersion(db, scope, name);
    if (!latest) continue;
    const sel = ref.selector;
    if (!sel) return { ok: true, rec: latest };
    if (sel.kind === 'version') {
      const rec = await versionOf(db, scope, name, sel.version);
      if (rec) return { ok: true, rec, selector: sel };
      return {
        ok: false,
        error: awsError('ParameterVersionNotFound', `Systems Manager could not find version ${sel.version} of ${name}. Verify the version and try again.`),
      };
    }
    const rec = await versionByLabel(db, scope, name, sel.label);
    if (rec) return { ok: true, rec, selector: sel };
    return { ok: false, error: awsError('ParameterNotFound', `Parameter ${name}:${sel.label} not found: no version of ${name} has the label ${sel.label}.`) };
  }
  return missing();
}

export async function getParameter(d: Deps, input: Input, ctx: RequestContext): Promise<GetParameterResult> {
  const v = new Violations();
  const name = optString(input, 'Name');
  const withDecryption = optBool(input, 'WithDecryption') ?? false;
  if (v.required(name, 'name')) v.length(name, 'name', 1, LIMITS.maxNameInput);
  v.throwIfAny();
  const scope = scopeOf(ctx);
  const r = await resolve(d.store, scope, name!);
  if (!r.ok) throw r.error;
  return { Parameter: toParameter(d.secrets, scope, r.rec, withDecryption, r.selector) };
}

export async function getParameters(d: Deps, input: Input, ctx: RequestContext): Promise<GetParametersResult> {
  const v = new Violations();
  const names = optStringList(input, 'Names');
  const withDecryption = optBool(input, 'WithDecryption') ?? false;
  if (v.required(names, 'names')) v.length(names, 'names', 1, LIMITS.maxNamesPerCall);
  v.throwIfAny();
  const scope = scopeOf(ctx);
  const Parameters: Parameter[] = [];
  const InvalidParameters: string[] = [];
  for (const name of new Set(names)) {
    const r = await resolve(d.store, scope, name);
    if (r.ok) Parameters.push(toParameter(d.secrets, scope, r.rec, withDecryption, r.selector));
    else InvalidParameters.push(name);
  }
  return { Parameters, InvalidParameters };
}

export async function getParameterHistory(d: Deps, input: Input, ctx: RequestContext): Promise<GetParameterHistoryResult> {
  const v = new Violations();
  const raw = optString(input, 'Name');
  const withDecryption = optBool(input, 'WithDecryption') ?? false;
  if (v.required(raw, 'name')) v.length(raw, 'name', 1, LIMITS.maxNameInput);
  v.throwIfAny();
  const limit = pageSize(optInt(input, 'MaxResults'), 50, 50);
  const after = decodeVersionToken(optString(input, 'NextToken'));
  const scope = scopeOf(ctx);

  // History is of a parameter, not of a version: a selector names nothing here.
  const ref = parseReference(raw!, scope, true);
  let latest: VersionRecord | undefined;
  if (ref && !ref.selector) {
    for (const candidate of ref.candidates) if ((latest = await latestVersion(d.store, scope, candidate))) break;
  }
  if (!latest) throw awsError('ParameterNotFound', `Parameter ${raw} not found.`);
  const name = latest.name;

  const rows = await versionsPage(d.store, scope, name, after, limit + 1);
  const labels = await labelsOf(d.store, scope, name);
  const byVersion = new Map<number, string[]>();
  for (const [label, version] of labels) byVersion.set(version, [...(byVersion.get(version) ?? []), label]);
  const page = rows.slice(0, limit);
  const Parameters: ParameterHistory[] = page.map((rec) => toHistory(d.secrets, scope, rec, byVersion.get(rec.version) ?? [], withDecryption));
  const out: GetParameterHistoryResult = { Parameters };
  if (rows.length > limit) out.NextToken = encodeToken({ k: 'history', v: page[page.length - 1].version });
  return out;
}
