/**
 * @module services/functions/api/read
 * GetFunction, GetFunctionConfiguration, ListFunctions. A qualifier (in the name or the Qualifier
 * member) reads a version or, through an alias, the version the alias points at; the ARN
 * answered is the one asked for (alias ARN for an alias), as AWS answers it.
 */
import type { FunctionConfiguration, GetFunctionResponse, ListFunctionsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { codeLocation } from '../model/code-location.js';
import { renderConfiguration } from '../model/configuration.js';
import { optString, validation, type Input } from '../model/input.js';
import { LATEST, parseFunctionRef, scopeOf } from '../model/names.js';
import { isNumber, isString, page, pageSize, readMarker } from '../model/paging.js';
import { getFunction as findFunction, listFunctionVersions, tagsOf } from '../store.js';
import { resolveTarget } from './common.js';

export async function getFunction(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<GetFunctionResponse> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action: 'lambda:GetFunction' });
  const target = await resolveTarget(d.store, ref);
  const fn = await findFunction(d.store, ref.scope, ref.name);
  const tags = await tagsOf(d.store, ref.scope, ref.name);
  const out: GetFunctionResponse = {
    Configuration: renderConfiguration(ref.scope, target.version, { arnQualifier: ref.qualifier }),
    Code: { RepositoryType: 'S3', Location: codeLocation(d.config.publicUrl, d.secrets, target.version.codeId, d.clock.ms()) },
  };
  if (Object.keys(tags).length > 0) out.Tags = tags;
  if (fn && fn.reservedConcurrency !== null) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return out;
}

export async function getFunctionConfiguration(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionConfiguration> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action: 'lambda:GetFunctionConfiguration' });
  const target = await resolveTarget(d.store, ref);
  return renderConfiguration(ref.scope, target.version, { arnQualifier: ref.qualifier });
}

interface ListPosition {
  n: string;
  v: number;
}

const isPosition = (v: unknown): v is ListPosition =>
  typeof v === 'object' && v !== null && isString((v as ListPosition).n) && isNumber((v as ListPosition).v);

export async function listFunctions(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListFunctionsResponse> {
  const scope = scopeOf(ctx);
  const which = optString(input, 'FunctionVersion');
  if (which !== undefined && which !== 'ALL') throw validation(which, 'functionVersion', 'Member must satisfy enum value set: [ALL]');
  const all = which === 'ALL';
  const size = pageSize(input);
  const after = readMarker(input, isPosition);
  const rows = await listFunctionVersions(d.store, scope, all, after && { name: after.n, number: after.v }, size + 1);
  const { items, next } = page(rows, size, (last) => ({ n: last.functionName, v: last.version === LATEST ? 0 : Number(last.version) }));
  return {
    Functions: items.map((v) => renderConfiguration(scope, v, { forList: true, arnQualifier: all ? v.version : undefined })),
    NextMarker: next,
  };
}
