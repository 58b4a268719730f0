/**
 * @module services/params/listing
 * GetParametersByPath and DescribeParameters: filtered, paginated listings.
 *
 * Both walk the scope's parameters in name order. SQL narrows by hierarchy; the remaining
 * filters (filters.ts) are evaluated on each row, batch after batch, until a page is full, so a
 * page holds exactly MaxResults matches when that many exist and NextToken appears only when
 * another match follows. (AWS may return short pages with a NextToken; callers that loop on
 * NextToken, as the SDK paginators and the CLI do, see the same items either way.)
 */
import type { DescribeParametersResult, GetParametersByPathResult, Parameter, ParameterMetadata } from '@aws-sdk/client-ssm';
import { awsError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext, ServiceDeps } from '../service.js';
import { compileLegacyFilters, compileParameterFilters, type CompiledFilters } from './filters.js';
import { decodeNameToken, encodeToken, pageSize } from './paging.js';
import { LIMITS, normalisePath, scopeOf } from './params.js';
import { toMetadata, toParameter } from './shapes.js';
import { labelsForNames, listLatest, tagsForNames, versionOf, type PathScope, type Scope, type VersionRecord } from './store.js';
import { optBool, optInt, optObjectList, optString, Violations } from './validation.js';

type Input = Record<string, unknown>;
type Deps = Pick<ServiceDeps, 'store' | 'secrets'>;

/** Rows read per query while filling a page. */
const BATCH = 200;

interface Match {
  rec: VersionRecord;
  labels?: ReadonlyMap<string, number>;
}

/** Up to `limit` matches after `after`, and whether at least one more exists. */
async function scan(
  db: Queryable, scope: Scope, paths: PathScope[] | undefined, filters: CompiledFilters, after: string | undefined, limit: number,
): Promise<{ items: Match[]; more: boolean }> {
  const items: Match[] = [];
  let cursor = after;
  for (;;) {
    const rows = await listLatest(db, scope, { after: cursor, limit: BATCH, paths });
    if (rows.length === 0) return { items, more: false };
    const names = rows.map((r) => r.name);
    const tags = filters.needsTags ? await tagsForNames(db, scope, names) : undefined;
    const labels = filters.needsLabels ? await labelsForNames(db, scope, names) : undefined;
    for (const rec of rows) {
      const candidate = { ...rec, tags: tags?.get(rec.name) ?? new Map(), labels: labels?.get(rec.name) ?? new Map() };
      if (!filters.matches(candidate)) continue;
      if (items.length === limit) return { items, more: true };
      items.push({ rec, labels: candidate.labels });
    }
    if (rows.length < BATCH) return { items, more: false };
    cursor = rows[rows.length - 1].name;
  }
}

export async function getParametersByPath(d: Deps, input: Input, ctx: RequestContext): Promise<GetParametersByPathResult> {
  const v = new Violations();
  const rawPath = optString(input, 'Path');
  if (v.required(rawPath, 'path')) v.length(rawPath, 'path', 1, LIMITS.maxNameInput);
  const recursive = optBool(input, 'Recursive') ?? false;
  const withDecryption = optBool(input, 'WithDecryption') ?? false;
  const rawFilters = optObjectList(input, 'ParameterFilters');
  v.throwIfAny();
  const path = normalisePath(rawPath!);
  const filters = compileParameterFilters(rawFilters, 'path');
  const limit = pageSize(optInt(input, 'MaxResults'), 10, 10);
  const after = decodeNameToken(optString(input, 'NextToken'), 'path');
  const scope = scopeOf(ctx);

  const { items, more } = await scan(d.store, scope, [{ path, recursive }], filters, after, limit);
  const Parameters: Parameter[] = [];
  for (const m of items) {
    let rec = m.rec;
    if (filters.labels) {
      // With a Label filter the labelled version is returned (the newest one if several labels match).
      const versions = filters.labels.map((l) => m.labels?.get(l)).filter((x): x is number => x !== undefined);
      const labelled = Math.max(...versions);
      if (labelled !== rec.version) rec = (await versionOf(d.store, scope, rec.name, labelled)) ?? rec;
    }
    Parameters.push(toParameter(d.secrets, scope, rec, withDecryption));
  }
  const out: GetParametersByPathResult = { Parameters };
  if (more) out.NextToken = encodeToken({ k: 'path', n: items[items.length - 1].rec.name });
  return out;
}

export async function describeParameters(d: Deps, input: Input, ctx: RequestContext): Promise<DescribeParametersResult> {
  const legacy = optObjectList(input, 'Filters');
  const parameterFilters = optObjectList(input, 'ParameterFilters');
  const shared = optBool(input, 'Shared') ?? false;
  if (legacy && parameterFilters) {
    throw awsError('ValidationException', 'You can use either Filters or ParameterFilters in a single request.');
  }
  const filters = legacy ? compileLegacyFilters(legacy) : compileParameterFilters(parameterFilters, 'describe');
  const limit = pageSize(optInt(input, 'MaxResults'), 50, 10);
  const after = decodeNameToken(optString(input, 'NextToken'), 'describe');
  // Parameters shared from other accounts (RAM) do not exist here.
  if (shared) return { Parameters: [] };
  const scope = scopeOf(ctx);

  const { items, more } = await scan(d.store, scope, filters.paths, filters, after, limit);
  const Parameters: ParameterMetadata[] = items.map((m) => toMetadata(scope, m.rec));
  const out: DescribeParametersResult = { Parameters };
  if (more) out.NextToken = encodeToken({ k: 'describe', n: items[items.length - 1].rec.name });
  return out;
}
