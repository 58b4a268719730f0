/**
 * @module services/topics/subscriptions
 * Subscribe, ConfirmSubscription, Unsubscribe, GetSubscriptionAttributes,
 * SetSubscriptionAttributes.
 *
 * - Subscribe is idempotent per (topic, protocol, endpoint): the existing subscription is
 *   answered (a pending one gets its confirmation sent again); different attributes are
 *   InvalidParameter. http/https/email/email-json (and sqs/lambda/firehose of another account)
 *   start pending, and a SubscriptionConfirmation job is committed with the subscription.
 * - ConfirmSubscription works unsigned (the SubscribeURL is a plain GET), so the topic's region
 *   and account come from the TopicArn, not the request. A token used again after confirmation
 *   answers the same SubscriptionArn while it is valid (AWS treats the call as idempotent); an
 *   unknown or expired (3 days) token is InvalidParameter "Invalid parameter: Token".
 * - Unsubscribe works unsigned too (the UnsubscribeURL), except for subscriptions confirmed with
 *   AuthenticateOnUnsubscribe=true in a signed call: those need a signed request. For http/https
 *   endpoints an UnsubscribeConfirmation is sent whose token restores the subscription.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { awsError } from '../../core/errors.js';
import type { NewJob } from '../../core/deliveries/types.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { confirmationJob, newToken } from './confirmations.js';
import type { SnsProtocol } from './delivery-payload.js';
import type { TopicsDeps } from './deps.js';
import { checkEndpoint, needsConfirmation, receivesConfirmations } from './endpoints.js';
import { sealEndpoint, storedEndpoint } from './secret-endpoints.js';
import {
  invalid, isTrue, LIMITS, parseSubscriptionArn, parseTopicArn, requireString, stringMap, subscriptionNotFound, topicNotFound,
  type SubscriptionRecord, type TopicRecord,
} from './model.js';
import * as db from './store.js';
import { checkSubscribeAttributes, checkSubscriptionAttribute, renderSubscriptionAttributes, SUBSCRIPTION_ATTRIBUTES } from './subscription-attributes.js';
import { requireTopic } from './topics.js';

type Input = Record<string, unknown>;

const PENDING = 'pending confirmation';

function webhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

async function checkFilterLimit(d: TopicsDeps, topicArn: string): Promise<void> {
  const entry = await d.cache.get(topicArn);
  if (entry && entry.filterPolicies >= LIMITS.filterPoliciesPerTopic) {
    throw awsError('FilterPolicyLimitExceeded', 'Filter policy limit exceeded');
  }
}

/** Creates a subscription row (and its token and confirmation job when it needs confirming). */
async function createSubscription(
  d: TopicsDeps,
  tx: Queryable,
  topic: TopicRecord,
  spec: { protocol: SnsProtocol; endpoint: string; attributes: Record<string, string>; owner: string; confirmed: boolean; authenticated: boolean },
  jobs: NewJob[],
  now: Date,
): Promise<SubscriptionRecord> {
  const arn = `${topic.arn}:${randomUUID()}`;
  const rec: Omit<SubscriptionRecord, 'seq'> = {
    arn,
    topicArn: topic.arn,
    accountId: spec.owner,
    region: topic.region,
    protocol: spec.protocol,
    endpoint: storedEndpoint(d.secrets, spec.protocol, spec.endpoint),
    endpointSealed: sealEndpoint(d.secrets, spec.protocol, spec.endpoint, arn),
    confirmed: spec.confirmed,
    confirmationAuthenticated: spec.confirmed && spec.authenticated,
    authenticateOnUnsubscribe: false,
    attributes: spec.attributes,
    // the secret is bound to this subscription: a sealed value copied to another row will not open
    webhookSecret: spec.protocol === 'webhook' ? d.secrets.seal(webhookSecret(), arn) : null,
    createdAt: now.getTime(),
  };
  await db.insertSubscription(tx, rec);
  if (!spec.confirmed) {
    const token = newToken();
    await db.insertToken(tx, {
      token, kind: 'subscribe', topicArn: topic.arn, subscriptionArn: arn, protocol: spec.protocol, endpoint: spec.endpoint,
      attributes: {}, expiresAt: now.getTime() + LIMITS.tokenTtlMs,
    });
    if (receivesConfirmations(spec.protocol)) jobs.push(confirmationJob('SubscriptionConfirmation', topic, rec, token, now));
  }
  return { ...rec, seq: 0 };
}

