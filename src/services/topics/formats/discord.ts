/**
 * @module services/topics/formats/discord
 * The body of a Discord webhook POST (`content` and/or `embeds`). An alarm is one embed with the
 * state's colour (a decimal integer, as Discord wants), the reason as description and one field
 * per fact. Plain messages go in `content` when they fit its 2000 characters, else in an
 * embed's 4096-character description.
 *
 * `allowed_mentions: { parse: [] }`: text coming from a topic must never ping @everyone or a role.
 * Limits (Discord's docs): title 256, description 4096, 25 fields, field name 256 / value 1024,
 * 6000 characters per message in all embeds.
 */
import type { SnsDelivery } from '../delivery-payload.js';
import { alarmFacts, alarmHeadline, stateColour, truncate, type AlarmSummary } from './alarm.js';
import { chatContent } from './chat.js';

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  timestamp?: string;
  footer?: { text: string };
}

export interface DiscordMessage {
  content?: string;
  embeds?: DiscordEmbed[];
  allowed_mentions: { parse: string[] };
}

const SHORT_FACTS = new Set(['State', 'Region', 'Account', 'Time']);

function alarmMessage(a: AlarmSummary, subject: string | undefined): DiscordMessage {
  const embed: DiscordEmbed = {
    title: truncate(`${a.state}: ${a.name}`, 256),
    color: stateColour(a.state).int,
    fields: alarmFacts(a)
      .filter(([k]) => k !== 'Alarm' && k !== 'Time')
      .slice(0, 25)
      .map(([name, value]) => ({ name, value: truncate(value, 1024), inline: SHORT_FACTS.has(name) })),
  };
  // the budget of 6000 characters per message: the reason is the only long part
  if (a.reason) embed.description = truncate(a.reason, 3000);
  if (a.time) embed.timestamp = a.time;
  if (a.arn) embed.footer = { text: truncate(a.arn, 1024) };
  return { content: truncate(subject ?? alarmHeadline(a), 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}

export function discordMessage(d: SnsDelivery, publicUrl: string): DiscordMessage {
  const c = chatContent(d, publicUrl);
  if (c.alarm) return alarmMessage(c.alarm, c.title);
  const inline = c.title ? `**${c.title}**\n${c.text}` : c.text;
  if (inline.length <= 2000 && inline.length > 0) return { content: inline, allowed_mentions: { parse: [] } };
  return {
    embeds: [{ title: c.title ? truncate(c.title, 256) : undefined, description: truncate(c.text || '(empty message)', 4096) }],
    allowed_mentions: { parse: [] },
  };
}
