/**
 * @module services/topics/senders/http
 * The `http` / `https` protocol (AWS's own) and `webhook` (Standard Webhooks, Signalbox's own).
 *
 * http/https: POST the signed envelope, or the bare message under RawMessageDelivery, with
 * exactly the headers SNS sends, so that code written against AWS (and its signature
 * validators, given our certificate URL) runs unchanged.
 *
 * webhook: POST the same envelope (compact JSON) with `webhook-id` (the message id: stable
 * across retries, the receiver's idempotency key), `webhook-timestamp` (this attempt, in
 * seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the
 * subscription's `whsec_` secret, which the job carries sealed and is opened only here.
 */
import { createHmac } from 'node:crypto';
import { postHttp } from '../../../core/deliveries/http-client.js';
import type { Job, Outcome, Sender } from '../../../core/deliveries/types.js';
import { snsEnvelope } from '../formats/envelope.js';
import { destination, envelopeBody, isRaw, readPayload, signedRender, type SenderContext } from './context.js';

export const SNS_USER_AGENT = 'Amazon Simple Notification Service Agent';
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

export function httpSender(ctx: SenderContext): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = readPayload(job);
    if (!p.ok) return p.outcome;
    const d = p.d;
    const raw = isRaw(d);
    const headers: Record<string, string> = {
      'x-amz-sns-message-type': d.type,
      'x-amz-sns-message-id': d.messageId,
      'x-amz-sns-topic-arn': d.topicArn,
    };
    // AWS sends the subscription ARN on notifications only (never on confirmations)
    if (d.type === 'Notification' && d.subscriptionArn) headers['x-amz-sns-subscription-arn'] = d.subscriptionArn;
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    headers['Content-Type'] = d.headerContentType ?? DEFAULT_CONTENT_TYPE;
    headers['User-Agent'] = SNS_USER_AGENT;
    return postHttp(d.endpoint, { headers, body: raw ? d.message : await envelopeBody(ctx, d) });
  };
}

/** The HMAC key of a `whsec_<base64>` secret (a secret without the prefix is taken as base64 too). */
export function webhookKey(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new Error('the webhook secret is empty');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (Standard Webhooks 1.0). */
export function webhookSignature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
}

export function webhookSender(ctx: SenderContext): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = readPayload(job);
    if (!p.ok) return p.outcome;
    const d = p.d;
    if (!d.webhookSecretSealed) return { ok: false, retryable: false, error: 'the webhook subscription has no signing secret' };
    const to = destination(ctx, d);
    if (!to.ok) return to.outcome;
    let key: Buffer;
    try {
      key = webhookKey(ctx.deps.secrets.open(d.webhookSecretSealed, d.subscriptionArn ?? ''));
    } catch (e) {
      // a different master key, or a sealed value that belongs to another subscription
      return { ok: false, retryable: false, error: `the webhook secret cannot be opened: ${(e as Error).message}` };
    }
    // Standard Webhooks signs the exact bytes sent: render once, sign and send the same string
    const body = JSON.stringify(await signedRender(ctx, (env) => snsEnvelope(d, env)));
    const timestamp = Math.floor(ctx.deps.clock.ms() / 1000);
    return postHttp(to.url, {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Signalbox-Webhooks/1',
        'webhook-id': d.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(key, d.messageId, timestamp, body),
      },
      body,
    });
  };
}
