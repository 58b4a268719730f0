/**
 * @module services/events/archives
 * CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive. An archive keeps the
 * events of one bus that match its pattern (all of them without one), for RetentionDays (0 =
 * forever); replayed events are never archived again. Events reach the archive through the
 * delivery engine (`events.archive` jobs), committed with the PutEvents call that sent them.
 */
import { awsError } from '../../core/errors.js';
import { compileEventPattern } from '../../core/patterns/index.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { busNotFound, constraint, DEFAULT_BUS, NAME_RE, optionalString, page, readName, resourceArn, scopeOf, withPrefix } from './model.js';
import { archiveStats, deleteArchive as deleteRow, getArchive, getBus, listArchives as listRows, upsertArchive, type ArchiveRow } from './store.js';

type Input = Record<string, unknown>;

export function archiveNotFound(name: string): Error {
  return awsError('ResourceNotFoundException', `Archive ${name} does not exist.`);
}

function retention(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw constraint(v, 'retentionDays', 'Member must have value greater than or equal to 0');
  return v;
}

export async function createArchive(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'ArchiveName', 'archiveName', { max: 48, re: NAME_RE });
  const source = optionalString(input, 'EventSourceArn');
  if (!source) throw constraint(null, 'eventSourceArn', 'Member must not be null');
  const pattern = optionalString(input, 'EventPattern');
  if (pattern !== undefined) compileEventPattern(pattern);
  const days = retention(input.RetentionDays) ?? 0;
  const scope = scopeOf(ctx);
  const m = /^arn:[^:]+:events:([^:]*):(\d{12}):event-bus\/(.+)$/.exec(source);
  if (!m || m[1] !== scope.region || m[2] !== scope.accountId) throw busNotFound(source);
  if (m[3] !== DEFAULT_BUS && !(await getBus(d.store, scope, m[3]))) throw busNotFound(m[3]);
  const row: ArchiveRow = {
    arn: resourceArn(scope, 'archive', name), account_id: scope.accountId, region: scope.region, name, source_arn: source,
    description: optionalString(input, 'Description') ?? null, event_pattern: pattern ?? null, retention_days: days, state: 'ENABLED', created_at: d.clock.ms(),
  };
  await d.store.transaction(async (tx) => {
    if (await getArchive(tx, scope, name)) throw awsError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
    await upsertArchive(tx, row);
  });
  d.index.putArchive(row);
  return { ArchiveArn: row.arn, State: row.state, CreationTime: new Date(row.created_at) };
}

async function requireArchive(d: EventsDeps, input: Input, ctx: RequestContext): Promise<ArchiveRow> {
  const name = readName(input, 'ArchiveName', 'archiveName', { max: 48, re: NAME_RE });
  const row = await getArchive(d.store, scopeOf(ctx), name);
  if (!row) throw archiveNotFound(name);
  return row;
}

async function summary(d: EventsDeps, r: ArchiveRow): Promise<Record<string, unknown>> {
  const s = await archiveStats(d.store, r.arn);
  return { ArchiveName: r.name, EventSourceArn: r.source_arn, State: r.state, RetentionDays: r.retention_days, SizeBytes: s.bytes, EventCount: s.count, CreationTime: new Date(r.created_at) };
}

export async function describeArchive(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireArchive(d, input, ctx);
  return {
    ArchiveArn: r.arn, ...(await summary(d, r)), ...(r.description !== null ? { Description: r.description } : {}),
    ...(r.event_pattern !== null ? { EventPattern: r.event_pattern } : {}),
  };
}

export async function listArchives(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  let rows = withPrefix(await listRows(d.store, scopeOf(ctx)), input.NamePrefix);
  if (typeof input.EventSourceArn === 'string') rows = rows.filter((r) => r.source_arn === input.EventSourceArn);
  if (typeof input.State === 'string') rows = rows.filter((r) => r.state === input.State);
  const p = page(rows, input);
  return { Archives: await Promise.all(p.items.map((r) => summary(d, r))), ...(p.next ? { NextToken: p.next } : {}) };
}

export async function updateArchive(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireArchive(d, input, ctx);
  const pattern = optionalString(input, 'EventPattern');
  if (pattern !== undefined) compileEventPattern(pattern);
  const row: ArchiveRow = {
    ...r, description: optionalString(input, 'Description') ?? r.description, event_pattern: pattern ?? r.event_pattern,
    retention_days: retention(input.RetentionDays) ?? r.retention_days,
  };
  await upsertArchive(d.store, row);
  d.index.putArchive(row);
  return { ArchiveArn: r.arn, State: r.state, CreationTime: new Date(r.created_at) };
}

export async function deleteArchive(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireArchive(d, input, ctx);
  await deleteRow(d.store, r.arn);
  d.index.removeArchive(r.arn);
  return {};
}

