/**
 * @module services/queues/queues
 * Queue lifecycle and configuration: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue,
 * PurgeQueue, Get/SetQueueAttributes, ListDeadLetterSourceQueues.
 *
 * CreateQueue is idempotent the AWS way: the same name with the same values for the attributes
 * the request names answers the existing URL; a different value is QueueNameExists. A
 * RedrivePolicy must name an existing queue of the same type whose RedriveAllowPolicy admits the
 * source, checked in the same transaction that stores it.
 */
import { awsError } from '../../core/errors.js';
import { isUniqueViolation, type Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import {
  firstDifference, initialAttributes, intAttribute, merge, normaliseRequested, parseStored, redriveAllowPolicyOf, redrivePolicyOf,
  requestedNames, type QueueAttributes,
} from './attributes.js';
import { invalidParameter, optInt, optString, requireString, stringList, type Input, type QueuesDeps } from './context.js';
import { arnOf, checkQueueName, noSuchQueue, queueArn, queueFromArn, queueFromUrl, queueUrl, scopeOf, urlOf } from './names.js';
import {
  deadLetterSources, deleteQueue as deleteQueueRows, insertQueue, listQueues as listNames, messageCounts, purgeMessages, putTag,
  queueByName, setPurgedAt, updateQueueAttributes, type QueueRow, type Scope,
} from './store.js';
import { checkTags } from './tagging.js';

const PURGE_INTERVAL_MS = 60_000;

/** Checks the RedrivePolicy in `attrs` against its dead-letter queue; the DLQ's ARN or null. */
async function checkRedrive(db: Queryable, attrs: QueueAttributes, fifo: boolean, sourceArn: string): Promise<string | null> {
  const policy = redrivePolicyOf(attrs);
  if (!policy) return null;
  const reject = (reason: string): never => {
    throw invalidParameter('RedrivePolicy', attrs.RedrivePolicy, reason);
  };
  const source = sourceArn.split(':');
  const target = policy.deadLetterTargetArn.split(':');
  if (source[3] !== target[3] || source[4] !== target[4]) reject('Dead-letter target must be in the same account and region as the source queue.');
  const dlq = await queueFromArn(db, policy.deadLetterTargetArn);
  if (!dlq) return reject('Dead letter target does not exist.');
  if ((dlq.fifo === 1) !== fifo) reject('Dead-letter queue must be same type of queue as the source.');
  const allow = redriveAllowPolicyOf(parseStored(dlq.attributes));
  if (allow?.redrivePermission === 'denyAll' || (allow?.redrivePermission === 'byQueue' && !allow.sourceQueueArns?.includes(sourceArn))) {
    reject('Dead-letter queue does not allow this queue as a source (RedriveAllowPolicy).');
  }
  return policy.deadLetterTargetArn;
}

export async function createQueue(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const scope = scopeOf(ctx);
  const name = requireString(input, 'QueueName');
  const rawAttrs = (input.Attributes ?? {}) as Record<string, unknown>;
  const fifo = typeof rawAttrs.FifoQueue === 'string' && rawAttrs.FifoQueue.toLowerCase() === 'true';
  checkQueueName(name, fifo);
  const requested = normaliseRequested(rawAttrs, fifo, true);
  const tags = checkTags(input.tags, {}, name);
  const url = queueUrl(d.publicUrl, scope.accountId, name);

  const sameOrConflict = (q: QueueRow): object => {
    const diff = firstDifference(parseStored(q.attributes), requested, q.fifo === 1);
    if (diff) throw awsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${diff}`);
    return { QueueUrl: url };
  };
  try {
    return await d.store.transaction(async (tx) => {
      const existing = await queueByName(tx, scope, name);
      if (existing) return sameOrConflict(existing);
      const attrs = initialAttributes(requested, fifo);
      const dlqArn = await checkRedrive(tx, attrs, fifo, queueArn(scope, name));
      const id = await insertQueue(tx, scope, { name, fifo, attributes: JSON.stringify(attrs), dlqArn, at: d.clock.ms() });
      for (const [k, v] of Object.entries(tags)) await putTag(tx, id, k, v);
      return { QueueUrl: url };
    });
  } catch (e) {
    // Created concurrently by another request: answer as if it had existed before.
    if (!isUniqueViolation(e)) throw e;
    const q = await queueByName(d.store, scope, name);
    return q ? sameOrConflict(q) : noSuchQueue();
  }
}

export async function getQueueUrl(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = requireString(input, 'QueueName');
  const owner = optString(input, 'QueueOwnerAWSAccountId') ?? ctx.accountId;
  if (owner !== ctx.accountId) noSuchQueue(); // queue policies (cross-account access) are not evaluated
  const q = await queueByName(d.store, scopeOf(ctx), name);
  if (!q) noSuchQueue();
  return { QueueUrl: urlOf(d.publicUrl, q) };
}

/** NextToken of the listing operations: the last name returned, opaque to clients. */
function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

function decodeToken(token: string | undefined): string {
  if (token === undefined || token === '') return '';
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    /* fall through */
  }
  throw awsError('InvalidParameterValue', 'Invalid NextToken value.');
}

/** Pages through names: without MaxResults, up to 1000 and no NextToken (as AWS does). */
async function page(input: Input, fetch: (after: string, limit: number) => Promise<string[]>): Promise<{ names: string[]; next?: string }> {
  const max = optInt(input, 'MaxResults', 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
  const after = decodeToken(optString(input, 'NextToken'));
  if (max === undefined) return { names: await fetch(after, 1000) };
  const rows = await fetch(after, max + 1);
  const names = rows.slice(0, max);
  return rows.length > max ? { names, next: encodeToken(names[names.length - 1]) } : { names };
}

export async function listQueues(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const scope = scopeOf(ctx);
  const prefix = optString(input, 'QueueNamePrefix') ?? '';
  const { names, next } = await page(input, (after, limit) => listNames(d.store, scope, prefix, after, limit));
  const out: Record<string, unknown> = {};
  if (names.length > 0) out.QueueUrls = names.map((n) => queueUrl(d.publicUrl, scope.accountId, n));
  if (next) out.NextToken = next;
  return out;
}

export async function listDeadLetterSourceQueues(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const scope: Scope = scopeOf(ctx);
  const { names, next } = await page(input, (after, limit) => deadLetterSources(d.store, scope, arnOf(q), after, limit));
  return { queueUrls: names.map((n) => queueUrl(d.publicUrl, scope.accountId, n)), ...(next ? { NextToken: next } : {}) };
}

export async function deleteQueue(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  await d.store.transaction((tx) => deleteQueueRows(tx, q.id));
  d.waiters.notify(q.id); // parked receives find the queue gone and answer empty
  return {};
}

export async function purgeQueue(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  await d.store.transaction(async (tx) => {
    const now = d.clock.ms();
    const fresh = await queueByName(tx, scopeOf(ctx), q.name);
    if (!fresh) noSuchQueue();
    if (fresh.purged_at !== null && now - fresh.purged_at < PURGE_INTERVAL_MS) {
      // 403 in SQS's model (the shared catalogue says 400)
      throw awsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`, undefined, { status: 403 });
    }
    await purgeMessages(tx, fresh.id);
    await setPurgedAt(tx, fresh.id, now);
  });
  return {};
}

