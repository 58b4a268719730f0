/**
 * @module services/topics/listing
 * ListSubscriptions (the caller's, in its region) and ListSubscriptionsByTopic, in pages of 100.
 * A subscription still waiting for confirmation is listed with SubscriptionArn
 * "PendingConfirmation", as AWS does.
 */
import type { RequestContext } from '../service.js';
import type { TopicsDeps } from './deps.js';
import { LIMITS, type SubscriptionRecord } from './model.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { realEndpoint } from './secret-endpoints.js';
import * as db from './store.js';
import { requireTopic } from './topics.js';

type Input = Record<string, unknown>;

function row(d: TopicsDeps, s: SubscriptionRecord) {
  return {
    SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
    Owner: s.accountId,
    Protocol: s.protocol,
    Endpoint: realEndpoint(d.secrets, s),
    TopicArn: s.topicArn,
  };
}

function page(d: TopicsDeps, subs: SubscriptionRecord[], kind: 's' | 'st'): object {
  const shown = subs.slice(0, LIMITS.pageSize);
  const out: Record<string, unknown> = { Subscriptions: shown.map((s) => row(d, s)) };
  if (subs.length > LIMITS.pageSize) out.NextToken = encodePageToken(kind, shown[shown.length - 1].seq);
  return out;
}

export async function listSubscriptions(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const after = decodePageToken(input.NextToken, 's') ?? 0;
  const subs = await db.listSubscriptions(d.store, { accountId: ctx.accountId, region: ctx.region }, after, LIMITS.pageSize + 1);
  return page(d, subs, 's');
}

export async function listSubscriptionsByTopic(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const topic = await requireTopic(d, input.TopicArn, ctx);
  const after = decodePageToken(input.NextToken, 'st') ?? 0;
  const subs = await db.listSubscriptions(d.store, { topicArn: topic.arn }, after, LIMITS.pageSize + 1);
  return page(d, subs, 'st');
}
