/**
 * @module services/functions/api/aliases
 * CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias names one version and,
 * with a RoutingConfig, sends a weighted share of invocations to one more version (the weights
 * are stored here; Invoke applies them through `resolve.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { AliasConfiguration, ListAliasesResponse } from '@aws-sdk/client-lambda';
import type { Queryable } from '../../../store/store.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { conflict, invalid, notFound, optObject, optString, revisionMismatch, validation, Violations, type Input } from '../model/input.js';
import { ALIAS_PATTERN, functionArn, isAliasName, isVersionNumber, LATEST, parseFunctionRef, requireUnqualified, type FunctionRef, type Scope } from '../model/names.js';
import { isString, page, pageSize, readMarker } from '../model/paging.js';
import { deleteAlias as deleteAliasRows, getAlias as findAlias, getVersion, listAliases as listAliasRows, putAlias, type AliasRecord } from '../store.js';
import { requireFunction } from './common.js';

function aliasArn(scope: Scope, fn: string, name: string): string {
  return `${functionArn(scope, fn)}:${name}`;
}

export function renderAlias(scope: Scope, fn: string, a: AliasRecord): AliasConfiguration {
  const out: AliasConfiguration = {
    AliasArn: aliasArn(scope, fn, a.name),
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    RevisionId: a.revisionId,
  };
  if (a.routing) out.RoutingConfig = { AdditionalVersionWeights: { ...a.routing } };
  return out;
}

function functionOf(input: Input, ctx: RequestContext, action: string): FunctionRef {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action, maxLength: 140 });
  requireUnqualified(ref);
  return ref;
}

function aliasName(input: Input, v: Violations): string {
  const name = optString(input, 'Name');
  if (v.required(name, 'name')) {
    v.length(name, 'name', 1, 128);
    if (!isAliasName(name!)) v.add(name, 'name', `Member must satisfy regular expression pattern: ${ALIAS_PATTERN}`);
  }
  return name ?? '';
}

function checkVersionMember(version: string | undefined, v: Violations): void {
  v.length(version, 'functionVersion', 1, 1024);
  if (version !== undefined && version !== LATEST && !isVersionNumber(version)) {
    v.add(version, 'functionVersion', 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
  }
}

async function requireVersion(tx: Queryable, ref: FunctionRef, version: string): Promise<void> {
  if (!(await getVersion(tx, ref.scope, ref.name, version))) throw notFound(`Function not found: ${functionArn(ref.scope, ref.name)}:${version}`);
}

/** AdditionalVersionWeights, checked against the alias's primary version; null when none. */
async function readRouting(tx: Queryable, ref: FunctionRef, input: Input, primary: string): Promise<Record<string, number> | null> {
  const routing = optObject(input, 'RoutingConfig');
  const weights = routing ? optObject(routing, 'AdditionalVersionWeights') : undefined;
  if (!weights || Object.keys(weights).length === 0) return null;
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalid('Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [version, weight] = entries[0];
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
    throw validation(`{${version}=${String(weight)}}`, 'routingConfig.additionalVersionWeights',
      'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
  }
  if (!isVersionNumber(version)) {
    throw validation(`{${version}=${weight}}`, 'routingConfig.additionalVersionWeights',
      'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]');
  }
  if (primary === LATEST) throw invalid('$LATEST is not supported for an alias pointing to more than 1 version');
  if (version === primary) throw invalid(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
  await requireVersion(tx, ref, version);
  return { [version]: weight };
}

export async function createAlias(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<AliasConfiguration> {
  const ref = functionOf(input, ctx, 'lambda:CreateAlias');
  const v = new Violations();
  const name = aliasName(input, v);
  const version = optString(input, 'FunctionVersion');
  if (v.required(version, 'functionVersion')) checkVersionMember(version, v);
  const description = optString(input, 'Description') ?? '';
  v.length(description, 'description', 0, 256);
  v.throwIfAny();
  const alias = await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    await requireVersion(tx, ref, version!);
    if (await findAlias(tx, ref.scope, ref.name, name)) throw conflict(`Alias already exists: ${aliasArn(ref.scope, ref.name, name)}`);
    const a: AliasRecord = { name, functionVersion: version!, description, routing: await readRouting(tx, ref, input, version!), revisionId: randomUUID() };
    await putAlias(tx, ref.scope, ref.name, a, true);
    return a;
  });
  return renderAlias(ref.scope, ref.name, alias);
}

async function requireAlias(tx: Queryable, ref: FunctionRef, name: string): Promise<AliasRecord> {
  await requireFunction(tx, ref);
  const a = await findAlias(tx, ref.scope, ref.name, name);
  if (!a) throw notFound(`Cannot find alias arn: ${aliasArn(ref.scope, ref.name, name)}`);
  return a;
}

export async function getAlias(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<AliasConfiguration> {
  const ref = functionOf(input, ctx, 'lambda:GetAlias');
  const v = new Violations();
  const name = aliasName(input, v);
  v.throwIfAny();
  return renderAlias(ref.scope, ref.name, await requireAlias(d.store, ref, name));
}

export async function updateAlias(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<AliasConfiguration> {
  const ref = functionOf(input, ctx, 'lambda:UpdateAlias');
  const v = new Violations();
  const name = aliasName(input, v);
  const version = optString(input, 'FunctionVersion');
  checkVersionMember(version, v);
  const description = optString(input, 'Description');
  v.length(description, 'description', 0, 256);
  const revisionId = optString(input, 'RevisionId');
  v.throwIfAny();
  const alias = await d.store.transaction(async (tx) => {
    const current = await requireAlias(tx, ref, name);
    if (revisionId !== undefined && revisionId !== current.revisionId) throw revisionMismatch();
    if (version !== undefined) await requireVersion(tx, ref, version);
    const primary = version ?? current.functionVersion;
    const routing = input.RoutingConfig === undefined ? current.routing : await readRouting(tx, ref, input, primary);
    if (routing && primary in routing) {
      throw invalid(`Invalid function version ${primary}. Function version ${primary} is already included in routing configuration.`);
    }
    const a: AliasRecord = { name, functionVersion: primary, description: description ?? current.description, routing, revisionId: randomUUID() };
    await putAlias(tx, ref.scope, ref.name, a, false);
    return a;
  });
  return renderAlias(ref.scope, ref.name, alias);
}

export async function deleteAlias(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = functionOf(input, ctx, 'lambda:DeleteAlias');
  const v = new Violations();
  const name = aliasName(input, v);
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    await deleteAliasRows(tx, ref.scope, ref.name, name);
  });
  return {};
}

export async function listAliases(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListAliasesResponse> {
  const ref = functionOf(input, ctx, 'lambda:ListAliases');
  const version = optString(input, 'FunctionVersion');
  const v = new Violations();
  checkVersionMember(version, v);
  v.throwIfAny();
  const size = pageSize(input);
  const after = readMarker(input, isString) ?? '';
  await requireFunction(d.store, ref);
  // the version filter runs after the keyset query: read until a page is full or rows run out
  const matched: AliasRecord[] = [];
  let from = after;
  for (;;) {
    const rows = await listAliasRows(d.store, ref.scope, ref.name, from, 200);
    matched.push(...rows.filter((a) => version === undefined || a.functionVersion === version));
    if (rows.length < 200 || matched.length > size) break;
    from = rows[rows.length - 1].name;
  }
  const { items, next } = page(matched, size, (last) => last.name);
  return { Aliases: items.map((a) => renderAlias(ref.scope, ref.name, a)), NextMarker: next };
}
