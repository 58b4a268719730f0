/**
 * @module services/logs/tagging
 * Tags on log groups, through both of AWS's APIs: the older TagLogGroup / UntagLogGroup /
 * ListTagsLogGroup by group name, and TagResource / UntagResource / ListTagsForResource by ARN
 * (`arn:aws:logs:<region>:<account>:log-group:<name>`, with or without `:*`). CreateLogGroup's
 * `tags` go through the same checks. A group holds at most 50 tags: over that TagResource answers
 * TooManyTagsException, TagLogGroup InvalidParameterException, as AWS does.
 */
import { awsError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { checkGroupName, groupNotFound, parseGroupArn, requireGroup, scopeOf, type LogsDeps } from './context.js';
import { findGroup, putTag, removeTag, tagsOf, type GroupRecord } from './store.js';
import { invalidParameter, optString, optStringList, optStringMap, Violations, type Input } from './validation.js';

const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Reads and checks a `tags` map (CreateLogGroup, TagLogGroup, TagResource). */
export function readTags(input: Input, v: Violations): Record<string, string> | undefined {
  const tags = optStringMap(input, 'tags');
  if (tags === undefined) return undefined;
  const keys = Object.keys(tags);
  v.length(keys, 'tags', 1, MAX_TAGS);
  for (const [key, value] of Object.entries(tags)) {
    v.length(key, 'tags.key', 1, 128);
    v.pattern(key, 'tags.key', TAG_KEY, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$');
    v.length(value, 'tags.value', 0, 256);
    v.pattern(value, 'tags.value', TAG_VALUE, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
  }
  if (keys.some((k) => /^aws:/i.test(k))) invalidParameter('Tag keys beginning with aws: are reserved for AWS use.');
  return tags;
}

function readKeys(input: Input, member: string, v: Violations, min: number): string[] | undefined {
  const keys = optStringList(input, member);
  if (v.required(keys, member)) {
    v.length(keys!, member, min, MAX_TAGS);
    keys!.forEach((k) => v.length(k, `${member}.member`, 1, 128));
  }
  return keys;
}

/** Merges `tags` onto the group's, refusing to go beyond 50 (`tooMany` says how). */
export async function applyTags(db: Queryable, groupId: number, tags: Record<string, string>, tooMany: () => never): Promise<void> {
  const keys = new Set((await tagsOf(db, groupId)).keys());
  for (const k of Object.keys(tags)) keys.add(k);
  if (keys.size > MAX_TAGS) tooMany();
  for (const [k, value] of Object.entries(tags)) await putTag(db, groupId, k, value);
}

function tooManyForResource(arn: string): never {
  throw awsError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`, { resourceName: arn });
}

function tooManyForGroup(): never {
  return invalidParameter(`A log group can have no more than ${MAX_TAGS} tags.`);
}

/** The group a `resourceArn` names, within the caller's account and region. */
async function groupOfArn(db: Queryable, input: Input, v: Violations, ctx: RequestContext): Promise<{ group: GroupRecord; arn: string }> {
  const arn = optString(input, 'resourceArn');
  if (v.required(arn, 'resourceArn')) v.length(arn, 'resourceArn', 1, 1011);
  v.throwIfAny();
  const parsed = parseGroupArn(arn!);
  if (!parsed) invalidParameter(`Invalid resource ARN: ${arn}. Only log group ARNs can be tagged.`);
  if (parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) groupNotFound();
  const group = (await findGroup(db, scopeOf(ctx), parsed.name)) ?? groupNotFound();
  return { group, arn: arn! };
}

async function groupOfName(db: Queryable, input: Input, v: Violations, ctx: RequestContext): Promise<GroupRecord> {
  const name = optString(input, 'logGroupName');
  checkGroupName(v, name);
  v.throwIfAny();
  return requireGroup(db, scopeOf(ctx), name!);
}

export async function tagResource(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const tags = readTags(input, v);
  v.required(tags, 'tags');
  await d.store.transaction(async (tx) => {
    const { group, arn } = await groupOfArn(tx, input, v, ctx);
    await applyTags(tx, group.id, tags!, () => tooManyForResource(arn));
  });
  return {};
}

export async function untagResource(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const keys = readKeys(input, 'tagKeys', v, 0);
  await d.store.transaction(async (tx) => {
    const { group } = await groupOfArn(tx, input, v, ctx);
    for (const k of keys!) await removeTag(tx, group.id, k);
  });
  return {};
}

export async function listTagsForResource(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const { group } = await groupOfArn(d.store, input, new Violations(), ctx);
  return { tags: Object.fromEntries(await tagsOf(d.store, group.id)) };
}

export async function tagLogGroup(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const tags = readTags(input, v);
  v.required(tags, 'tags');
  await d.store.transaction(async (tx) => {
    const group = await groupOfName(tx, input, v, ctx);
    await applyTags(tx, group.id, tags!, tooManyForGroup);
  });
  return {};
}

export async function untagLogGroup(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const keys = readKeys(input, 'tags', v, 1);
  await d.store.transaction(async (tx) => {
    const group = await groupOfName(tx, input, v, ctx);
    for (const k of keys!) await removeTag(tx, group.id, k);
  });
  return {};
}

export async function listTagsLogGroup(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const group = await groupOfName(d.store, input, new Violations(), ctx);
  return { tags: Object.fromEntries(await tagsOf(d.store, group.id)) };
}
