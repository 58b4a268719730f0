/**
 * @module services/functions/api/tags
 * TagResource, UntagResource, ListTags: tags belong to the function as a whole (AWS refuses them
 * on versions and aliases), up to 50, and every change gives $LATEST a new RevisionId.
 */
import type { ListTagsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { invalid, optStringList, optStringMap, validation, Violations, type Input } from '../model/input.js';
import { MAX_TAGS } from '../model/limits.js';
import { LATEST, parseFunctionRef, type FunctionRef } from '../model/names.js';
import { putTag, removeTag, tagsOf } from '../store.js';
import { bumpRevision, requireFunction } from './common.js';

const TAGGABLE_PATTERN =
  'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+)';
const FUNCTION_ARN = /^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const LAYER_ARN = /^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d:\d{12}:layer:[a-zA-Z0-9-_]+$/;

function taggedFunction(input: Input, ctx: RequestContext, action: string): FunctionRef {
  const arn = input.Resource;
  if (typeof arn === 'string' && LAYER_ARN.test(arn)) throw invalid('Tags on layers are not supported by Signalbox. Please specify a function ARN.');
  if (typeof arn !== 'string' || !FUNCTION_ARN.test(arn)) {
    throw validation(arn ?? null, 'resource', `Member must satisfy regular expression pattern: ${TAGGABLE_PATTERN}`);
  }
  const ref = parseFunctionRef(arn, ctx, { action });
  if (ref.qualifier !== undefined) throw invalid('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  return ref;
}

/** AWS's per-tag constraints, and the 50-tag limit counted with the tags already there. */
export function checkTags(tags: Record<string, string>, current: Record<string, string> = {}): void {
  const v = new Violations();
  for (const [k, val] of Object.entries(tags)) {
    v.length(k, 'tags.key', 1, 128);
    v.length(val, 'tags.value', 0, 256);
  }
  v.throwIfAny();
  if (new Set([...Object.keys(current), ...Object.keys(tags)]).size > MAX_TAGS) throw invalid('Number of tags exceeds resource tag limit.');
}

export async function tagResource(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = taggedFunction(input, ctx, 'lambda:TagResource');
  const tags = optStringMap(input, 'Tags');
  if (!tags || Object.keys(tags).length === 0) throw invalid('An error occurred and the request cannot be processed.');
  await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    checkTags(tags, await tagsOf(tx, ref.scope, ref.name));
    for (const [k, val] of Object.entries(tags)) await putTag(tx, ref.scope, ref.name, k, val);
    await bumpRevision(tx, ref.scope, ref.name, LATEST);
  });
  return {};
}

export async function untagResource(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = taggedFunction(input, ctx, 'lambda:UntagResource');
  const keys = optStringList(input, 'TagKeys');
  if (!keys || keys.length === 0) throw validation(null, 'tagKeys', 'Member must not be null');
  await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    for (const k of keys) await removeTag(tx, ref.scope, ref.name, k);
    await bumpRevision(tx, ref.scope, ref.name, LATEST);
  });
  return {};
}

export async function listTags(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListTagsResponse> {
  const ref = taggedFunction(input, ctx, 'lambda:ListTags');
  await requireFunction(d.store, ref);
  return { Tags: await tagsOf(d.store, ref.scope, ref.name) };
}
