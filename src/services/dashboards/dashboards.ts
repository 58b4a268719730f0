/**
 * @module services/dashboards/dashboards
 * PutDashboard, GetDashboard, ListDashboards, DeleteDashboards.
 *
 * What AWS does (API reference, captured errors):
 * - dashboards are global to the account, not regional, and their ARN has no region:
 *   `arn:aws:cloudwatch::<account>:dashboard/<name>`;
 * - a name is 1-255 of `A-Z a-z 0-9 - _`; anything else is `InvalidParameterValue` "The value
 *   <name> for field DashboardName contains invalid characters. It can only contain
 *   alphanumerics, dash (-) and underscore (_)." (captured);
 * - PutDashboard creates or replaces; the body is checked by ./body.ts, which refuses it with
 *   `InvalidParameterInput` (and `dashboardValidationMessages`) or returns the warnings that
 *   PutDashboard answers as `DashboardValidationMessages`;
 * - GetDashboard of a missing dashboard is `ResourceNotFound` (404) "Dashboard <name> does not
 *   exist" (captured);
 * - DeleteDashboards takes up to 100 names; if any of them does not exist it answers
 *   `ResourceNotFound` and deletes none ("If there is an error during this call, no dashboards
 *   are deleted");
 * - ListDashboards answers up to 1000 entries a page in name order, narrowed by
 *   DashboardNamePrefix, with a NextToken while more follow.
 */
import type { DashboardEntry, GetDashboardOutput, ListDashboardsOutput, PutDashboardOutput } from '@aws-sdk/client-cloudwatch';
import { awsError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../service.js';
import type { Store } from '../../store/store.js';
import { validateDashboardBody } from './body.js';
import * as db from './store.js';

type Input = Record<string, unknown>;

export interface Deps {
  store: Store;
  clock: Clock;
}

export const LIMITS = {
  maxNameLength: 255,
  /** "ListDashboards returns up to 1000 results on one page" */
  listPageSize: 1000,
  /** "You can specify up to 100 dashboards to delete" */
  maxDeleteNames: 100,
};

const NAME = /^[A-Za-z0-9_-]+$/;

export function dashboardArn(accountId: string, name: string): string {
  return `arn:aws:cloudwatch::${accountId}:dashboard/${name}`;
}

function required(input: Input, member: string): unknown {
  const v = input[member];
  if (v === undefined || v === null || v === '') throw awsError('MissingParameter', `The parameter ${member} is required.`);
  return v;
}

/** A name PutDashboard may create. */
export function checkNewName(v: unknown): string {
  const name = String(v);
  if (name.length > LIMITS.maxNameLength) {
    throw awsError('InvalidParameterValue', `The value ${name} for field DashboardName must be at most ${LIMITS.maxNameLength} characters long.`);
  }
  if (!NAME.test(name)) {
    throw awsError(
      'InvalidParameterValue',
      `The value ${name} for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`,
    );
  }
  return name;
}

// --- NextToken -------------------------------------------------------------------------------
// A keyset position (the last name of the page), opaque to callers: `d:<name>` in base64url.

export function encodeToken(lastName: string): string {
  return Buffer.from(`d:${lastName}`, 'utf8').toString('base64url');
}

export function decodeToken(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const token = String(v);
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const name = text.startsWith('d:') ? text.slice(2) : '';
  if (!NAME.test(name) || name.length > LIMITS.maxNameLength) {
    throw awsError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is not valid.');
  }
  return name;
}

// --- operations ------------------------------------------------------------------------------

export async function putDashboard(d: Deps, input: Input, ctx: RequestContext): Promise<PutDashboardOutput> {
  const name = checkNewName(required(input, 'DashboardName'));
  if (input.DashboardBody === undefined || input.DashboardBody === null) {
    throw awsError('MissingParameter', 'The parameter DashboardBody is required.');
  }
  const body = String(input.DashboardBody);
  const { messages } = validateDashboardBody(body);
  await db.putDashboard(d.store, ctx.accountId, { name, body, size: Buffer.byteLength(body, 'utf8'), modifiedAt: d.clock.ms() });
  return { DashboardValidationMessages: messages };
}

export async function getDashboard(d: Deps, input: Input, ctx: RequestContext): Promise<GetDashboardOutput> {
  const name = String(required(input, 'DashboardName'));
  const rec = await db.getDashboard(d.store, ctx.accountId, name);
  if (!rec) throw awsError('ResourceNotFound', `Dashboard ${name} does not exist`);
  return { DashboardArn: dashboardArn(ctx.accountId, rec.name), DashboardBody: rec.body, DashboardName: rec.name };
}

export async function listDashboards(d: Deps, input: Input, ctx: RequestContext): Promise<ListDashboardsOutput> {
  const prefix = input.DashboardNamePrefix === undefined || input.DashboardNamePrefix === null ? undefined : String(input.DashboardNamePrefix);
  const after = decodeToken(input.NextToken);
  // one more than a page tells whether a NextToken is due
  const rows = await db.listDashboards(d.store, ctx.accountId, { prefix, after, limit: LIMITS.listPageSize + 1 });
  const page = rows.slice(0, LIMITS.listPageSize);
  const DashboardEntries: DashboardEntry[] = page.map((r) => ({
    DashboardName: r.name,
    DashboardArn: dashboardArn(ctx.accountId, r.name),
    LastModified: new Date(r.modifiedAt),
    Size: r.size,
  }));
  const out: ListDashboardsOutput = { DashboardEntries };
  if (rows.length > page.length) out.NextToken = encodeToken(page[page.length - 1].name);
  return out;
}

export async function deleteDashboards(d: Deps, input: Input, ctx: RequestContext): Promise<object> {
  const raw = input.DashboardNames;
  if (!Array.isArray(raw) || raw.length === 0) throw awsError('MissingParameter', 'The parameter DashboardNames is required.');
  if (raw.length > LIMITS.maxDeleteNames) {
    throw awsError('InvalidParameterValue', `The collection DashboardNames must not have a size greater than ${LIMITS.maxDeleteNames}.`);
  }
  const names = [...new Set(raw.map((n) => String(n)))];
  await d.store.transaction(async (tx) => {
    const found = await db.existingNames(tx, ctx.accountId, names);
    const missing = names.filter((n) => !found.has(n));
    // all or nothing: one missing name and none is deleted
    if (missing.length > 0) throw awsError('ResourceNotFound', `The specified dashboard does not exist. [${missing.join(', ')}]`);
    await db.deleteDashboards(tx, ctx.accountId, names);
  });
  return {};
}
