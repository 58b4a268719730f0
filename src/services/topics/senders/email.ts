/**
 * @module services/topics/senders/email
 * The `email` and `email-json` protocols: real SMTP through nodemailer to `config.smtp`.
 *
 * One pooled transport per installation (a few reused connections rather than one per mail),
 * created on first use so that an installation without e-mail subscriptions never connects.
 * Without SMTP configuration a mail fails permanently with a message saying so: retrying cannot
 * help until the configuration changes, and the delivery log shows why nothing arrived.
 *
 * SMTP answers map to outcomes: 5xx (mailbox unknown, rejected) permanent, 4xx (greylisting, a
 * full queue) and connection failures retryable; authentication failures are retryable, so that
 * fixing the credentials does not lose the mails waiting meanwhile.
 */
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { Job, Outcome, Sender } from '../../../core/deliveries/types.js';
import type { SmtpConfig } from '../../../config/schema.js';
import { confirmationMail, jsonMail, notificationMail, type MailContent } from '../formats/email.js';
import { envelopeBody, readPayload, type SenderContext } from './context.js';

export interface Mailer {
  send(to: string, mail: MailContent): Promise<Outcome>;
  close(): void;
}

/** `"Name" <a@b>` or `a@b` → the bare address (the display name comes from the topic). */
function address(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

export function smtpMailer(smtp: SmtpConfig | undefined): Mailer {
  let transport: Transporter | undefined;
  return {
    async send(to, mail) {
      if (!smtp) return { ok: false, retryable: false, error: 'e-mail delivery needs an SMTP server: set smtp (host, port, from) in the Signalbox configuration' };
      // nodemailer is loaded with the first mail: start-up is faster without it
      transport ??= (createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer')).createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
        pool: true,
        maxConnections: 5,
        maxMessages: 100,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      });
      try {
        const info = await transport.sendMail({
          from: { name: mail.fromName, address: address(smtp.from) },
          to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          ...(mail.listUnsubscribe ? { list: { unsubscribe: mail.listUnsubscribe } } : {}),
        });
        return { ok: true, excerpt: String(info.response ?? info.messageId ?? '').slice(0, 512) };
      } catch (e) {
        return smtpOutcome(e);
      }
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}

export function smtpOutcome(e: unknown): Outcome {
  const err = e as Error & { code?: string; responseCode?: number; response?: string };
  const error = `${err.code ?? 'SMTP'}: ${err.message}`.slice(0, 512);
  const excerpt = err.response?.slice(0, 512);
  const base = { status: err.responseCode, error, ...(excerpt ? { excerpt } : {}) };
  if (err.code === 'EAUTH') return { ok: false, retryable: true, ...base };
  if (typeof err.responseCode === 'number') return { ok: false, retryable: err.responseCode < 500, ...base };
  // an address nodemailer itself refuses cannot become valid later
  if (err.code === 'EENVELOPE') return { ok: false, retryable: false, ...base };
  return { ok: false, retryable: true, ...base };
}

async function mailFor(ctx: SenderContext, json: boolean, job: Job): Promise<{ to: string; mail: MailContent } | Outcome> {
  const p = readPayload(job);
  if (!p.ok) return p.outcome;
  const d = p.d;
  const publicUrl = ctx.publicUrl;
  if (json) return { to: d.endpoint, mail: jsonMail(d, await envelopeBody(ctx, d), publicUrl) };
  if (d.type === 'SubscriptionConfirmation') return { to: d.endpoint, mail: confirmationMail(d, publicUrl) };
  return { to: d.endpoint, mail: notificationMail(d, publicUrl) };
}

export function emailSender(ctx: SenderContext, mailer: Mailer, json: boolean): Sender {
  return async (job: Job): Promise<Outcome> => {
    const payload = job.payload as { type?: string } | null;
    // SNS does not mail unsubscribe confirmations: an unsubscribed address hears nothing more
    if (payload?.type === 'UnsubscribeConfirmation') return { ok: true, excerpt: 'unsubscribe confirmations are not mailed' };
    const m = await mailFor(ctx, json, job);
    if ('ok' in m) return m;
    return mailer.send(m.to, m.mail);
  };
}
