/**
 * @module services/topics/pages
 * The small HTML pages an e-mail confirmation or unsubscribe link opens
 * (`/_signalbox/sns/confirm?TopicArn=&Token=`, `/_signalbox/sns/unsubscribe?SubscriptionArn=`).
 * They run the same ConfirmSubscription / Unsubscribe as the API, unsigned, and answer a page a
 * person can read instead of XML. Every other `/_signalbox/sns/…` path is the senders' (the
 * signing certificate).
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { isServiceError } from '../../core/errors.js';
import type { WireRequest, WireResponse } from '../../protocols/codec.js';
import type { RequestContext } from '../service.js';
import { emailUnsubscribeUrl } from './delivery-payload.js';
import type { TopicsDeps } from './deps.js';
import { confirmSubscription, unsubscribe } from './subscriptions.js';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(status: number, title: string, body: string): WireResponse {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{word-break:break-all}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
}

/** A request context for a link someone clicked: unsigned, scoped by the ARN it names. */
function unsignedContext(req: WireRequest, arn: string, now: Date): RequestContext {
  const a = parseArn(arn);
  const ua = req.headers['user-agent'];
  return {
    requestId: randomUUID(),
    accountId: a?.accountId ?? '',
    region: a?.region ?? '',
    accessKeyId: '',
    principalArn: 'anonymous',
    sourceIp: '',
    userAgent: typeof ua === 'string' ? ua : '',
    now,
  };
}

function failure(e: unknown): WireResponse {
  if (!isServiceError(e)) throw e;
  return page(e.status, 'Request failed', `<p>${escapeHtml(e.message)}</p>`);
}

export async function servePage(d: TopicsDeps, req: WireRequest): Promise<WireResponse | undefined> {
  if (req.method !== 'GET') return undefined;
  const q = new URLSearchParams(req.rawQuery);
  if (req.path === '/_signalbox/sns/confirm') {
    const topicArn = q.get('TopicArn') ?? '';
    try {
      const out = (await confirmSubscription(d, { TopicArn: topicArn, Token: q.get('Token') ?? '' }, unsignedContext(req, topicArn, d.clock.now()))) as {
        SubscriptionArn: string;
      };
      const leave = emailUnsubscribeUrl(d.config.publicUrl, out.SubscriptionArn);
      return page(200, 'Subscription confirmed!', `<p>You have successfully subscribed.</p>
<p>Your subscription's id is:<br><code>${escapeHtml(out.SubscriptionArn)}</code></p>
<p>If it was not your intention to subscribe, <a href="${escapeHtml(leave)}">click here to unsubscribe</a>.</p>`);
    } catch (e) {
      return failure(e);
    }
  }
  if (req.path === '/_signalbox/sns/unsubscribe') {
    const arn = q.get('SubscriptionArn') ?? '';
    try {
      await unsubscribe(d, { SubscriptionArn: arn }, unsignedContext(req, arn, d.clock.now()));
      return page(200, 'Subscription removed', `<p>You have been unsubscribed; you will no longer receive notifications from this subscription:</p>
<p><code>${escapeHtml(arn)}</code></p>`);
    } catch (e) {
      return failure(e);
    }
  }
  return undefined;
}
