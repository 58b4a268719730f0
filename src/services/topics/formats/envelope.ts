/**
 * @module services/topics/formats/envelope
 * The JSON documents SNS delivers, built exactly as AWS builds them, as pure functions:
 *
 * - the HTTP/HTTPS, e-mail-json, SQS and Firehose envelope (`Notification`,
 *   `SubscriptionConfirmation`, `UnsubscribeConfirmation`) with AWS's field order;
 * - the string to sign (each present field of a fixed alphabetical list as `name\nvalue\n`);
 * - the Lambda event record (its own spelling: `SigningCertUrl`, `UnsubscribeUrl`).
 *
 * Signing itself is handed in (`sign`), so these functions stay free of keys and I/O.
 */
import { subscribeUrl, unsubscribeUrl, type SnsDelivery } from '../delivery-payload.js';

export interface EnvelopeContext {
  /** config.publicUrl: the base of SubscribeURL / UnsubscribeURL */
  publicUrl: string;
  /** where the signing certificate is served */
  signingCertUrl: string;
  /** base64 signature of the canonical string (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) */
  sign(text: string, version: '1' | '2'): string;
}

/** An envelope: string fields plus, on notifications, the message attributes. Key order matters. */
export type Envelope = Record<string, string | Record<string, { Type: string; Value: string }>>;

/** The fields signed, in the order AWS concatenates them (the verifiers use the same lists). */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** `name\nvalue\n` for each signed field present in `m` (Subject only when the message has one). */
export function stringToSign(m: Record<string, unknown>): string {
  const fields = SIGNED_FIELDS[String(m.Type)];
  if (!fields) throw new Error(`no signing rule for message type ${String(m.Type)}`);
  return fields
    .filter((f) => typeof m[f] === 'string')
    .map((f) => `${f}\n${m[f] as string}\n`)
    .join('');
}

export function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

/**
 * The envelope for one delivery. Field order, as AWS writes it:
 * - Notification: Type, MessageId, [SequenceNumber], TopicArn, [Subject], Message, Timestamp,
 *   SignatureVersion, Signature, SigningCertURL, UnsubscribeURL, [MessageAttributes];
 *   FIFO topics carry SequenceNumber and no signature fields.
 * - Subscription/UnsubscribeConfirmation: Type, MessageId, Token, TopicArn, Message,
 *   SubscribeURL, Timestamp, SignatureVersion, Signature, SigningCertURL.
 */
export function snsEnvelope(d: SnsDelivery, ctx: EnvelopeContext): Envelope {
  if (d.type !== 'Notification') {
    const token = d.token ?? '';
    const m: Envelope = {
      Type: d.type,
      MessageId: d.messageId,
      Token: token,
      TopicArn: d.topicArn,
      Message: d.message,
      SubscribeURL: subscribeUrl(ctx.publicUrl, d.topicArn, token),
      Timestamp: d.timestamp,
    };
    return signed(m, d.signatureVersion, ctx);
  }
  const fifo = isFifoTopic(d.topicArn);
  const m: Envelope = { Type: 'Notification', MessageId: d.messageId };
  if (fifo && d.sequenceNumber !== undefined) m.SequenceNumber = d.sequenceNumber;
  m.TopicArn = d.topicArn;
  if (d.subject !== undefined) m.Subject = d.subject;
  m.Message = d.message;
  m.Timestamp = d.timestamp;
  const out = fifo ? m : signed(m, d.signatureVersion, ctx);
  if (d.subscriptionArn) out.UnsubscribeURL = unsubscribeUrl(ctx.publicUrl, d.subscriptionArn);
  if (d.messageAttributes && Object.keys(d.messageAttributes).length > 0) out.MessageAttributes = d.messageAttributes;
  return out;
}

function signed(m: Envelope, version: '1' | '2', ctx: EnvelopeContext): Envelope {
  const signature = ctx.sign(stringToSign(m), version);
  return { ...m, SignatureVersion: version, Signature: signature, SigningCertURL: ctx.signingCertUrl };
}

/**
 * AWS's rendering of an envelope (HTTP bodies, SQS bodies, e-mail-json): one field per line,
 * `"Name" : value`, two-space indent, message attributes one per line in compact JSON. Parsers do
 * not care, but people diffing our output against AWS's do.
 */
export function renderEnvelope(m: Envelope): string {
  const lines = Object.entries(m).map(([k, v]) => {
    if (typeof v === 'string') return `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`;
    const attrs = Object.entries(v).map(([name, a]) => `    ${JSON.stringify(name)} : ${JSON.stringify({ Type: a.Type, Value: a.Value })}`);
    return `  ${JSON.stringify(k)} : {\n${attrs.join(',\n')}\n  }`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}

/**
 * The event a function receives: always one record. AWS quirks kept on purpose: `Subject` is
 * null when absent, the URL keys are spelt `SigningCertUrl` / `UnsubscribeUrl`,
 * `MessageAttributes` is always present, and `SignatureVersion` is always "1" (so the record is
 * signed with SHA1withRSA whatever the topic says).
 */
export function lambdaEvent(d: SnsDelivery, ctx: EnvelopeContext): string {
  const forSigning: Record<string, string> = {
    Type: d.type,
    MessageId: d.messageId,
    TopicArn: d.topicArn,
    Message: d.message,
    Timestamp: d.timestamp,
  };
  if (d.subject !== undefined) forSigning.Subject = d.subject;
  const record = {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: d.subscriptionArn ?? '',
    Sns: {
      Type: d.type,
      MessageId: d.messageId,
      TopicArn: d.topicArn,
      Subject: d.subject ?? null,
      Message: d.message,
      Timestamp: d.timestamp,
      SignatureVersion: '1',
      Signature: ctx.sign(stringToSign(forSigning), '1'),
      SigningCertUrl: ctx.signingCertUrl,
      UnsubscribeUrl: d.subscriptionArn ? unsubscribeUrl(ctx.publicUrl, d.subscriptionArn) : '',
      MessageAttributes: d.messageAttributes ?? {},
    },
  };
  return JSON.stringify({ Records: [record] });
}
