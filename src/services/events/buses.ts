/**
 * @module services/events/buses
 * CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus. Every account and region has
 * the `default` bus, which needs no row, cannot be created and cannot be deleted.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { BUS_NAME_RE, busArn, busNameOf, busNotFound, DEFAULT_BUS, page, readName, scopeOf, validation, withPrefix } from './model.js';
import { deleteBus, deleteRule, deleteTarget, getBus, insertBus, listBuses, rulesOfBus, targetsOf } from './store.js';
import { applyTags, readTags } from './tagging.js';

type Input = Record<string, unknown>;

export async function createEventBus(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { max: 256, re: BUS_NAME_RE });
  const tags = readTags(input.Tags);
  const scope = scopeOf(ctx);
  if (name === DEFAULT_BUS) throw awsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  if (name.startsWith('aws.') && input.EventSourceName === undefined) throw validation('Event bus name must not start with \'aws.\'.');
  if (name.includes('/')) throw validation('Event bus name must not contain \'/\'.');
  const arn = busArn(scope, name);
  await d.store.transaction(async (tx) => {
    if (await getBus(tx, scope, name)) throw awsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    await insertBus(tx, { arn, account_id: scope.accountId, region: scope.region, name, policy: null, created_at: d.clock.ms() });
    if (tags && tags.length) await applyTags(tx, arn, tags);
  });
  return { EventBusArn: arn };
}

export async function describeEventBus(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = busNameOf(input.Name);
  const scope = scopeOf(ctx);
  if (name === DEFAULT_BUS) return { Name: name, Arn: busArn(scope, name) };
  const bus = await getBus(d.store, scope, name);
  if (!bus) throw busNotFound(name);
  return { Name: bus.name, Arn: bus.arn, ...(bus.policy ? { Policy: bus.policy } : {}) };
}

export async function listEventBuses(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const scope = scopeOf(ctx);
  const all = [{ name: DEFAULT_BUS, arn: busArn(scope, DEFAULT_BUS), policy: null as string | null }, ...(await listBuses(d.store, scope))]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = page(withPrefix(all, input.NamePrefix).map((b) => ({ Name: b.name, Arn: b.arn, ...(b.policy ? { Policy: b.policy } : {}) })), input);
  return { EventBuses: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

/** Deleting a bus deletes its rules and their targets with it. */
export async function deleteEventBus(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'Name', 'name', { max: 256, re: BUS_NAME_RE });
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  const scope = scopeOf(ctx);
  const bus = await getBus(d.store, scope, name);
  if (!bus) return {};
  const rules = await rulesOfBus(d.store, scope, name);
  await d.store.transaction(async (tx) => {
    for (const r of rules) {
      for (const t of await targetsOf(tx, r.arn)) await deleteTarget(tx, r.arn, t.id);
      await deleteRule(tx, r.arn);
    }
    await deleteBus(tx, bus.arn);
  });
  for (const r of rules) d.index.remove(r.arn);
  return {};
}
