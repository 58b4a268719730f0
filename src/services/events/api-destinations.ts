/**
 * @module services/events/api-destinations
 * CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination,
 * DeleteApiDestination, and the HTTP call a rule target makes to one.
 *
 * The call is AWS's: the destination's method and endpoint (each `*` in it replaced by the
 * target's PathParameterValues, in order), the connection's and the target's header and query
 * parameters, the connection's authorisation, EventBridge's fixed headers, a 5 s timeout. Only
 * 429 and 5xx answers are retried (Retry-After honoured). InvocationRateLimitPerSecond becomes
 * the delivery engine's rate for that destination: events queue, they are not dropped.
 */
import { randomUUID } from 'node:crypto';
import { parseRetryAfter } from '../../core/deliveries/http-client.js';
import type { Outcome, Throttle } from '../../core/deliveries/types.js';
import { DEFAULT_THROTTLE } from '../../core/deliveries/throttle.js';
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { openAuth, type AuthParameters } from './connections.js';
import type { EventsDeps } from './deps.js';
import { constraint, NAME_RE, optionalString, page, readName, scopeOf, withPrefix } from './model.js';
import type { TargetJob } from './route.js';
import {
  deleteApiDestination as deleteRow, getApiDestination, getApiDestinationByArn, getConnectionByArn, listApiDestinations as listRows,
  upsertApiDestination, type ApiDestinationRow,
} from './store.js';

type Input = Record<string, unknown>;

const METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const DEFAULT_RATE = 300;
const TIMEOUT_MS = 5000;

/** Rates per destination ARN, for the engine's throttle (which asks synchronously). */
const rates = new Map<string, number>();

export function apiDestinationThrottle(target: string): Throttle {
  const rate = rates.get(target);
  return rate ? { concurrency: DEFAULT_THROTTLE.concurrency, ratePerSecond: rate, burst: rate } : DEFAULT_THROTTLE;
}

export function rememberRate(arn: string, rate: number | null): void {
  rates.set(arn, rate ?? DEFAULT_RATE);
}

function check(input: Input, partial: boolean): { endpoint?: string; method?: string; rate?: number } {
  const endpoint = optionalString(input, 'InvocationEndpoint');
  const method = optionalString(input, 'HttpMethod');
  const rate = input.InvocationRateLimitPerSecond;
  if (!partial && endpoint === undefined) throw constraint(null, 'invocationEndpoint', 'Member must not be null');
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint)) throw constraint(endpoint, 'invocationEndpoint', 'Member must satisfy regular expression pattern: ^((%[0-9A-Fa-f]{2}|[-()_.!~*\';/?:@\\x26=+$,A-Za-z0-9])+)([).!\';/?:,])?$');
  if (!partial && method === undefined) throw constraint(null, 'httpMethod', 'Member must not be null');
  if (method !== undefined && !METHODS.includes(method)) throw constraint(method, 'httpMethod', `Member must satisfy enum value set: [${METHODS.join(', ')}]`);
  if (rate !== undefined && (typeof rate !== 'number' || rate < 1)) throw constraint(rate, 'invocationRateLimitPerSecond', 'Member must have value greater than or equal to 1');
  return { endpoint, method, rate: rate as number | undefined };
}

function describe(r: ApiDestinationRow): Record<string, unknown> {
  return {
    ApiDestinationArn: r.arn, Name: r.name, ApiDestinationState: r.state, ConnectionArn: r.connection_arn, InvocationEndpoint: r.endpoint,
    HttpMethod: r.http_method, InvocationRateLimitPerSecond: r.rate_limit ?? DEFAULT_RATE, CreationTime: new Date(r.created_at), LastModifiedTime: new Date(r.modified_at),
  };
}

