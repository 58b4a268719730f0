/**
 * @module services/events/connections
 * CreateConnection, DescribeConnection, ListConnections, UpdateConnection, DeleteConnection.
 *
 * A connection holds how an API destination authenticates: an API key header, HTTP basic, or an
 * OAuth client-credentials grant, plus extra header / query / body parameters. AWS keeps the
 * secret parts in Secrets Manager; here they are sealed (core/secrets, AES-256-GCM, bound to the
 * connection's ARN) in the table, and Describe answers only the parts that are not secret.
 */
import { randomUUID } from 'node:crypto';
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { NAME_RE, optionalString, page, readName, scopeOf, validation, withPrefix } from './model.js';
import { deleteConnection as deleteRow, getConnection, listConnections as listRows, upsertConnection, type ConnectionRow } from './store.js';

type Input = Record<string, unknown>;
type Params = { Key?: string; Value?: string; IsValueSecret?: boolean }[];

export interface AuthParameters {
  ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue?: string };
  BasicAuthParameters?: { Username: string; Password?: string };
  OAuthParameters?: {
    ClientParameters: { ClientID: string; ClientSecret?: string };
    AuthorizationEndpoint: string;
    HttpMethod: string;
    OAuthHttpParameters?: { HeaderParameters?: Params; QueryStringParameters?: Params; BodyParameters?: Params };
  };
  InvocationHttpParameters?: { HeaderParameters?: Params; QueryStringParameters?: Params; BodyParameters?: Params };
}

const TYPES: Record<string, keyof AuthParameters> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

function checkAuth(type: string, auth: AuthParameters): void {
  const member = TYPES[type];
  if (!member) throw validation(`1 validation error detected: Value '${type}' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [OAUTH_CLIENT_CREDENTIALS, BASIC, API_KEY]`);
  if (!auth[member]) throw validation(`${member} must be specified for AuthorizationType ${type}.`);
  const o = auth.OAuthParameters;
  if (o && !['GET', 'POST', 'PUT'].includes(o.HttpMethod)) throw validation(`1 validation error detected: Value '${o.HttpMethod}' at 'authParameters.oAuthParameters.httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [GET, POST, PUT]`);
}

/** Without secrets: what Describe answers. */
export function publicPart(auth: AuthParameters): AuthParameters {
  const hide = (ps?: Params) => ps?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : p));
  const out: AuthParameters = {};
  if (auth.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.BasicAuthParameters) out.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.OAuthParameters) {
    const o = auth.OAuthParameters;
    out.OAuthParameters = { ClientParameters: { ClientID: o.ClientParameters.ClientID }, AuthorizationEndpoint: o.AuthorizationEndpoint, HttpMethod: o.HttpMethod };
    if (o.OAuthHttpParameters) {
      const h = o.OAuthHttpParameters;
      out.OAuthParameters.OAuthHttpParameters = { HeaderParameters: hide(h.HeaderParameters), QueryStringParameters: hide(h.QueryStringParameters), BodyParameters: hide(h.BodyParameters) };
    }
  }
  if (auth.InvocationHttpParameters) {
    const h = auth.InvocationHttpParameters;
    out.InvocationHttpParameters = { HeaderParameters: hide(h.HeaderParameters), QueryStringParameters: hide(h.QueryStringParameters), BodyParameters: hide(h.BodyParameters) };
  }
  return JSON.parse(JSON.stringify(out)) as AuthParameters;
}

export function openAuth(d: EventsDeps, row: ConnectionRow): AuthParameters {
  return JSON.parse(d.secrets.open(row.auth_sealed, row.arn)) as AuthParameters;
}

function summary(r: ConnectionRow): Record<string, unknown> {
  return {
    ConnectionArn: r.arn, Name: r.name, ConnectionState: r.state, AuthorizationType: r.authorization_type,
    CreationTime: new Date(r.created_at), LastModifiedTime: new Date(r.modified_at), LastAuthorizedTime: new Date(r.modified_at),
  };
}

export async function createConnection(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const type = String(input.AuthorizationType ?? '');
  const auth = (input.AuthParameters ?? {}) as AuthParameters;
  checkAuth(type, auth);
  const scope = scopeOf(ctx);
  const arn = `arn:aws:events:${scope.region}:${scope.accountId}:connection/${name}/${randomUUID()}`;
  const now = d.clock.ms();
  const row: ConnectionRow = {
    arn, account_id: scope.accountId, region: scope.region, name, description: optionalString(input, 'Description') ?? null,
    authorization_type: type, auth_public: JSON.stringify(publicPart(auth)), auth_sealed: d.secrets.seal(JSON.stringify(auth), arn),
    state: 'AUTHORIZED', created_at: now, modified_at: now,
  };
  await d.store.transaction(async (tx) => {
    if (await getConnection(tx, scope, name)) throw awsError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
    await upsertConnection(tx, row);
  });
  return { ConnectionArn: arn, ConnectionState: row.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
}

async function requireConnection(d: EventsDeps, input: Input, ctx: RequestContext): Promise<ConnectionRow> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const row = await getConnection(d.store, scopeOf(ctx), name);
  if (!row) throw awsError('ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`);
  return row;
}

export async function describeConnection(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireConnection(d, input, ctx);
  const secretId = r.arn.slice(r.arn.indexOf(':connection/') + 1);
  return {
    ...summary(r), ...(r.description !== null ? { Description: r.description } : {}),
    SecretArn: `arn:aws:secretsmanager:${r.region}:${r.account_id}:secret:events!${secretId}`,
    AuthParameters: JSON.parse(r.auth_public),
  };
}

export async function listConnections(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  let rows = withPrefix(await listRows(d.store, scopeOf(ctx)), input.NamePrefix);
  if (typeof input.ConnectionState === 'string') rows = rows.filter((r) => r.state === input.ConnectionState);
  const p = page(rows.map(summary), input);
  return { Connections: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

export async function updateConnection(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireConnection(d, input, ctx);
  const type = typeof input.AuthorizationType === 'string' ? input.AuthorizationType : r.authorization_type;
  const auth = { ...openAuth(d, r), ...((input.AuthParameters ?? {}) as AuthParameters) };
  checkAuth(type, auth);
  const now = d.clock.ms();
  await upsertConnection(d.store, {
    ...r, authorization_type: type, description: optionalString(input, 'Description') ?? r.description,
    auth_public: JSON.stringify(publicPart(auth)), auth_sealed: d.secrets.seal(JSON.stringify(auth), r.arn), modified_at: now,
  });
  return { ConnectionArn: r.arn, ConnectionState: r.state, CreationTime: new Date(r.created_at), LastModifiedTime: new Date(now) };
}

export async function deleteConnection(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireConnection(d, input, ctx);
  await deleteRow(d.store, r.arn);
  return { ConnectionArn: r.arn, ConnectionState: 'DELETING', CreationTime: new Date(r.created_at), LastModifiedTime: new Date(d.clock.ms()) };
}