export async function getQueueAttributes(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const names = requestedNames(stringList(input, 'AttributeNames'), q.fifo === 1);
  if (names.length === 0) return {};
  const attrs = parseStored(q.attributes);
  const computed: Record<string, string> = {
    QueueArn: arnOf(q),
    CreatedTimestamp: String(Math.floor(q.created_at / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.modified_at / 1000)),
  };
  if (names.some((n) => n.startsWith('ApproximateNumberOfMessages'))) {
    const now = d.clock.ms();
    const c = await messageCounts(d.store, q.id, now, now - intAttribute(attrs, 'MessageRetentionPeriod') * 1000);
    computed.ApproximateNumberOfMessages = String(c.visible);
    computed.ApproximateNumberOfMessagesNotVisible = String(c.inFlight);
    computed.ApproximateNumberOfMessagesDelayed = String(c.delayed);
  }
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = computed[n] ?? attrs[n];
    if (v !== undefined) out[n] = v;
  }
  return { Attributes: out };
}

export async function setQueueAttributes(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  if (input.Attributes === undefined || input.Attributes === null) throw awsError('MissingParameter', 'The request must contain the parameter Attributes.');
  const changes = normaliseRequested(input.Attributes, q.fifo === 1, false);
  await d.store.transaction(async (tx) => {
    const fresh = await queueByName(tx, scopeOf(ctx), q.name);
    if (!fresh) noSuchQueue();
    const attrs = merge(parseStored(fresh.attributes), changes);
    const dlqArn = await checkRedrive(tx, attrs, fresh.fifo === 1, arnOf(fresh));
    await updateQueueAttributes(tx, fresh.id, JSON.stringify(attrs), dlqArn, d.clock.ms());
  });
  return {};
}
