/**
 * @module services/topics/fanout
 * One published message → one delivery job per confirmed subscription whose filter policy
 * matches. Everything here is in memory (the topic's cache entry); the caller commits all the
 * jobs of a Publish or PublishBatch with one `deliveries.enqueue` call.
 *
 * Dead letters: a subscription with a RedrivePolicy names an SQS queue; the body SNS puts there
 * is what the queue would have received from the subscription itself — the notification JSON
 * envelope (Type, MessageId, TopicArn, Subject, Message, Timestamp, UnsubscribeURL,
 * MessageAttributes), or the bare message for RawMessageDelivery, whose message attributes then
 * travel as SQS message attributes.
 */
import type { DeadLetter, NewJob } from '../../core/deliveries/types.js';
import { snsAttributesToEvent } from '../../core/patterns/index.js';
import type { CachedSubscription, TopicEntry } from './cache.js';
import { deliveryKind, unsubscribeUrl, type SnsDelivery } from './delivery-payload.js';
import { textFor, type PublishMessage } from './message.js';

export interface MessageMeta {
  messageId: string;
  /** ISO 8601 with milliseconds */
  timestamp: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
}

/** The subscriptions of `entry` that receive `msg`, each once. */
export function matchSubscriptions(entry: TopicEntry, msg: PublishMessage): CachedSubscription[] {
  let out = entry.unfiltered;
  if (entry.byAttributes.size > 0) {
    const hits = entry.byAttributes.match(snsAttributesToEvent(msg.attributes ?? {}));
    if (hits.length > 0) out = out.concat(hits);
  }
  if (entry.byBody.size > 0) {
    // a body that is not a JSON object matches no body-scoped policy
    let body: unknown;
    try {
      body = JSON.parse(textFor(msg, 'default'));
    } catch {
      body = undefined;
    }
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const hits = entry.byBody.match(body);
      if (hits.length > 0) out = out.concat(hits);
    }
  }
  return out;
}

function sqsAttributes(msg: PublishMessage): DeadLetter['attributes'] {
  if (!msg.rendered) return undefined;
  const out: NonNullable<DeadLetter['attributes']> = {};
  for (const [name, a] of Object.entries(msg.rendered)) {
    out[name] = a.Type.startsWith('Binary') ? { DataType: a.Type, BinaryValue: a.Value } : { DataType: a.Type, StringValue: a.Value };
  }
  return out;
}

function deadLetterBody(d: SnsDelivery, publicUrl: string): string {
  if (d.raw) return d.message;
  const env: Record<string, unknown> = { Type: 'Notification', MessageId: d.messageId };
  if (d.sequenceNumber) env.SequenceNumber = d.sequenceNumber;
  env.TopicArn = d.topicArn;
  if (d.subject !== undefined) env.Subject = d.subject;
  env.Message = d.message;
  env.Timestamp = d.timestamp;
  env.SignatureVersion = d.signatureVersion;
  env.UnsubscribeURL = unsubscribeUrl(publicUrl, d.subscriptionArn ?? '');
  if (d.messageAttributes) env.MessageAttributes = d.messageAttributes;
  return JSON.stringify(env);
}

/** The delivery jobs of one message (appended to `jobs`); answers how many were added. */
export function fanOut(entry: TopicEntry, msg: PublishMessage, meta: MessageMeta, publicUrl: string, jobs: NewJob[]): number {
  const subs = matchSubscriptions(entry, msg);
  const topic = entry.topic;
  const signatureVersion = topic.attributes.SignatureVersion === '2' ? '2' : '1';
  const displayName = topic.attributes.DisplayName || undefined;
  for (const s of subs) {
    const rec = s.rec;
    const payload: SnsDelivery = {
      type: 'Notification',
      protocol: rec.protocol,
      endpoint: rec.endpoint,
      subscriptionArn: rec.arn,
      topicArn: topic.arn,
      region: topic.region,
      accountId: topic.accountId,
      messageId: meta.messageId,
      message: textFor(msg, rec.protocol),
      timestamp: meta.timestamp,
      raw: s.raw,
      signatureVersion,
    };
    if (msg.subject !== undefined) payload.subject = msg.subject;
    if (msg.rendered) payload.messageAttributes = msg.rendered;
    if (meta.groupId !== undefined) payload.messageGroupId = meta.groupId;
    if (meta.dedupId !== undefined) payload.messageDeduplicationId = meta.dedupId;
    if (meta.sequenceNumber !== undefined) payload.sequenceNumber = meta.sequenceNumber;
    if (displayName) payload.displayName = displayName;
    if (rec.webhookSecret) payload.webhookSecretSealed = rec.webhookSecret;
    if (rec.endpointSealed) payload.endpointSealed = rec.endpointSealed;
    if (s.contentType) payload.headerContentType = s.contentType;
    const job: NewJob = { kind: deliveryKind(rec.protocol), source: 'sns', target: rec.endpoint, ref: rec.arn, payload };
    if (s.retry) job.retry = s.retry;
    if (s.deadLetterArn) {
      job.deadLetter = { arn: s.deadLetterArn, body: deadLetterBody(payload, publicUrl) };
      const attrs = s.raw ? sqsAttributes(msg) : undefined;
      if (attrs) job.deadLetter.attributes = attrs;
    }
    jobs.push(job);
  }
  return subs.length;
}
