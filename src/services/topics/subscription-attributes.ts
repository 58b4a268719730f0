/**
 * @module services/topics/subscription-attributes
 * Subscription attributes: the names Subscribe and SetSubscriptionAttributes accept, how each
 * value is checked (filter policies are compiled by core/patterns, so a policy that is stored
 * always compiles), and the map GetSubscriptionAttributes answers.
 *
 * Messages follow AWS: inside Subscribe they read `Invalid parameter: Attributes Reason: <attr>:
 * …`, inside SetSubscriptionAttributes `Invalid parameter: <attr>: …`.
 */
import { parseArn } from '../../core/arn.js';
import { compileFilterPolicy } from '../../core/patterns/index.js';
import { realEndpoint } from './secret-endpoints.js';
import type { SecretBox } from '../../core/secrets.js';
import { effectiveSubscriptionPolicy, validateSubscriptionDeliveryPolicy } from './delivery-policy.js';
import { invalid, type SubscriptionRecord, type TopicRecord } from './model.js';

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy',
]);

const RAW_PROTOCOLS = new Set(['http', 'https', 'sqs', 'firehose', 'webhook']);

/** Compiles a filter policy under `scope` (core/patterns words the errors, Subscribe's way when `prefix` is set). */
export function checkFilterPolicy(policy: string, scope: string, prefix: string): void {
  if (policy === '') return;
  compileFilterPolicy(policy, scope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes', { inSubscribe: prefix !== '' });
}

/**
 * Checks one attribute for a subscription of `protocol` on `topic`; answers the value to store
 * (RawMessageDelivery is kept lower-case). `attrs` are the subscription's other attributes, for
 * the checks that depend on them (a FilterPolicy under the FilterPolicyScope and vice versa).
 */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  sub: { protocol: string; endpoint: string },
  topic: TopicRecord,
  attrs: Record<string, string>,
  prefix: string,
): string {
  switch (name) {
    case 'FilterPolicy':
      checkFilterPolicy(value, attrs.FilterPolicyScope ?? 'MessageAttributes', prefix);
      return value;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalid(`${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      // the stored policy must still make sense under the new scope
      if (attrs.FilterPolicy) checkFilterPolicy(attrs.FilterPolicy, value, prefix);
      return value;
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalid(`${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (v === 'true' && !RAW_PROTOCOLS.has(sub.protocol)) throw invalid(`Delivery protocol [${sub.protocol}] does not support raw message delivery.`);
      return v;
    }
    case 'DeliveryPolicy':
      if (sub.protocol !== 'http' && sub.protocol !== 'https' && value !== '') {
        throw invalid(`${prefix}DeliveryPolicy: Delivery protocol [${sub.protocol}] does not support delivery policies.`);
      }
      validateSubscriptionDeliveryPolicy(value, prefix);
      return value;
    case 'RedrivePolicy': {
      if (value === '') return value;
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        throw invalid(`${prefix}RedrivePolicy: failed to parse JSON.`);
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid(`${prefix}RedrivePolicy: must be a JSON object.`);
      for (const k of Object.keys(doc)) if (k !== 'deadLetterTargetArn') throw invalid(`${prefix}RedrivePolicy: Unexpected JSON member: ${k}`);
      const target = (doc as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      const arn = typeof target === 'string' ? parseArn(target) : undefined;
      if (!arn || arn.service !== 'sqs' || !arn.resource) throw invalid(`${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
      if (topic.fifo && !arn.resource.endsWith('.fifo')) {
        throw invalid(`${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
      }
      if (!topic.fifo && arn.resource.endsWith('.fifo')) {
        throw invalid(`${prefix}RedrivePolicy: must use a standard queue as DLQ for a Subscription to a standard Topic.`);
      }
      return value;
    }
    case 'SubscriptionRoleArn':
      if (value !== '' && (!parseArn(value) || parseArn(value)!.service !== 'iam')) throw invalid(`${prefix}SubscriptionRoleArn`);
      return value;
    case 'ReplayPolicy':
      if (!topic.fifo) throw invalid(`${prefix}ReplayPolicy: Replay policy can only be set on subscriptions to FIFO topics`);
      return value;
    default:
      throw invalid(`${prefix}AttributeName`);
  }
}

/** Checks a whole Attributes map of Subscribe; answers the map to store. */
export function checkSubscribeAttributes(attrs: Record<string, string>, sub: { protocol: string; endpoint: string }, topic: TopicRecord): Record<string, string> {
  const out: Record<string, string> = {};
  // scope first, so the policy is compiled under the scope the same request sets
  const order = Object.keys(attrs).sort((a, b) => (a === 'FilterPolicyScope' ? -1 : b === 'FilterPolicyScope' ? 1 : 0));
  for (const k of order) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(k)) throw invalid('Attributes Reason: AttributeName');
    const v = checkSubscriptionAttribute(k, attrs[k], sub, topic, { ...out, FilterPolicy: '' }, 'Attributes Reason: ');
    if (v !== '') out[k] = v;
  }
  if (sub.protocol === 'firehose' && !out.SubscriptionRoleArn) {
    throw invalid('Attributes Reason: SubscriptionRoleArn is required for the firehose protocol');
  }
  return out;
}

/** The GetSubscriptionAttributes map. */
export function renderSubscriptionAttributes(s: SubscriptionRecord, topic: TopicRecord | undefined, secrets: SecretBox): Record<string, string> {
  const out: Record<string, string> = {
    SubscriptionArn: s.arn,
    TopicArn: s.topicArn,
    Owner: s.accountId,
    Protocol: s.protocol,
    Endpoint: realEndpoint(secrets, s),
    PendingConfirmation: String(!s.confirmed),
    ConfirmationWasAuthenticated: String(s.confirmationAuthenticated),
    RawMessageDelivery: s.attributes.RawMessageDelivery ?? 'false',
    SubscriptionPrincipal: `arn:aws:iam::${s.accountId}:root`,
  };
  for (const [k, v] of Object.entries(s.attributes)) out[k] = v;
  if (s.attributes.FilterPolicy && !s.attributes.FilterPolicyScope) out.FilterPolicyScope = 'MessageAttributes';
  if (!s.attributes.FilterPolicy) delete out.FilterPolicyScope;
  if (s.protocol === 'http' || s.protocol === 'https') {
    out.EffectiveDeliveryPolicy = JSON.stringify(effectiveSubscriptionPolicy(topic?.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy));
  }
  if (s.webhookSecret) out.WebhookSecret = secrets.open(s.webhookSecret, s.arn);
  return out;
}