/** Runs `fn` in a transaction whose delivery jobs are committed with it, then wakes the engine. */
async function withJobs<T>(d: TopicsDeps, fn: (tx: Queryable, jobs: NewJob[]) => Promise<T>): Promise<T> {
  let queued = 0;
  const out = await d.store.transaction(async (tx) => {
    const jobs: NewJob[] = [];
    const r = await fn(tx, jobs);
    if (jobs.length > 0) await d.deliveries.enqueue(jobs, tx);
    queued = jobs.length;
    return r;
  });
  if (queued > 0) d.deliveries.wake();
  return out;
}

export async function subscribe(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const topic = await requireTopic(d, input.TopicArn, ctx);
  const protocol = requireString(input, 'Protocol').toLowerCase() as SnsProtocol;
  const endpoint = checkEndpoint(protocol, typeof input.Endpoint === 'string' ? input.Endpoint : undefined, topic);
  const attributes = checkSubscribeAttributes(stringMap(input.Attributes), { protocol, endpoint }, topic);
  const returnArn = input.ReturnSubscriptionArn === true;
  if (attributes.FilterPolicy) await checkFilterLimit(d, topic.arn);

  const sub = await withJobs(d, async (tx, jobs) => {
    const existing = await db.findSubscription(tx, topic.arn, protocol, storedEndpoint(d.secrets, protocol, endpoint));
    if (existing) {
      for (const [k, v] of Object.entries(attributes)) {
        if (existing.attributes[k] !== v) throw invalid('Attributes Reason: Subscription already exists with different attributes');
      }
      if (!existing.confirmed && receivesConfirmations(protocol)) {
        // a repeated Subscribe sends the confirmation again (with a fresh token once the old one expired)
        let token = await db.tokenOfSubscription(tx, existing.arn, ctx.now.getTime());
        if (!token) {
          token = newToken();
          await db.insertToken(tx, {
            token, kind: 'subscribe', topicArn: topic.arn, subscriptionArn: existing.arn, protocol, endpoint, attributes: {},
            expiresAt: ctx.now.getTime() + LIMITS.tokenTtlMs,
          });
        }
        jobs.push(confirmationJob('SubscriptionConfirmation', topic, existing, token, ctx.now));
      }
      return existing;
    }
    return createSubscription(d, tx, topic, {
      protocol, endpoint, attributes, owner: ctx.accountId, confirmed: !needsConfirmation(protocol, endpoint, topic.accountId), authenticated: true,
    }, jobs, ctx.now);
  });
  d.cache.invalidate(topic.arn);
  return { SubscriptionArn: sub.confirmed || returnArn ? sub.arn : PENDING };
}

