/**
 * @module services/functions/api/common
 * Look-ups every group of operations shares: a function that must exist, a qualifier resolved to
 * the version it means (through an alias when it names one), layers resolved to their packages,
 * and the rule that a function being created or updated accepts no other change meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../store/store.js';
import type { FunctionsDeps } from '../deps.js';
import type { LayerRef, VersionRecord } from '../model/configuration.js';
import { conflict, invalid, notFound } from '../model/input.js';
import {
  functionArn, functionNotFound, kindOf, LATEST, parseLayerVersionArn, type FunctionRef, type Scope,
} from '../model/names.js';
import {
  getAlias, getFunction, getLayerVersion, getVersion, setRevision, unreferencedCode, type AliasRecord, type FunctionRecord,
} from '../store.js';

export async function requireFunction(db: Queryable, ref: FunctionRef): Promise<FunctionRecord> {
  const f = await getFunction(db, ref.scope, ref.name);
  if (!f) throw notFound(`Function not found: ${functionArn(ref.scope, ref.name)}`);
  return f;
}

export async function requireLatest(db: Queryable, ref: FunctionRef): Promise<VersionRecord> {
  const v = await getVersion(db, ref.scope, ref.name, LATEST);
  if (!v) throw notFound(`Function not found: ${functionArn(ref.scope, ref.name)}`);
  return v;
}

/** What a qualifier means: the version it runs, and the alias that led there (if one did). */
export interface Target {
  /** the qualifier as given, '$LATEST' when none */
  qualifier: string;
  version: VersionRecord;
  alias?: AliasRecord;
}

/** Resolves `ref` (unqualified, $LATEST, a version or an alias) or answers "Function not found". */
export async function resolveTarget(db: Queryable, ref: FunctionRef): Promise<Target> {
  const qualifier = ref.qualifier ?? LATEST;
  let versionName = qualifier;
  let alias: AliasRecord | undefined;
  if (kindOf(ref.qualifier) === 'alias') {
    alias = await getAlias(db, ref.scope, ref.name, qualifier);
    if (!alias) throw functionNotFound(ref);
    versionName = alias.functionVersion;
  }
  const version = await getVersion(db, ref.scope, ref.name, versionName);
  if (!version) throw functionNotFound(ref);
  return { qualifier, version, alias };
}

/**
 * Lambda refuses changes while the function is still being created or an update is landing
 * (clients wait with the FunctionActiveV2 / FunctionUpdatedV2 waiters).
 */
export function refuseWhileBusy(latest: VersionRecord, scope: Scope): void {
  if (latest.state === 'Pending') {
    throw conflict('The operation cannot be performed at this time. The function is currently in the following state: Pending');
  }
  if (latest.updateStatus === 'InProgress') {
    throw conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(scope, latest.functionName)}`);
  }
}

export interface ResolvedLayers {
  refs: LayerRef[];
  /** the layers' unzipped bytes together */
  unzippedSize: number;
}

/** Layer version ARNs → the packages they name, in the function's order. */
export async function resolveLayers(db: Queryable, scope: Scope, arns: string[]): Promise<ResolvedLayers> {
  const refs: LayerRef[] = [];
  const seen = new Map<string, string>();
  let unzippedSize = 0;
  for (const arn of arns) {
    const ref = parseLayerVersionArn(arn)!;
    if (ref.scope.region !== scope.region) {
      throw invalid(`Layers are not in the same region as the function. Layers are expected to be in region ${scope.region}.`);
    }
    const layer = ref.scope.accountId === scope.accountId ? await getLayerVersion(db, scope, ref.name, ref.version) : undefined;
    if (!layer) throw invalid(`Layer version ${arn} does not exist.`);
    const layerKey = `${ref.scope.accountId}:${ref.name}`;
    const other = seen.get(layerKey);
    if (other !== undefined) {
      throw invalid(`Two different versions of the same layer are not allowed to be referenced in the same function. ${other} and ${arn} are versions of the same layer.`);
    }
    seen.set(layerKey, arn);
    refs.push({ arn, codeId: layer.codeId, codeSize: layer.codeSize });
    unzippedSize += layer.unzippedSize;
  }
  return { refs, unzippedSize };
}

/** A new RevisionId for a version (anything about it changed: policy, tags, state). */
export async function bumpRevision(db: Queryable, scope: Scope, name: string, version: string): Promise<string> {
  const id = randomUUID();
  await setRevision(db, scope, name, version, id);
  return id;
}

/** After a commit that may have orphaned packages: drop their rows (in `tx`) and, later, files. */
export async function collectGarbage(db: Queryable, ids: string[]): Promise<string[]> {
  return unreferencedCode(db, [...new Set(ids)]);
}

export function removePackages(d: FunctionsDeps, ids: string[]): void {
  for (const id of ids) void d.deployer.removeFiles(id);
}

