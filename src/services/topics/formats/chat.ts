/**
 * @module services/topics/formats/chat
 * What every chat card is made of, decided once for Slack, Teams and Discord: the alarm summary
 * when the message is a CloudWatch alarm, else a title (the Subject) and the text. Confirmation
 * messages (chat subscriptions are normally confirmed at once, but a confirmation can still be
 * delivered) become text carrying their link, so no confirmation is ever silently lost.
 */
import { subscribeUrl, type SnsDelivery } from '../delivery-payload.js';
import { parseAlarmMessage, type AlarmSummary } from './alarm.js';

export interface ChatContent {
  /** the Subject, or a title for confirmations; absent for a plain message without subject */
  title?: string;
  text: string;
  alarm?: AlarmSummary;
  /** the topic, for a footer */
  topicArn: string;
}

export function chatContent(d: SnsDelivery, publicUrl: string): ChatContent {
  if (d.type !== 'Notification') {
    const title = d.type === 'SubscriptionConfirmation' ? 'Subscription confirmation' : 'Unsubscribe confirmation';
    const link = d.token ? `\n${subscribeUrl(publicUrl, d.topicArn, d.token)}` : '';
    return { title, text: d.message + link, topicArn: d.topicArn };
  }
  return { title: d.subject, text: d.message, alarm: parseAlarmMessage(d.message), topicArn: d.topicArn };
}
