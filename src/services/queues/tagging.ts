/**
 * @module services/queues/tagging
 * Queue tags: TagQueue, UntagQueue, ListQueueTags, and the checks CreateQueue's `tags` share.
 * Limits as AWS documents them: at most 50 tags per queue, keys 1–128 and values 0–256
 * characters, keys case-sensitive, no `aws:` prefix; a new value for a key replaces the old.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { stringList, type Input, type QueuesDeps } from './context.js';
import { queueFromUrl } from './names.js';
import { putTag, removeTag, tagsOf } from './store.js';

const MAX_TAGS = 50;

/** Validates a tag map to add to a queue that has `current` tags, and returns it. */
export function checkTags(input: unknown, current: Record<string, string> = {}, queueName = ''): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object') throw awsError('InvalidParameterValue', 'Tags must be a map of keys to values.');
  const tags = input as Record<string, unknown>;
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw awsError('InvalidParameterValue', `Tag key ${k} must be 1 to 128 characters long.`);
    if (k.toLowerCase().startsWith('aws:')) throw awsError('InvalidParameterValue', `Tag key ${k} must not start with aws:.`);
    if (typeof v !== 'string' || v.length > 256) throw awsError('InvalidParameterValue', `Tag value for key ${k} must be at most 256 characters long.`);
  }
  const total = Object.keys(current).length + Object.keys(tags).filter((k) => !Object.hasOwn(current, k)).length;
  if (total > MAX_TAGS) {
    throw awsError('InvalidParameterValue', `Too many tags added for queue ${queueName}. A queue can have at most ${MAX_TAGS} tags.`);
  }
  return tags as Record<string, string>;
}

export async function tagQueue(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  if (input.Tags === undefined || input.Tags === null) throw awsError('MissingParameter', 'The request must contain the parameter Tags.');
  await d.store.transaction(async (tx) => {
    const tags = checkTags(input.Tags, await tagsOf(tx, q.id), q.name);
    for (const [k, v] of Object.entries(tags)) await putTag(tx, q.id, k, v);
  });
  return {};
}

export async function untagQueue(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const keys = stringList(input, 'TagKeys');
  if (keys.length === 0) throw awsError('MissingParameter', 'The request must contain the parameter TagKeys.');
  await d.store.transaction(async (tx) => {
    for (const k of keys) await removeTag(tx, q.id, k);
  });
  return {};
}

export async function listQueueTags(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const tags = await tagsOf(d.store, q.id);
  return Object.keys(tags).length > 0 ? { Tags: tags } : {};
}
