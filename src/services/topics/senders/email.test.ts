/**
 * e-mail and e-mail-json through a REAL SMTP server started here (smtp-server): the
 * confirmation mail and its link, a notification with subject, body and unsubscribe link, the
 * JSON envelope, SMTP refusals mapped to outcomes, and a clear failure without SMTP settings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMailSink } from '../../../../test/helpers/mail-sink.js';
import type { SmtpConfig } from '../../../config/schema.js';
import { emailConfirmUrl, emailUnsubscribeUrl } from '../delivery-payload.js';
import { senderContext } from './context.js';
import { emailSender, smtpMailer } from './email.js';
import { loadOrCreateSigningIdentity } from './signing.js';
import { delivery, job, kit, SUB, TOPIC } from './kit.test.js';

const PUBLIC = 'https://sbx.example.com';

/** The sink this file delivers to; addresses at refused.example are refused (550). */
const smtpServer = () => startMailSink({ from: 'alerts@sbx.example.com', refuse: (a) => a.endsWith('@refused.example') });

/** The decoded text of a mail: quoted-printable soft breaks and escapes undone (enough for ASCII checks). */
function decoded(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1];
}

async function senders(smtp: SmtpConfig | undefined) {
  const k = await kit({ publicUrl: PUBLIC, smtp });
  const ctx = senderContext(k.deps, loadOrCreateSigningIdentity(':memory:', k.deps.secrets, k.deps.log));
  const mailer = smtpMailer(smtp);
  return {
    email: emailSender(ctx, mailer, false),
    json: emailSender(ctx, mailer, true),
    close: async () => {
      mailer.close();
      await k.close();
    },
  };
}

test('confirmation mail: received, AWS subject, the link is the confirm URL', async () => {
  const srv = await smtpServer();
  const s = await senders(srv.smtp);
  try {
    const d = delivery({ protocol: 'email', endpoint: 'ops@example.com', type: 'SubscriptionConfirmation', subscriptionArn: undefined, token: 'tok-123', displayName: 'Ops Alerts' });
    const o = await s.email(job(d, 'sns.email'));
    assert.equal(o.ok, true, JSON.stringify(o));
    assert.equal(srv.mails.length, 1);
    const m = srv.mails[0];
    assert.deepEqual(m.to, ['ops@example.com']);
    assert.equal(m.from, 'alerts@sbx.example.com');
    assert.equal(header(m.raw, 'Subject'), 'Ops Alerts - Subscription Confirmation');
    assert.match(header(m.raw, 'From')!, /^"?Ops Alerts"? <alerts@sbx\.example\.com>$/);
    const text = decoded(m.raw);
    const link = emailConfirmUrl(PUBLIC, TOPIC, 'tok-123');
    assert.ok(text.includes(link), 'the plain text carries the confirm link');
    assert.ok(text.includes(`href="${link.replace(/&/g, '&amp;')}"`), 'the HTML part links to it');
  } finally {
    await s.close();
    await srv.close();
  }
});

test('notification mail: subject, body and unsubscribe link (also as List-Unsubscribe)', async () => {
  const srv = await smtpServer();
  const s = await senders(srv.smtp);
  try {
    const d = delivery({ protocol: 'email', endpoint: 'ops@example.com', subject: 'Deploy finished', message: 'Version 2.4.1 is live on all hosts.' });
    assert.equal((await s.email(job(d, 'sns.email'))).ok, true);
    const m = srv.mails[0];
    assert.equal(header(m.raw, 'Subject'), 'Deploy finished');
    assert.match(header(m.raw, 'From')!, /AWS Notifications/);
    const link = emailUnsubscribeUrl(PUBLIC, SUB);
    assert.equal(header(m.raw, 'List-Unsubscribe'), `<${link}>`);
    const text = decoded(m.raw);
    assert.ok(text.includes('Version 2.4.1 is live on all hosts.'));
    assert.ok(text.includes(link));

    // no subject: AWS's default
    await s.email(job(delivery({ protocol: 'email', endpoint: 'ops@example.com' }), 'sns.email'));
    assert.equal(header(srv.mails[1].raw, 'Subject'), 'AWS Notification Message');
    // unsubscribe confirmations are not mailed
    const u = await s.email(job(delivery({ protocol: 'email', endpoint: 'ops@example.com', type: 'UnsubscribeConfirmation', token: 't' }), 'sns.email'));
    assert.equal(u.ok, true);
    assert.equal(srv.mails.length, 2);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('email-json: the signed JSON envelope as the body', async () => {
  const srv = await smtpServer();
  const s = await senders(srv.smtp);
  try {
    assert.equal((await s.json(job(delivery({ protocol: 'email-json', endpoint: 'ops@example.com', subject: 'S', message: 'hello' }), 'sns.email-json'))).ok, true);
    const body = decoded(srv.mails[0].raw).split(/\r?\n\r?\n/).slice(1).join('\n\n');
    const env = JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1).replace(/\r\n/g, '\n'));
    assert.equal(env.Type, 'Notification');
    assert.equal(env.Message, 'hello');
    assert.equal(env.Subject, 'S');
    assert.ok(env.Signature && env.SigningCertURL.startsWith(`${PUBLIC}/_signalbox/sns/`));
  } finally {
    await s.close();
    await srv.close();
  }
});

test('SMTP refusals: 550 permanent, server down retryable; no SMTP settings: permanent with a clear message', async () => {
  const srv = await smtpServer();
  const s = await senders(srv.smtp);
  try {
    const refused = await s.email(job(delivery({ protocol: 'email', endpoint: 'x@refused.example' }), 'sns.email'));
    assert.ok(!refused.ok && !refused.retryable && refused.status === 550, JSON.stringify(refused));
  } finally {
    await s.close();
    await srv.close();
  }
  const down = await senders({ host: '127.0.0.1', port: 1, secure: false, from: 'a@b.c' });
  try {
    const o = await down.email(job(delivery({ protocol: 'email', endpoint: 'ops@example.com' }), 'sns.email'));
    assert.ok(!o.ok && o.retryable, JSON.stringify(o));
  } finally {
    await down.close();
  }
  const none = await senders(undefined);
  try {
    const o = await none.email(job(delivery({ protocol: 'email', endpoint: 'ops@example.com' }), 'sns.email'));
    assert.ok(!o.ok && !o.retryable && /SMTP/.test(o.error), JSON.stringify(o));
  } finally {
    await none.close();
  }
});
