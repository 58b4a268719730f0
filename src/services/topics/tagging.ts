/**
 * @module services/topics/tagging
 * TagResource, UntagResource, ListTagsForResource (SNS tags topics only), and the tag checks
 * CreateTopic shares. A topic holds at most 50 tags; keys 1–128 characters, values 0–256, no
 * key twice in one request, no `aws:` prefix.
 */
import { awsError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import type { TopicsDeps } from './deps.js';
import { invalid, LIMITS } from './model.js';
import { getTopic, putTag, removeTag, tagsOf } from './store.js';

type Input = Record<string, unknown>;

export interface TagPair {
  Key: string;
  Value: string;
}

/** Reads and checks a Tags member; undefined when absent. */
export function readTags(v: unknown): TagPair[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalid('Tags');
  const seen = new Set<string>();
  const tags = v.map((t: Record<string, unknown>) => {
    const key = typeof t?.Key === 'string' ? t.Key : '';
    const value = typeof t?.Value === 'string' ? t.Value : undefined;
    if (key.length < 1 || key.length > 128) throw invalid('Tag Key Reason: must be between 1 and 128 characters long');
    if (value === undefined) throw invalid('Tag Value Reason: no value for required parameter');
    if (value.length > 256) throw invalid('Tag Value Reason: must be at most 256 characters long');
    if (/^aws:/i.test(key)) throw invalid('Tag Key Reason: the aws: prefix is reserved');
    if (seen.has(key)) throw invalid('Duplicated keys are not allowed.');
    seen.add(key);
    return { Key: key, Value: value };
  });
  return tags;
}

/** Merges `tags` onto the resource's, refusing to go beyond 50. */
export async function applyTags(db: Queryable, arn: string, tags: readonly TagPair[]): Promise<void> {
  const current = await tagsOf(db, arn);
  const keys = new Set(current.keys());
  for (const t of tags) keys.add(t.Key);
  if (keys.size > LIMITS.tagsPerResource) throw awsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  for (const t of tags) await putTag(db, arn, t.Key, t.Value);
}

async function requireTopic(db: Queryable, input: Input): Promise<string> {
  const arn = input.ResourceArn;
  if (typeof arn !== 'string' || arn === '') throw invalid('ResourceArn Reason: no value for required parameter');
  if (!arn.startsWith('arn:')) throw invalid('ResourceArn');
  if (!(await getTopic(db, arn))) throw awsError('ResourceNotFound', 'Resource does not exist');
  return arn;
}

export async function tagResource(d: TopicsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const tags = readTags(input.Tags);
  if (!tags) throw invalid('Tags Reason: no value for required parameter');
  await d.store.transaction(async (tx) => {
    const arn = await requireTopic(tx, input);
    await applyTags(tx, arn, tags);
  });
  return {};
}

export async function untagResource(d: TopicsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const keys = input.TagKeys;
  if (!Array.isArray(keys)) throw invalid('TagKeys Reason: no value for required parameter');
  await d.store.transaction(async (tx) => {
    const arn = await requireTopic(tx, input);
    for (const k of keys) if (typeof k === 'string') await removeTag(tx, arn, k);
  });
  return {};
}

export async function listTagsForResource(d: TopicsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const arn = await requireTopic(d.store, input);
  const tags = await tagsOf(d.store, arn);
  return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
}
