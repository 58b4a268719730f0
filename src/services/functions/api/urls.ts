/**
 * @module services/functions/api/urls
 * Create/Get/Update/Delete/ListFunctionUrlConfigs. A function URL belongs to $LATEST or an alias
 * (never a numbered version). At AWS it is https://<url-id>.lambda-url.<region>.on.aws/; here it
 * is under Signalbox's own routes, `${publicUrl}/_signalbox/lambda/url/<url-id>/`. Only the
 * configuration is kept here; serving requests on it belongs to the invoke path.
 */
import { randomInt } from 'node:crypto';
import type { CreateFunctionUrlConfigResponse, FunctionUrlConfig, ListFunctionUrlConfigsResponse } from '@aws-sdk/client-lambda';
import type { Queryable } from '../../../store/store.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { lambdaDate } from '../model/configuration.js';
import { conflict, notFound, optBool, optInt, optObject, optString, optStringList, validation, Violations, type Input } from '../model/input.js';
import { kindOf, LATEST, parseFunctionRef, qualifiedArn, type FunctionRef, type Scope } from '../model/names.js';
import { isString, page, pageSize, readMarker } from '../model/paging.js';
import {
  deleteUrlConfig as deleteRow, getAlias, getFunction, getUrlConfig as findConfig, listUrlConfigs as listRows, putUrlConfig, type UrlConfigRecord,
} from '../store.js';

export const URL_ROUTE_PREFIX = '/_signalbox/lambda/url/';
const URL_ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const AUTH_TYPES = ['NONE', 'AWS_IAM'];
const INVOKE_MODES = ['BUFFERED', 'RESPONSE_STREAM'];

function newUrlId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += URL_ID_CHARS[randomInt(URL_ID_CHARS.length)];
  return id;
}

export function functionUrl(publicUrl: string, urlId: string): string {
  return `${publicUrl}${URL_ROUTE_PREFIX}${urlId}/`;
}

function render(d: FunctionsDeps, scope: Scope, c: UrlConfigRecord): FunctionUrlConfig {
  const out: FunctionUrlConfig = {
    FunctionUrl: functionUrl(d.config.publicUrl, c.urlId),
    FunctionArn: qualifiedArn(scope, c.functionName, c.qualifier === LATEST ? undefined : c.qualifier),
    AuthType: c.authType as FunctionUrlConfig['AuthType'],
    CreationTime: lambdaDate(c.createdAt),
    LastModifiedTime: lambdaDate(c.modifiedAt),
    InvokeMode: c.invokeMode as FunctionUrlConfig['InvokeMode'],
  };
  if (c.cors) out.Cors = c.cors as FunctionUrlConfig['Cors'];
  return out;
}

/** Function URLs attach to $LATEST (no qualifier) or an alias. */
function refOf(input: Input, ctx: RequestContext, action: string): FunctionRef {
  const ref = parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action, maxLength: 140 });
  if (ref.qualifier !== undefined && kindOf(ref.qualifier) !== 'alias') {
    throw validation(ref.qualifier, 'qualifier', 'Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)');
  }
  return ref;
}

function readCors(input: Input, v: Violations): Record<string, unknown> | undefined {
  const cors = optObject(input, 'Cors');
  if (cors === undefined) return undefined;
  const out: Record<string, unknown> = {};
  const credentials = optBool(cors, 'AllowCredentials');
  if (credentials !== undefined) out.AllowCredentials = credentials;
  for (const [member, wire, itemMax] of [['AllowHeaders', 'allowHeaders', 1024], ['AllowMethods', 'allowMethods', 6], ['AllowOrigins', 'allowOrigins', 253], ['ExposeHeaders', 'exposeHeaders', 1024]] as const) {
    const list = optStringList(cors, member);
    if (list === undefined) continue;
    v.length(list, `cors.${wire}`, 0, member === 'AllowMethods' ? 6 : 100);
    for (const item of list) v.length(item, `cors.${wire}.member`, member === 'AllowOrigins' ? 1 : 0, itemMax);
    out[member] = list;
  }
  const maxAge = optInt(cors, 'MaxAge');
  v.range(maxAge, 'cors.maxAge', 0, 86_400);
  if (maxAge !== undefined) out.MaxAge = maxAge;
  return out;
}

