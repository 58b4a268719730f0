/**
 * @module services/queues/names
 * How queues are named and addressed: queue names, URLs (`<publicUrl>/<account>/<name>`), ARNs,
 * and the lookup every operation starts with.
 *
 * A client may send a QueueUrl built on any host (the AWS endpoint, localhost, a load balancer):
 * only the `/<account>/<name>` ending is matched. The region is the caller's (SigV4 scope), as
 * in AWS where the URL's host carries it; a URL naming another account is treated as a queue
 * that does not exist, since queue policies (cross-account access) are not evaluated.
 */
import { formatArn, parseArn } from '../../core/arn.js';
import { awsError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { queueByName, type QueueRow, type Scope } from './store.js';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function scopeOf(ctx: Pick<RequestContext, 'accountId' | 'region'>): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}

export function queueUrl(publicUrl: string, accountId: string, name: string): string {
  return `${publicUrl}/${accountId}/${name}`;
}

export function queueArn(s: Scope, name: string): string {
  return formatArn({ service: 'sqs', region: s.region, accountId: s.accountId, resource: name });
}

export function urlOf(publicUrl: string, q: QueueRow): string {
  return queueUrl(publicUrl, q.account_id, q.name);
}

export function arnOf(q: QueueRow): string {
  return queueArn({ accountId: q.account_id, region: q.region }, q.name);
}

/** Checks a name for CreateQueue: 1–80 of [A-Za-z0-9_-], plus `.fifo` for FIFO queues. */
export function checkQueueName(name: string, fifo: boolean): void {
  const base = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (!NAME.test(base) || name.length > 80) {
    throw awsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
  if (fifo && !name.endsWith('.fifo')) {
    throw awsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
  }
  if (!fifo && name.endsWith('.fifo')) {
    throw awsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

/** `{ account, name }` from a QueueUrl on any host, or undefined when it has no such ending. */
export function parseQueueUrl(url: string): { accountId: string; name: string } | undefined {
  let path = url;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    const slash = url.indexOf('/', scheme + 3);
    path = slash < 0 ? '' : url.slice(slash);
  }
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.length < 2) return undefined;
  return { accountId: decodeURIComponent(parts[parts.length - 2]), name: decodeURIComponent(parts[parts.length - 1]) };
}

export function noSuchQueue(): never {
  throw awsError('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** The queue a QueueUrl names, in the caller's account and region. */
export async function queueFromUrl(db: Queryable, ctx: Pick<RequestContext, 'accountId' | 'region'>, url: unknown): Promise<QueueRow> {
  if (typeof url !== 'string' || url.length === 0) throw awsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  const parsed = parseQueueUrl(url);
  if (!parsed) throw awsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  if (parsed.accountId !== ctx.accountId) noSuchQueue();
  const q = await queueByName(db, scopeOf(ctx), parsed.name);
  return q ?? noSuchQueue();
}

/** The queue an SQS ARN names (targets, redrive policies, move tasks), or undefined. */
export async function queueFromArn(db: Queryable, arn: string): Promise<QueueRow | undefined> {
  const a = parseArn(arn);
  if (!a || a.service !== 'sqs' || a.resource.length === 0) return undefined;
  return queueByName(db, { accountId: a.accountId, region: a.region }, a.resource);
}
