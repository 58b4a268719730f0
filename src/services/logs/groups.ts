/**
 * @module services/logs/groups
 * CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy.
 *
 * Deleting a group answers at once: the group, its streams, metric filters and tags go in one
 * transaction, and its events — possibly millions — are purged in batches by the background
 * sweep (they are unreachable from the moment the group is gone). Retention is enforced by the
 * same sweep; PutRetentionPolicy wakes it.
 */
import { awsError } from '../../core/errors.js';
import { isUniqueViolation } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import {
  checkGroupName, checkOptionalGroupName, groupArn, groupArnBare, requireGroup, scopeOf, type LogsDeps,
} from './context.js';
import { RETENTION_DAYS } from './retention.js';
import { deleteGroup, findGroup, insertGroup, listGroups, setRetention, type GroupListing } from './store.js';
import { applyTags, readTags } from './tagging.js';
import { decodePageToken, encodePageToken, tokenString } from './tokens.js';
import { invalidParameter, optInt, optString, Violations, type Input } from './validation.js';

const GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;

function alreadyExists(): never {
  throw awsError('ResourceAlreadyExistsException', 'The specified log group already exists');
}

export async function createLogGroup(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const name = optString(input, 'logGroupName');
  checkGroupName(v, name);
  const kmsKeyId = optString(input, 'kmsKeyId');
  v.length(kmsKeyId, 'kmsKeyId', 0, 256);
  const groupClass = optString(input, 'logGroupClass');
  v.oneOf(groupClass, 'logGroupClass', GROUP_CLASSES);
  const tags = readTags(input, v);
  v.throwIfAny();
  if (name!.startsWith('aws/')) invalidParameter('Log group names cannot start with aws/, which is reserved for AWS.');

  const scope = scopeOf(ctx);
  try {
    await d.store.transaction(async (tx) => {
      if (await findGroup(tx, scope, name!)) alreadyExists();
      const id = await insertGroup(tx, scope, { name: name!, createdAt: d.clock.ms(), kmsKeyId: kmsKeyId ?? null, groupClass: groupClass ?? 'STANDARD' });
      if (tags) await applyTags(tx, id, tags, () => invalidParameter('A log group can have no more than 50 tags.'));
    });
  } catch (e) {
    // another node created it between our check and our insert
    if (isUniqueViolation(e)) alreadyExists();
    throw e;
  }
  return {};
}

export async function deleteLogGroup(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const name = optString(input, 'logGroupName');
  checkGroupName(v, name);
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scopeOf(ctx), name!);
    await deleteGroup(tx, group.id);
  });
  d.wakeSweep();
  return {};
}

const DESCRIBE_MAX = 50;
/** rows read per step when a name pattern filters them outside SQL */
const PATTERN_STEP = 500;

function describeGroup(ctx: RequestContext, g: GroupListing): object {
  const scope = scopeOf(ctx);
  return {
    logGroupName: g.name,
    creationTime: g.createdAt,
    retentionInDays: g.retentionDays ?? undefined,
    metricFilterCount: g.metricFilterCount,
    arn: groupArn(scope, g.name),
    logGroupArn: groupArnBare(scope, g.name),
    storedBytes: g.storedBytes,
    kmsKeyId: g.kmsKeyId ?? undefined,
    logGroupClass: g.groupClass,
  };
}

/**
 * Groups in name order, `limit` (≤ 50) at a time. `logGroupNamePattern` is a case-sensitive
 * substring; it is tested here rather than in SQL (SQLite's LIKE ignores case), reading the
 * names in steps until the page is full.
 */
export async function describeLogGroups(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const prefix = optString(input, 'logGroupNamePrefix');
  checkOptionalGroupName(v, prefix, 'logGroupNamePrefix');
  const pattern = optString(input, 'logGroupNamePattern');
  v.length(pattern, 'logGroupNamePattern', 0, 512);
  v.pattern(pattern, 'logGroupNamePattern', /^[.\-_/#A-Za-z0-9]*$/, '[\\.\\-_/#A-Za-z0-9]*');
  const limit = optInt(input, 'limit');
  v.range(limit, 'limit', 1, DESCRIBE_MAX);
  const groupClass = optString(input, 'logGroupClass');
  v.oneOf(groupClass, 'logGroupClass', GROUP_CLASSES);
  v.throwIfAny();
  if (prefix !== undefined && pattern !== undefined) {
    invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
  }
  const token = decodePageToken(optString(input, 'nextToken'), 'groups');
  const pageSize = limit ?? DESCRIBE_MAX;

  const found: GroupListing[] = [];
  let after = token ? tokenString(token, 'n') : undefined;
  let more = false;
  for (;;) {
    const step = pattern ? PATTERN_STEP : pageSize + 1;
    const rows = await listGroups(d.store, scopeOf(ctx), { after, prefix, groupClass, limit: step });
    for (const g of rows) {
      if (pattern && !g.name.includes(pattern)) continue;
      if (found.length === pageSize) {
        more = true;
        break;
      }
      found.push(g);
    }
    if (more || rows.length < step) break;
    after = rows[rows.length - 1].name;
  }
  return {
    logGroups: found.map((g) => describeGroup(ctx, g)),
    nextToken: more ? encodePageToken('groups', { n: found[found.length - 1].name }) : undefined,
  };
}

export async function putRetentionPolicy(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const name = optString(input, 'logGroupName');
  checkGroupName(v, name);
  const days = optInt(input, 'retentionInDays');
  if (v.required(days, 'retentionInDays')) v.oneOf(days, 'retentionInDays', RETENTION_DAYS);
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scopeOf(ctx), name!);
    await setRetention(tx, group.id, days!);
  });
  d.wakeSweep();
  return {};
}

export async function deleteRetentionPolicy(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const name = optString(input, 'logGroupName');
  checkGroupName(v, name);
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scopeOf(ctx), name!);
    await setRetention(tx, group.id, null);
  });
  return {};
}