/** The function (and the alias, when one is named) must exist. */
async function requireOwner(tx: Queryable, ref: FunctionRef): Promise<void> {
  const fn = await getFunction(tx, ref.scope, ref.name);
  const alias = fn && ref.qualifier !== undefined ? await getAlias(tx, ref.scope, ref.name, ref.qualifier) : undefined;
  if (!fn || (ref.qualifier !== undefined && !alias)) throw notFound('Function does not exist');
}

const noConfig = () => notFound('The resource you requested does not exist.');

export async function createFunctionUrlConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<CreateFunctionUrlConfigResponse> {
  const ref = refOf(input, ctx, 'lambda:CreateFunctionUrlConfig');
  const v = new Violations();
  const authType = optString(input, 'AuthType');
  if (v.required(authType, 'authType')) v.oneOf(authType, 'authType', AUTH_TYPES);
  const invokeMode = optString(input, 'InvokeMode');
  v.oneOf(invokeMode, 'invokeMode', INVOKE_MODES);
  const cors = readCors(input, v);
  v.throwIfAny();
  const qualifier = ref.qualifier ?? LATEST;
  const now = d.clock.ms();
  const created = await d.store.transaction(async (tx) => {
    await requireOwner(tx, ref);
    if (await findConfig(tx, ref.scope, ref.name, qualifier)) {
      throw conflict(`Failed to create function url config for [functionArn = ${qualifiedArn(ref.scope, ref.name, ref.qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
    }
    const c: UrlConfigRecord = {
      functionName: ref.name, qualifier, urlId: newUrlId(), authType: authType!, cors: cors ?? null,
      invokeMode: invokeMode ?? 'BUFFERED', createdAt: now, modifiedAt: now,
    };
    await putUrlConfig(tx, ref.scope, c, true);
    return c;
  });
  const { LastModifiedTime: _omitted, ...out } = render(d, ref.scope, created);
  return out;
}

export async function getFunctionUrlConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionUrlConfig> {
  const ref = refOf(input, ctx, 'lambda:GetFunctionUrlConfig');
  await requireOwner(d.store, ref);
  const c = await findConfig(d.store, ref.scope, ref.name, ref.qualifier ?? LATEST);
  if (!c) throw noConfig();
  return render(d, ref.scope, c);
}

export async function updateFunctionUrlConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionUrlConfig> {
  const ref = refOf(input, ctx, 'lambda:UpdateFunctionUrlConfig');
  const v = new Violations();
  const authType = optString(input, 'AuthType');
  v.oneOf(authType, 'authType', AUTH_TYPES);
  const invokeMode = optString(input, 'InvokeMode');
  v.oneOf(invokeMode, 'invokeMode', INVOKE_MODES);
  const cors = readCors(input, v);
  v.throwIfAny();
  const updated = await d.store.transaction(async (tx) => {
    await requireOwner(tx, ref);
    const current = await findConfig(tx, ref.scope, ref.name, ref.qualifier ?? LATEST);
    if (!current) throw noConfig();
    const c: UrlConfigRecord = {
      ...current,
      authType: authType ?? current.authType,
      cors: cors === undefined ? current.cors : cors,
      invokeMode: invokeMode ?? current.invokeMode,
      modifiedAt: d.clock.ms(),
    };
    await putUrlConfig(tx, ref.scope, c, false);
    return c;
  });
  return render(d, ref.scope, updated);
}

export async function deleteFunctionUrlConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = refOf(input, ctx, 'lambda:DeleteFunctionUrlConfig');
  await d.store.transaction(async (tx) => {
    await requireOwner(tx, ref);
    if (!(await deleteRow(tx, ref.scope, ref.name, ref.qualifier ?? LATEST))) throw noConfig();
  });
  return {};
}

export async function listFunctionUrlConfigs(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListFunctionUrlConfigsResponse> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action: 'lambda:ListFunctionUrlConfigs', maxLength: 140 });
  const size = pageSize(input, 50);
  const after = readMarker(input, isString) ?? '';
  if (!(await getFunction(d.store, ref.scope, ref.name))) throw notFound('Function does not exist');
  const rows = await listRows(d.store, ref.scope, ref.name, after, size + 1);
  const { items, next } = page(rows, size, (last) => last.qualifier);
  return { FunctionUrlConfigs: items.map((c) => render(d, ref.scope, c)), NextMarker: next };
}
