/**
 * @module services/topics/formats/email
 * The mails SNS sends, as plain data (subject, text, optional HTML, headers) so they can be
 * checked without an SMTP server:
 *
 * - `email` confirmation: AWS's subject "AWS Notification - Subscription Confirmation" (the
 *   topic's DisplayName replaces "AWS Notification" when set) and a body whose link opens
 *   Signalbox's confirmation page;
 * - `email` notification: Subject = the message's subject, else the DisplayName, else AWS's
 *   "AWS Notification Message"; the text followed by a footer with the unsubscribe link;
 * - `email-json`: the same subjects, the JSON envelope as the body.
 *
 * The wording follows the structure of AWS's mails, not its text.
 */
import { emailConfirmUrl, emailUnsubscribeUrl, type SnsDelivery } from '../delivery-payload.js';

export interface MailContent {
  /** the From display name (the address itself comes from the SMTP configuration) */
  fromName: string;
  subject: string;
  text: string;
  html?: string;
  /** RFC 2369 / 8058: lets mail clients offer "unsubscribe" */
  listUnsubscribe?: string;
}

/** AWS's defaults when a topic has no DisplayName */
const DEFAULT_FROM = 'AWS Notifications';
const DEFAULT_SUBJECT = 'AWS Notification Message';

// e-mail subjects are one line; a subject is also at most 100 characters in SNS
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function confirmationSubject(d: SnsDelivery): string {
  return `${d.displayName ? oneLine(d.displayName) : 'AWS Notification'} - Subscription Confirmation`;
}

export function notificationSubject(d: SnsDelivery): string {
  return oneLine(d.subject ?? d.displayName ?? DEFAULT_SUBJECT) || DEFAULT_SUBJECT;
}

export function fromName(d: SnsDelivery): string {
  return d.displayName ? oneLine(d.displayName) : DEFAULT_FROM;
}

/** The confirmation mail of an `email` subscription. */
export function confirmationMail(d: SnsDelivery, publicUrl: string): MailContent {
  const link = emailConfirmUrl(publicUrl, d.topicArn, d.token ?? '');
  const text = [
    'You have chosen to subscribe to the topic:',
    d.topicArn,
    '',
    'To confirm this subscription, click or visit the link below (if this was in error, no action is necessary):',
    link,
    '',
    'Please do not reply directly to this email.',
  ].join('\n');
  const html = [
    '<p>You have chosen to subscribe to the topic:<br><b>', htmlEscape(d.topicArn), '</b></p>',
    '<p>To confirm this subscription, click or visit the link below (if this was in error, no action is necessary):<br>',
    `<a href="${htmlEscape(link)}">Confirm subscription</a></p>`,
    '<p><small>Please do not reply directly to this email.</small></p>',
  ].join('');
  return { fromName: fromName(d), subject: confirmationSubject(d), text, html };
}

/** A notification of an `email` subscription: the message as text, then the footer. */
export function notificationMail(d: SnsDelivery, publicUrl: string): MailContent {
  const link = d.subscriptionArn ? emailUnsubscribeUrl(publicUrl, d.subscriptionArn) : undefined;
  const footer = link
    ? ['', '--', 'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:', link, '', 'Please do not reply directly to this email.']
    : ['', '--', 'Please do not reply directly to this email.'];
  return {
    fromName: fromName(d),
    subject: notificationSubject(d),
    text: [d.message, ...footer].join('\n'),
    listUnsubscribe: link,
  };
}

/** An `email-json` mail: `body` is the rendered JSON envelope (confirmations included). */
export function jsonMail(d: SnsDelivery, body: string, publicUrl: string): MailContent {
  const link = d.type === 'Notification' && d.subscriptionArn ? emailUnsubscribeUrl(publicUrl, d.subscriptionArn) : undefined;
  const subject = d.type === 'Notification' ? notificationSubject(d) : confirmationSubject(d);
  return { fromName: fromName(d), subject, text: body, listUnsubscribe: link };
}
