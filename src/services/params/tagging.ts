/**
 * @module services/params/tagging
 * AddTagsToResource, RemoveTagsFromResource, ListTagsForResource for parameters, and the tag
 * rules PutParameter shares.
 *
 * SSM tags many resource types through these three operations; Signalbox hosts only parameters,
 * so any other valid ResourceType is InvalidResourceType (as AWS answers for a type it cannot tag
 * in that context) and an unknown parameter is InvalidResourceId. A resource holds at most 50 tags.
 */
import type { AddTagsToResourceResult, ListTagsForResourceResult, RemoveTagsFromResourceResult, Tag } from '@aws-sdk/client-ssm';
import { awsError } from '../../core/errors.js';
import type { RequestContext, ServiceDeps } from '../service.js';
import { LIMITS, normaliseName, scopeOf } from './params.js';
import { parameterExists, putTag, removeTag, tagsOf, type Scope } from './store.js';
import type { Queryable } from '../../store/store.js';
import { optObjectList, optString, optStringList, Violations } from './validation.js';

type Input = Record<string, unknown>;
type Deps = Pick<ServiceDeps, 'store'>;

const RESOURCE_TYPES = [
  'Association', 'Automation', 'CloudConnector', 'Document', 'MaintenanceWindow', 'ManagedInstance', 'OpsMetadata', 'OpsItem', 'Parameter', 'PatchBaseline',
];
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export interface TagPair {
  key: string;
  value: string;
}

/** Reads and checks the Tags member of PutParameter and AddTagsToResource. */
export function readTags(input: Input, v: Violations): TagPair[] | undefined {
  const list = optObjectList(input, 'Tags');
  if (list === undefined) return undefined;
  v.length(list, 'tags', 0, 1000);
  return list.map((t, i) => {
    const at = `tags.${i + 1}.member`;
    const key = optString(t, 'Key');
    const value = optString(t, 'Value');
    if (v.required(key, `${at}.key`)) {
      v.length(key, `${at}.key`, 1, 128);
      if (!TAG_CHARS.test(key!) || /^aws:/i.test(key!)) {
        v.add(key, `${at}.key`, 'Member must satisfy regular expression pattern: ^(?!^(?i)aws:)(?=^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$).*$');
      }
    }
    if (v.required(value, `${at}.value`)) {
      v.length(value, `${at}.value`, 0, 256);
      v.pattern(value, `${at}.value`, TAG_CHARS, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
    }
    return { key: key ?? '', value: value ?? '' };
  });
}

/** Merges `tags` onto the parameter's, refusing to go beyond 50. */
export async function applyTags(db: Queryable, scope: Scope, name: string, tags: readonly TagPair[]): Promise<void> {
  const current = await tagsOf(db, scope, name);
  const keys = new Set(current.keys());
  for (const t of tags) keys.add(t.key);
  if (keys.size > LIMITS.maxTagsPerResource) {
    throw awsError('TooManyTagsError', `The Tags parameter contains too many tags. A resource can have at most ${LIMITS.maxTagsPerResource} tags.`);
  }
  for (const t of tags) await putTag(db, scope, name, t.key, t.value);
}

/** Checks ResourceType/ResourceId and returns the parameter name they denote. */
async function target(db: Queryable, input: Input, ctx: RequestContext, v: Violations): Promise<string> {
  const type = optString(input, 'ResourceType');
  const id = optString(input, 'ResourceId');
  if (v.required(type, 'resourceType')) v.oneOf(type, 'resourceType', RESOURCE_TYPES);
  v.required(id, 'resourceId');
  v.throwIfAny();
  if (type !== 'Parameter') {
    throw awsError('InvalidResourceType', 'The resource type is not valid. Signalbox can tag only parameters (ResourceType Parameter).');
  }
  const name = normaliseName(id!);
  if (!(await parameterExists(db, scopeOf(ctx), name))) {
    throw awsError('InvalidResourceId', `The resource ID is not valid. Verify that you entered the correct ID and try again: ${name}`);
  }
  return name;
}

export async function addTagsToResource(d: Deps, input: Input, ctx: RequestContext): Promise<AddTagsToResourceResult> {
  const v = new Violations();
  const tags = readTags(input, v);
  v.required(tags, 'tags');
  await d.store.transaction(async (tx) => {
    const name = await target(tx, input, ctx, v);
    await applyTags(tx, scopeOf(ctx), name, tags!);
  });
  return {};
}

export async function removeTagsFromResource(d: Deps, input: Input, ctx: RequestContext): Promise<RemoveTagsFromResourceResult> {
  const v = new Violations();
  const keys = optStringList(input, 'TagKeys');
  if (v.required(keys, 'tagKeys')) keys!.forEach((k, i) => v.length(k, `tagKeys.${i + 1}.member`, 1, 128));
  await d.store.transaction(async (tx) => {
    const name = await target(tx, input, ctx, v);
    for (const k of keys!) await removeTag(tx, scopeOf(ctx), name, k);
  });
  return {};
}

export async function listTagsForResource(d: Deps, input: Input, ctx: RequestContext): Promise<ListTagsForResourceResult> {
  const name = await target(d.store, input, ctx, new Violations());
  const tags = await tagsOf(d.store, scopeOf(ctx), name);
  const TagList: Tag[] = [...tags].map(([Key, Value]) => ({ Key, Value }));
  return { TagList };
}
