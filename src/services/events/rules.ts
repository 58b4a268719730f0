/**
 * @module services/events/rules
 * PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule and TestEventPattern.
 *
 * PutRule on an existing rule replaces it: members left out are not kept (State goes back to
 * ENABLED), as AWS documents. A rule has an event pattern, or — on the default bus only — a
 * schedule expression, or both.
 */
import { compileEventPattern } from '../../core/patterns/index.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { busNameOf, busNotFound, DEFAULT_BUS, NAME_RE, optionalString, page, readName, ruleArn, ruleNotFound, scopeOf, validation, withPrefix } from './model.js';
import { nextFire, parseSchedule } from './schedule.js';
import { deleteRule as deleteRuleRow, getBus, getRule, rulesOfBus, setRuleState, targetsOf, upsertRule, type RuleRow } from './store.js';
import { applyTags, readTags } from './tagging.js';
import { refreshRule } from './targets.js';

type Input = Record<string, unknown>;

const STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export async function requireBus(d: EventsDeps, ctx: RequestContext, bus: string): Promise<void> {
  if (bus !== DEFAULT_BUS && !(await getBus(d.store, scopeOf(ctx), bus))) throw busNotFound(bus);
}

/** When an enabled schedule rule fires next (null: not scheduled). */
export function firstFire(row: Pick<RuleRow, 'schedule_expression' | 'state'>, now: number): number | null {
  if (!row.schedule_expression || row.state === 'DISABLED') return null;
  const s = parseSchedule(row.schedule_expression);
  return s ? nextFire(s, now, now) : null;
}

export async function putRule(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const bus = busNameOf(input.EventBusName);
  const pattern = optionalString(input, 'EventPattern');
  const schedule = optionalString(input, 'ScheduleExpression');
  const state = optionalString(input, 'State') ?? 'ENABLED';
  if (!STATES.has(state)) throw validation(`1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`);
  if (pattern === undefined && schedule === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (schedule !== undefined) {
    if (bus !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
    if (!parseSchedule(schedule)) throw validation('Parameter ScheduleExpression is not valid.');
  }
  if (pattern !== undefined) compileEventPattern(pattern);
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) throw validation(`1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512`);
  const tags = readTags(input.Tags);
  await requireBus(d, ctx, bus);
  const scope = scopeOf(ctx);
  const now = d.clock.ms();
  const row: RuleRow = {
    arn: ruleArn(scope, bus, name), account_id: scope.accountId, region: scope.region, bus_name: bus, name,
    event_pattern: pattern ?? null, schedule_expression: schedule ?? null, state, description: description ?? null,
    role_arn: optionalString(input, 'RoleArn') ?? null, managed_by: null, next_fire_at: null, created_at: now,
  };
  row.next_fire_at = firstFire(row, now);
  await d.store.transaction(async (tx) => {
    const existing = await getRule(tx, scope, bus, name);
    if (existing) row.created_at = existing.created_at;
    await upsertRule(tx, row);
    if (tags && tags.length) await applyTags(tx, row.arn, tags);
  });
  await refreshRule(d, row.arn, row);
  if (schedule !== undefined) d.wakeScheduler();
  return { RuleArn: row.arn };
}

async function requireRule(d: EventsDeps, input: Input, ctx: RequestContext): Promise<RuleRow> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const bus = busNameOf(input.EventBusName);
  const rule = await getRule(d.store, scopeOf(ctx), bus, name);
  if (!rule) throw ruleNotFound(name, bus);
  return rule;
}

function describe(r: RuleRow): Record<string, unknown> {
  const out: Record<string, unknown> = { Name: r.name, Arn: r.arn, State: r.state, EventBusName: r.bus_name };
  if (r.event_pattern !== null) out.EventPattern = r.event_pattern;
  if (r.schedule_expression !== null) out.ScheduleExpression = r.schedule_expression;
  if (r.description !== null) out.Description = r.description;
  if (r.role_arn !== null) out.RoleArn = r.role_arn;
  if (r.managed_by !== null) out.ManagedBy = r.managed_by;
  return out;
}

export async function describeRule(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireRule(d, input, ctx);
  return { ...describe(r), CreatedBy: r.account_id };
}

export async function listRules(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const bus = busNameOf(input.EventBusName);
  await requireBus(d, ctx, bus);
  const rows = withPrefix(await rulesOfBus(d.store, scopeOf(ctx), bus), input.NamePrefix);
  const p = page(rows.map(describe), input);
  return { Rules: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

async function setState(d: EventsDeps, input: Input, ctx: RequestContext, state: 'ENABLED' | 'DISABLED'): Promise<object> {
  const r = await requireRule(d, input, ctx);
  const next = firstFire({ ...r, state }, d.clock.ms());
  // enabling an enabled schedule keeps its rhythm
  const keep = state === 'ENABLED' && r.state !== 'DISABLED' ? r.next_fire_at : next;
  await setRuleState(d.store, r.arn, state, keep);
  await refreshRule(d, r.arn, r);
  if (r.schedule_expression) d.wakeScheduler();
  return {};
}

export const enableRule = (d: EventsDeps, input: Input, ctx: RequestContext) => setState(d, input, ctx, 'ENABLED');
export const disableRule = (d: EventsDeps, input: Input, ctx: RequestContext) => setState(d, input, ctx, 'DISABLED');

export async function deleteRule(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { re: NAME_RE });
  const bus = busNameOf(input.EventBusName);
  const r = await getRule(d.store, scopeOf(ctx), bus, name);
  if (!r) return {};
  if ((await targetsOf(d.store, r.arn)).length > 0) throw validation("Rule can't be deleted since it has targets.");
  await deleteRuleRow(d.store, r.arn);
  d.index.remove(r.arn);
  return {};
}

const ENVELOPE = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export async function testEventPattern(_d: EventsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const pattern = optionalString(input, 'EventPattern');
  const text = optionalString(input, 'Event');
  if (pattern === undefined) throw validation("1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null");
  if (text === undefined) throw validation("1 validation error detected: Value null at 'event' failed to satisfy constraint: Member must not be null");
  const compiled = compileEventPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw validation('Parameter Event is not valid.');
  for (const k of ENVELOPE) if (!(k in event)) throw validation('Parameter Event is not valid.');
  return { Result: compiled.matches(event) };
}

