/**
 * @module services/topics/delivery-payload
 * The contract between the SNS API (which creates delivery jobs) and the SNS senders (which
 * attempt them): one job per (message, subscription), kind `sns.<protocol>`, target = the
 * subscription's endpoint, ref = the subscription ARN, payload = `SnsDelivery`.
 *
 * Everything a sender needs is in the payload, resolved at publish time (MessageStructure=json
 * already picked the protocol's message), so a delivery attempted after a restart, or after the
 * subscription changed, sends what was accepted.
 */

export type SnsProtocol =
  | 'http' | 'https' | 'email' | 'email-json' | 'sqs' | 'lambda' | 'firehose' | 'application' | 'sms'
  // native chat and webhook protocols (Signalbox's own; AWS would need a function in between)
  | 'slack' | 'teams' | 'discord' | 'webhook';

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

export interface SnsDelivery {
  type: SnsMessageType;
  protocol: SnsProtocol;
  /** URL, address or ARN the subscription delivers to */
  endpoint: string;
  /** absent for confirmation messages of not-yet-confirmed subscriptions */
  subscriptionArn?: string;
  topicArn: string;
  region: string;
  accountId: string;
  messageId: string;
  /** the text for this protocol (MessageStructure=json resolved; confirmation text for confirmations) */
  message: string;
  subject?: string;
  /** ISO 8601 with milliseconds, as SNS writes it: 2024-01-01T00:00:00.000Z */
  timestamp: string;
  /** as SNS renders them in notifications: { name: { Type, Value } } (Binary values base64) */
  messageAttributes?: Record<string, { Type: string; Value: string }>;
  /** RawMessageDelivery: the bare message instead of the JSON envelope (http/https, sqs, firehose) */
  raw: boolean;
  /** the topic's SignatureVersion attribute */
  signatureVersion: '1' | '2';
  /** SubscriptionConfirmation / UnsubscribeConfirmation: the confirmation token */
  token?: string;
  /** FIFO topics */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  /** the topic's DisplayName (e-mail From name and subject of confirmations) */
  displayName?: string;
  /**
   * `webhook` subscriptions: the Standard Webhooks signing secret (`whsec_…`), sealed with the
   * installation's SecretBox (AAD = the subscription ARN) — never in clear in the job table.
   */
  webhookSecretSealed?: string;
  /**
   * slack/teams/discord/webhook: the URL, sealed like the secret above; `endpoint` (and the job's
   * target) then hold only its masked form (see ../secret-endpoints.ts).
   */
  endpointSealed?: string;
  /**
   * http/https: the Content-Type of the POST, from the effective DeliveryPolicy's
   * `requestPolicy.headerContentType` (AWS default `text/plain; charset=UTF-8` when absent).
   */
  headerContentType?: string;
}

/** The URLs SNS hands out, built on the public URL (config.publicUrl). */
export function subscribeUrl(publicUrl: string, topicArn: string, token: string): string {
  return `${publicUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${encodeURIComponent(token)}`;
}

export function unsubscribeUrl(publicUrl: string, subscriptionArn: string): string {
  return `${publicUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** The page an e-mail confirmation link opens (served by the topics service's route). */
export function emailConfirmUrl(publicUrl: string, topicArn: string, token: string): string {
  return `${publicUrl}/_signalbox/sns/confirm?TopicArn=${encodeURIComponent(topicArn)}&Token=${encodeURIComponent(token)}`;
}

export function emailUnsubscribeUrl(publicUrl: string, subscriptionArn: string): string {
  return `${publicUrl}/_signalbox/sns/unsubscribe?SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** Delivery job kind for a protocol. */
export function deliveryKind(protocol: SnsProtocol): string {
  return `sns.${protocol}`;
}