export async function confirmSubscription(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const topicArn = parseTopicArn(input.TopicArn);
  const token = requireString(input, 'Token');
  const signed = ctx.accessKeyId !== '';
  const authOnUnsubscribe = signed && isTrue(typeof input.AuthenticateOnUnsubscribe === 'string' ? input.AuthenticateOnUnsubscribe : undefined);
  const now = ctx.now.getTime();

  const arn = await withJobs(d, async (tx, jobs) => {
    const t = await db.getToken(tx, token);
    if (!t || t.expiresAt <= now) throw invalid('Token');
    if (t.topicArn !== topicArn.arn) throw invalid('Topic');
    if (t.kind === 'subscribe') {
      const sub = t.subscriptionArn ? await db.getSubscription(tx, t.subscriptionArn) : undefined;
      if (!sub) throw invalid('Token');
      if (!sub.confirmed) await db.confirmSubscription(tx, sub.arn, signed, authOnUnsubscribe);
      return sub.arn;
    }
    // resubscribe: restore the subscription an UnsubscribeConfirmation was sent for
    const restored = t.subscriptionArn ? await db.getSubscription(tx, t.subscriptionArn) : undefined;
    if (restored) return restored.arn;
    const topic = await db.getTopic(tx, topicArn.arn);
    if (!topic) throw topicNotFound();
    const existing = await db.findSubscription(tx, topic.arn, t.protocol, t.endpoint);
    const sub = existing ?? (await createSubscription(d, tx, topic, {
      protocol: t.protocol, endpoint: t.endpoint, attributes: t.attributes, owner: topic.accountId, confirmed: true, authenticated: signed,
    }, jobs, ctx.now));
    if (!existing && authOnUnsubscribe) await db.confirmSubscription(tx, sub.arn, signed, true);
    await db.bindToken(tx, token, sub.arn);
    return sub.arn;
  });
  d.cache.invalidate(topicArn.arn);
  return { SubscriptionArn: arn };
}

export async function unsubscribe(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = parseSubscriptionArn(input.SubscriptionArn);
  await withJobs(d, async (tx, jobs) => {
    const sub = await db.getSubscription(tx, ref.arn);
    // unsubscribing twice succeeds, as in AWS
    if (!sub) return;
    if (ctx.accessKeyId === '' && sub.authenticateOnUnsubscribe) {
      throw awsError('AuthorizationError', `User: anonymous is not authorized to perform: SNS:Unsubscribe on resource: ${sub.arn} (the subscription requires an authenticated unsubscribe)`);
    }
    await db.deleteSubscription(tx, sub.arn, sub.topicArn);
    const topic = await db.getTopic(tx, sub.topicArn);
    if (topic && sub.confirmed && (sub.protocol === 'http' || sub.protocol === 'https')) {
      const token = newToken();
      await db.insertToken(tx, {
        token, kind: 'resubscribe', topicArn: sub.topicArn, subscriptionArn: null, protocol: sub.protocol, endpoint: sub.endpoint,
        attributes: sub.attributes, expiresAt: ctx.now.getTime() + LIMITS.tokenTtlMs,
      });
      jobs.push(confirmationJob('UnsubscribeConfirmation', topic, sub, token, ctx.now));
    }
  });
  d.cache.invalidate(ref.topicArn);
  return {};
}

async function requireSubscription(d: TopicsDeps, value: unknown): Promise<SubscriptionRecord> {
  const ref = parseSubscriptionArn(value);
  const sub = await db.getSubscription(d.store, ref.arn);
  if (!sub) throw subscriptionNotFound();
  return sub;
}

export async function getSubscriptionAttributes(d: TopicsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const sub = await requireSubscription(d, input.SubscriptionArn);
  const entry = await d.cache.get(sub.topicArn);
  return { Attributes: renderSubscriptionAttributes(sub, entry?.topic, d.secrets) };
}

export async function setSubscriptionAttributes(d: TopicsDeps, input: Input, _ctx: RequestContext): Promise<object> {
  const sub = await requireSubscription(d, input.SubscriptionArn);
  const name = requireString(input, 'AttributeName');
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalid('AttributeName');
  const entry = await d.cache.get(sub.topicArn);
  if (!entry) throw topicNotFound();
  const raw = typeof input.AttributeValue === 'string' ? input.AttributeValue : '';
  const value = checkSubscriptionAttribute(name, raw, sub, entry.topic, sub.attributes, '');
  if (name === 'FilterPolicy' && value && !sub.attributes.FilterPolicy) await checkFilterLimit(d, sub.topicArn);
  await d.store.transaction(async (tx) => {
    const current = await db.getSubscription(tx, sub.arn);
    if (!current) throw subscriptionNotFound();
    const attrs = { ...current.attributes };
    if (value === '') delete attrs[name];
    else attrs[name] = value;
    await db.updateSubscriptionAttributes(tx, sub.arn, attrs);
  });
  d.cache.invalidate(sub.topicArn);
  return {};
}