export async function createApiDestination(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const c = check(input, false);
  const connectionArn = optionalString(input, 'ConnectionArn');
  if (!connectionArn) throw constraint(null, 'connectionArn', 'Member must not be null');
  if (!(await getConnectionByArn(d.store, connectionArn))) throw awsError('ResourceNotFoundException', `Connection '${connectionArn}' does not exist.`);
  const scope = scopeOf(ctx);
  const now = d.clock.ms();
  const row: ApiDestinationRow = {
    arn: `arn:aws:events:${scope.region}:${scope.accountId}:api-destination/${name}/${randomUUID()}`, account_id: scope.accountId, region: scope.region, name,
    description: optionalString(input, 'Description') ?? null, connection_arn: connectionArn, endpoint: c.endpoint!, http_method: c.method!,
    rate_limit: c.rate ?? null, state: 'ACTIVE', created_at: now, modified_at: now,
  };
  await d.store.transaction(async (tx) => {
    if (await getApiDestination(tx, scope, name)) throw awsError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
    await upsertApiDestination(tx, row);
  });
  rememberRate(row.arn, row.rate_limit);
  return { ApiDestinationArn: row.arn, ApiDestinationState: row.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
}

async function requireDestination(d: EventsDeps, input: Input, ctx: RequestContext): Promise<ApiDestinationRow> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const row = await getApiDestination(d.store, scopeOf(ctx), name);
  if (!row) throw awsError('ResourceNotFoundException', `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
  return row;
}

export async function describeApiDestination(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireDestination(d, input, ctx);
  return { ...describe(r), ...(r.description !== null ? { Description: r.description } : {}) };
}

export async function listApiDestinations(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  let rows = withPrefix(await listRows(d.store, scopeOf(ctx)), input.NamePrefix);
  if (typeof input.ConnectionArn === 'string') rows = rows.filter((r) => r.connection_arn === input.ConnectionArn);
  const p = page(rows.map(describe), input);
  return { ApiDestinations: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

export async function updateApiDestination(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireDestination(d, input, ctx);
  const c = check(input, true);
  const connectionArn = optionalString(input, 'ConnectionArn') ?? r.connection_arn;
  if (!(await getConnectionByArn(d.store, connectionArn))) throw awsError('ResourceNotFoundException', `Connection '${connectionArn}' does not exist.`);
  const now = d.clock.ms();
  const row = {
    ...r, connection_arn: connectionArn, endpoint: c.endpoint ?? r.endpoint, http_method: c.method ?? r.http_method, rate_limit: c.rate ?? r.rate_limit,
    description: optionalString(input, 'Description') ?? r.description, modified_at: now,
  };
  await upsertApiDestination(d.store, row);
  rememberRate(row.arn, row.rate_limit);
  return { ApiDestinationArn: r.arn, ApiDestinationState: r.state, CreationTime: new Date(r.created_at), LastModifiedTime: new Date(now) };
}

export async function deleteApiDestination(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireDestination(d, input, ctx);
  await deleteRow(d.store, r.arn);
  return {};
}

// ---- invocation -----------------------------------------------------------------------------------

/** OAuth access tokens per connection, until shortly before they expire. */
const tokens = new Map<string, { token: string; until: number }>();

function addParams(into: Record<string, string>, ps: { Key?: string; Value?: string }[] | undefined): void {
  for (const p of ps ?? []) if (p.Key) into[p.Key] = p.Value ?? '';
}

async function oauthToken(connectionArn: string, o: NonNullable<AuthParameters['OAuthParameters']>): Promise<string> {
  const cached = tokens.get(connectionArn);
  if (cached && cached.until > Date.now()) return cached.token;
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${o.ClientParameters.ClientID}:${o.ClientParameters.ClientSecret ?? ''}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const body: Record<string, string> = { grant_type: 'client_credentials' };
  addParams(query, o.OAuthHttpParameters?.QueryStringParameters);
  addParams(headers, o.OAuthHttpParameters?.HeaderParameters);
  addParams(body, o.OAuthHttpParameters?.BodyParameters);
  const url = new URL(o.AuthorizationEndpoint);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const form = new URLSearchParams(body).toString();
  if (o.HttpMethod === 'GET') for (const [k, v] of Object.entries(body)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: o.HttpMethod, headers, body: o.HttpMethod === 'GET' ? undefined : form, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`the authorization endpoint answered HTTP ${res.status}`);
  const json = (await res.json()) as { access_token?: string; expires_in?: number };
  if (!json.access_token) throw new Error('the authorization endpoint answered no access_token');
  tokens.set(connectionArn, { token: json.access_token, until: Date.now() + Math.max(0, (json.expires_in ?? 3600) - 30) * 1000 });
  return json.access_token;
}

export async function invokeApiDestination(d: EventsDeps, p: TargetJob): Promise<Outcome> {
  const dest = await getApiDestinationByArn(d.store, p.arn);
  if (!dest) return { ok: false, retryable: false, error: `NO_RESOURCE: api destination ${p.arn} does not exist` };
  const conn = await getConnectionByArn(d.store, dest.connection_arn);
  if (!conn) return { ok: false, retryable: false, error: `NO_RESOURCE: connection ${dest.connection_arn} does not exist` };
  const auth = openAuth(d, conn);
  const headers: Record<string, string> = {
    'user-agent': 'Amazon/EventBridge/ApiDestinations',
    'content-type': 'application/json; charset=utf-8',
    range: 'bytes=0-1048575',
    'accept-encoding': 'gzip,deflate',
  };
  const query: Record<string, string> = {};
  addParams(headers, auth.InvocationHttpParameters?.HeaderParameters);
  addParams(query, auth.InvocationHttpParameters?.QueryStringParameters);
  for (const [k, v] of Object.entries(p.http?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v;
  Object.assign(query, p.http?.QueryStringParameters ?? {});
  try {
    if (auth.ApiKeyAuthParameters) headers[auth.ApiKeyAuthParameters.ApiKeyName.toLowerCase()] = auth.ApiKeyAuthParameters.ApiKeyValue ?? '';
    if (auth.BasicAuthParameters) headers.authorization = `Basic ${Buffer.from(`${auth.BasicAuthParameters.Username}:${auth.BasicAuthParameters.Password ?? ''}`).toString('base64')}`;
    if (auth.OAuthParameters) headers.authorization = `Bearer ${await oauthToken(conn.arn, auth.OAuthParameters)}`;
  } catch (e) {
    return { ok: false, retryable: true, error: `authorization failed: ${(e as Error).message}` };
  }
  const values = [...(p.http?.PathParameterValues ?? [])];
  const url = new URL(dest.endpoint.replace(/\*/g, () => encodeURIComponent(values.shift() ?? '')));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const withBody = dest.http_method !== 'GET' && dest.http_method !== 'HEAD';
  try {
    const res = await fetch(url, { method: dest.http_method, headers, body: withBody ? p.body : undefined, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const excerpt = (await res.text()).slice(0, 512);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, ...(excerpt ? { excerpt } : {}) };
    const retryable = res.status === 429 || res.status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(res.headers.get('retry-after') ?? undefined) : undefined;
    return { ok: false, retryable, status: res.status, error: `HTTP ${res.status}`, excerpt, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  } catch (e) {
    return { ok: false, retryable: true, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

