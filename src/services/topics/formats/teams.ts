/**
 * @module services/topics/formats/teams
 * The body of a Microsoft Teams Workflows webhook POST ("When a Teams webhook request is
 * received"): a `message` with one Adaptive Card attachment (schema 1.4). Office 365 connector
 * MessageCards are retired, so only Adaptive Cards are produced.
 *
 * An alarm becomes a coloured heading container (attention / good / emphasis for ALARM / OK /
 * INSUFFICIENT_DATA), the reason, and a FactSet. Teams refuses messages above 28 KB, so the free
 * text is cut well below that.
 */
import type { SnsDelivery } from '../delivery-payload.js';
import { alarmFacts, alarmHeadline, stateColour, truncate, type AlarmSummary } from './alarm.js';
import { chatContent } from './chat.js';

type Element = Record<string, unknown>;

export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: string;
      msteams: { width: 'Full' };
      body: Element[];
    };
  }>;
}

/** leaves room for the card's own JSON inside Teams' 28 KB */
const MAX_TEXT = 20_000;

function card(body: Element[]): TeamsMessage {
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', msteams: { width: 'Full' }, body },
    }],
  };
}

const textBlock = (text: string, extra: Element = {}): Element => ({ type: 'TextBlock', text, wrap: true, ...extra });

function alarmCard(a: AlarmSummary, subject: string | undefined): TeamsMessage {
  const colour = stateColour(a.state);
  const body: Element[] = [
    {
      type: 'Container',
      style: colour.container,
      bleed: true,
      items: [
        textBlock(`${a.state}: ${a.name}`, { size: 'Large', weight: 'Bolder', color: colour.teams, style: 'heading' }),
        textBlock(subject ?? alarmHeadline(a), { isSubtle: true, spacing: 'None' }),
      ],
    },
  ];
  if (a.reason) body.push(textBlock(truncate(a.reason, 4000)));
  body.push({ type: 'FactSet', facts: alarmFacts(a).filter(([k]) => k !== 'Alarm').map(([title, value]) => ({ title, value })) });
  if (a.description) body.push(textBlock(truncate(a.description, 2000), { isSubtle: true }));
  return card(body);
}

export function teamsMessage(d: SnsDelivery, publicUrl: string): TeamsMessage {
  const c = chatContent(d, publicUrl);
  if (c.alarm) return alarmCard(c.alarm, c.title);
  const body: Element[] = [];
  if (c.title) body.push(textBlock(truncate(c.title, 500), { size: 'Medium', weight: 'Bolder', style: 'heading' }));
  body.push(textBlock(truncate(c.text, MAX_TEXT)));
  return card(body);
}
