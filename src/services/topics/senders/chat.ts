/**
 * @module services/topics/senders/chat
 * Slack, Microsoft Teams and Discord webhooks: render the card (formats/), POST it as JSON, and
 * read each service's answer the way it means it:
 * - Slack answers `200 ok`; 4xx errors (`invalid_payload`, `channel_not_found`, 410
 *   `channel_is_archived`, `no_service`) are permanent, 429 carries Retry-After.
 * - Teams Workflows answer 202 Accepted: any 2xx is delivered.
 * - Discord answers 204; its 429 says how long to wait in the JSON body (`retry_after`,
 *   seconds) as well as in headers: the longer of the two is honoured.
 */
import { postHttp } from '../../../core/deliveries/http-client.js';
import type { Job, Outcome, Sender } from '../../../core/deliveries/types.js';
import { discordMessage } from '../formats/discord.js';
import { slackMessage } from '../formats/slack.js';
import { teamsMessage } from '../formats/teams.js';
import { destination, readPayload, type SenderContext } from './context.js';
import type { SnsDelivery } from '../delivery-payload.js';

const HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Signalbox (SNS chat delivery)' };

function jsonSender(ctx: SenderContext, render: (d: SnsDelivery, publicUrl: string) => unknown, after?: (o: Outcome) => Outcome): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = readPayload(job);
    if (!p.ok) return p.outcome;
    const to = destination(ctx, p.d);
    if (!to.ok) return to.outcome;
    const body = JSON.stringify(render(p.d, ctx.publicUrl));
    const outcome = await postHttp(to.url, { headers: HEADERS, body });
    return after ? after(outcome) : outcome;
  };
}

export const slackSender = (ctx: SenderContext): Sender => jsonSender(ctx, slackMessage);
export const teamsSender = (ctx: SenderContext): Sender => jsonSender(ctx, teamsMessage);
export const discordSender = (ctx: SenderContext): Sender => jsonSender(ctx, discordMessage, discordRetryAfter);

/**
 * Discord's 429 body: `{"message": "...", "retry_after": 0.512, "global": false}` (seconds in
 * API v10). Takes the larger of it and the Retry-After header already read by postHttp.
 */
export function discordRetryAfter(o: Outcome): Outcome {
  if (o.ok || o.status !== 429 || !o.excerpt) return o;
  let seconds: unknown;
  try {
    seconds = (JSON.parse(o.excerpt) as { retry_after?: unknown }).retry_after;
  } catch {
    return o;
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return o;
  const fromBody = Math.ceil(seconds * 1000);
  return { ...o, retryable: true, retryAfterMs: Math.max(o.retryAfterMs ?? 0, fromBody) };
}
