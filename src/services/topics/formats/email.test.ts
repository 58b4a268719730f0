/**
 * The mails SNS sends, as data: AWS's subjects and defaults, the confirmation link to
 * Signalbox's confirmation page, the unsubscribe footer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emailConfirmUrl, emailUnsubscribeUrl } from '../delivery-payload.js';
import { delivery, SUB, TOPIC } from '../senders/kit.test.js';
import { confirmationMail, jsonMail, notificationMail, notificationSubject } from './email.js';

const PUBLIC = 'https://sbx.example.com';

test('confirmation: AWS subject (DisplayName when set) and the confirmation page link', () => {
  const d = delivery({ protocol: 'email', endpoint: 'ops@example.com', type: 'SubscriptionConfirmation', subscriptionArn: undefined, token: 'tok' });
  const m = confirmationMail(d, PUBLIC);
  assert.equal(m.subject, 'AWS Notification - Subscription Confirmation');
  assert.equal(m.fromName, 'AWS Notifications');
  const link = emailConfirmUrl(PUBLIC, TOPIC, 'tok');
  assert.ok(m.text.includes(`\n${link}\n`));
  assert.ok(m.text.includes(TOPIC));
  assert.ok(m.html!.includes(`href="${link.replace(/&/g, '&amp;')}"`));
  const named = confirmationMail({ ...d, displayName: 'Ops Alerts' }, PUBLIC);
  assert.equal(named.subject, 'Ops Alerts - Subscription Confirmation');
  assert.equal(named.fromName, 'Ops Alerts');
});

test('notification: subject, else DisplayName, else AWS default; text then the unsubscribe footer', () => {
  assert.equal(notificationSubject(delivery({ subject: 'Deploy\r\ndone' })), 'Deploy done');
  assert.equal(notificationSubject(delivery({ displayName: 'Ops' })), 'Ops');
  assert.equal(notificationSubject(delivery()), 'AWS Notification Message');
  const m = notificationMail(delivery({ protocol: 'email', subject: 'Deploy', message: 'v2 is live' }), PUBLIC);
  const link = emailUnsubscribeUrl(PUBLIC, SUB);
  assert.ok(m.text.startsWith('v2 is live\n\n--\n'));
  assert.ok(m.text.includes(link));
  assert.equal(m.listUnsubscribe, link);
  assert.equal(m.html, undefined);
});

test('email-json: the envelope as body, the same subjects', () => {
  const body = '{\n  "Type" : "Notification"\n}';
  const n = jsonMail(delivery({ protocol: 'email-json', subject: 'S' }), body, PUBLIC);
  assert.equal(n.text, body);
  assert.equal(n.subject, 'S');
  assert.equal(n.listUnsubscribe, emailUnsubscribeUrl(PUBLIC, SUB));
  const c = jsonMail(delivery({ protocol: 'email-json', type: 'SubscriptionConfirmation', token: 't' }), body, PUBLIC);
  assert.equal(c.subject, 'AWS Notification - Subscription Confirmation');
  assert.equal(c.listUnsubscribe, undefined);
});
