/**
 * @module services/topics/confirmations
 * Confirmation tokens and the SubscriptionConfirmation / UnsubscribeConfirmation delivery jobs.
 *
 * A token is 128 random hex characters, valid for three days. The job carries everything the
 * sender needs (token, texts, topic facts); the sender builds the SubscribeURL (or the e-mail
 * link) from the token with delivery-payload.ts's builders.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { NewJob } from '../../core/deliveries/types.js';
import { deliveryKind, type SnsDelivery, type SnsMessageType } from './delivery-payload.js';
import { effectiveSubscriptionPolicy, toRetryPolicy } from './delivery-policy.js';
import type { SubscriptionRecord, TopicRecord } from './model.js';

export function newToken(): string {
  return randomBytes(64).toString('hex');
}

export function subscribeText(topicArn: string): string {
  return `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
}

export function unsubscribeText(subscriptionArn: string): string {
  return `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
}

/** One confirmation message for `sub` as a delivery job. */
export function confirmationJob(
  type: Extract<SnsMessageType, 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'>,
  topic: TopicRecord,
  sub: Pick<SubscriptionRecord, 'arn' | 'protocol' | 'endpoint' | 'attributes' | 'confirmed'>,
  token: string,
  now: Date,
): NewJob {
  const payload: SnsDelivery = {
    type,
    protocol: sub.protocol,
    endpoint: sub.endpoint,
    topicArn: topic.arn,
    region: topic.region,
    accountId: topic.accountId,
    messageId: randomUUID(),
    message: type === 'SubscriptionConfirmation' ? subscribeText(topic.arn) : unsubscribeText(sub.arn),
    timestamp: now.toISOString(),
    raw: false,
    signatureVersion: topic.attributes.SignatureVersion === '2' ? '2' : '1',
    token,
  };
  // AWS leaves the subscription ARN off confirmations of subscriptions that do not exist yet
  if (sub.confirmed) payload.subscriptionArn = sub.arn;
  if (topic.attributes.DisplayName) payload.displayName = topic.attributes.DisplayName;
  const job: NewJob = { kind: deliveryKind(sub.protocol), source: 'sns', target: sub.endpoint, ref: sub.arn, payload };
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    const p = effectiveSubscriptionPolicy(topic.attributes.DeliveryPolicy, sub.attributes.DeliveryPolicy);
    job.retry = toRetryPolicy(p);
    payload.headerContentType = p.requestPolicy.headerContentType;
  }
  return job;
}
