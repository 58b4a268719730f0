/**
 * @module services/topics/formats/slack
 * The body of a Slack incoming-webhook POST: `text` (what notifications and old clients show)
 * plus Block Kit `blocks`. An alarm also gets a legacy attachment, because the coloured bar
 * (red ALARM, green OK, grey INSUFFICIENT_DATA) exists only on attachments; its details are
 * blocks inside it.
 *
 * Limits respected (Slack's docs): header text 150 chars, section text 3000, 10 fields of 2000,
 * 50 blocks, `text` 40000. `&`, `<`, `>` are escaped in every mrkdwn string, so a message cannot
 * inject links or mentions (`<!channel>`).
 */
import type { SnsDelivery } from '../delivery-payload.js';
import { alarmFacts, alarmHeadline, stateColour, truncate, type AlarmSummary } from './alarm.js';
import { chatContent } from './chat.js';

type Block = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
  attachments?: Array<{ color: string; fallback: string; blocks: Block[] }>;
}

/** Slack's three control characters, as its formatting docs require. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const plain = (text: string, max: number) => ({ type: 'plain_text', text: truncate(text, max), emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

/** Long text as consecutive sections (3000 chars each), within the 50-block budget. */
function sections(text: string, budget: number): Block[] {
  const out: Block[] = [];
  const escaped = slackEscape(text);
  let i = 0;
  while (i < escaped.length && out.length < budget) {
    let end = Math.min(i + 3000, escaped.length);
    // never split an entity (&amp; &lt; &gt;) in two
    const amp = escaped.lastIndexOf('&', end - 1);
    if (amp >= i && amp > end - 5 && escaped.indexOf(';', amp) >= end) end = amp;
    out.push({ type: 'section', text: mrkdwn(escaped.slice(i, end)) });
    i = end;
  }
  return out.length ? out : [{ type: 'section', text: mrkdwn('_(empty message)_') }];
}

const EMOJI: Record<string, string> = { ALARM: ':red_circle:', OK: ':large_green_circle:', INSUFFICIENT_DATA: ':white_circle:' };

function alarmMessage(a: AlarmSummary, subject: string | undefined): SlackMessage {
  const headline = subject ?? alarmHeadline(a);
  const facts = alarmFacts(a).filter(([k]) => k !== 'Alarm');
  const details: Block[] = [];
  if (a.reason) details.push({ type: 'section', text: mrkdwn(truncate(`*Reason*\n${slackEscape(a.reason)}`, 3000)) });
  details.push({
    type: 'section',
    fields: facts.slice(0, 10).map(([k, v]) => mrkdwn(truncate(`*${k}*\n${slackEscape(v)}`, 2000))),
  });
  const context = [a.description, a.arn].filter((s): s is string => !!s);
  if (context.length) details.push({ type: 'context', elements: context.map((s) => mrkdwn(truncate(slackEscape(s), 2000))) });
  return {
    text: truncate(slackEscape(headline), 40000),
    blocks: [{ type: 'header', text: plain(`${EMOJI[a.state] ?? EMOJI.INSUFFICIENT_DATA} ${a.state}: ${a.name}`, 150) }],
    attachments: [{ color: stateColour(a.state).hex, fallback: truncate(slackEscape(`${headline} — ${a.reason}`), 3000), blocks: details }],
  };
}

export function slackMessage(d: SnsDelivery, publicUrl: string): SlackMessage {
  const c = chatContent(d, publicUrl);
  if (c.alarm) return alarmMessage(c.alarm, c.title);
  const blocks: Block[] = [];
  if (c.title) blocks.push({ type: 'header', text: plain(c.title, 150) });
  blocks.push(...sections(c.text, 50 - blocks.length));
  const text = c.title ? `*${slackEscape(c.title)}*\n${slackEscape(c.text)}` : slackEscape(c.text);
  return { text: truncate(text, 40000), blocks };
}
