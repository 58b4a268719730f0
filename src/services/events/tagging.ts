/**
 * @module services/events/tagging
 * TagResource, UntagResource, ListTagsForResource for every EventBridge resource that takes tags
 * (buses, rules), and the tag checks PutRule and CreateEventBus share. At most 50 tags; keys
 * 1–128 characters, values 0–256.
 */
import { awsError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { constraint, DEFAULT_BUS, LIMITS, validation } from './model.js';
import { getBus, putTag, removeTag, tagsOf } from './store.js';

type Input = Record<string, unknown>;

export interface TagPair { Key: string; Value: string }

export function readTags(v: unknown): TagPair[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw constraint(v, 'tags', 'Member must not be null');
  return v.map((t: Record<string, unknown>, i) => {
    const key = t?.Key;
    const value = t?.Value;
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw constraint(key ?? null, `tags.${i + 1}.member.key`, 'Member must have length between 1 and 128');
    if (typeof value !== 'string' || value.length > 256) throw constraint(value ?? null, `tags.${i + 1}.member.value`, 'Member must have length less than or equal to 256');
    return { Key: key, Value: value };
  });
}

export async function applyTags(db: Queryable, arn: string, tags: readonly TagPair[]): Promise<void> {
  const keys = new Set((await tagsOf(db, arn)).keys());
  for (const t of tags) keys.add(t.Key);
  if (keys.size > LIMITS.tagsPerResource) throw awsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  for (const t of tags) await putTag(db, arn, t.Key, t.Value);
}

/** The resource an ARN names must exist in the caller's scope: a bus (the default one always does) or a rule. */
async function requireResource(d: EventsDeps, input: Input, ctx: RequestContext): Promise<string> {
  const arn = input.ResourceARN;
  if (typeof arn !== 'string' || arn === '') throw constraint(null, 'resourceARN', 'Member must not be null');
  const m = /^arn:[^:]+:events:([^:]*):(\d{12}):(event-bus|rule)\/(.+)$/.exec(arn);
  if (!m) throw validation(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const [, region, accountId, kind, rest] = m;
  const scope = { accountId, region };
  if (accountId !== ctx.accountId || region !== ctx.region) throw awsError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
  if (kind === 'event-bus') {
    if (rest !== DEFAULT_BUS && !(await getBus(d.store, scope, rest))) throw awsError('ResourceNotFoundException', `Event bus ${rest} does not exist.`);
  } else if (!d.index.get(arn)) {
    await d.index.ready();
    if (!d.index.get(arn)) throw awsError('ResourceNotFoundException', `Rule ${rest.slice(rest.lastIndexOf('/') + 1)} does not exist.`);
  }
  return arn;
}

export async function tagResource(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const tags = readTags(input.Tags);
  if (!tags) throw constraint(null, 'tags', 'Member must not be null');
  const arn = await requireResource(d, input, ctx);
  await d.store.transaction((tx) => applyTags(tx, arn, tags));
  return {};
}

export async function untagResource(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const keys = input.TagKeys;
  if (!Array.isArray(keys)) throw constraint(null, 'tagKeys', 'Member must not be null');
  const arn = await requireResource(d, input, ctx);
  await d.store.transaction(async (tx) => {
    for (const k of keys) if (typeof k === 'string') await removeTag(tx, arn, k);
  });
  return {};
}

export async function listTagsForResource(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const arn = await requireResource(d, input, ctx);
  return { Tags: [...(await tagsOf(d.store, arn))].map(([Key, Value]) => ({ Key, Value })) };
}
