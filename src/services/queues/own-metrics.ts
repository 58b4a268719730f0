/**
 * @module services/queues/own-metrics
 * AWS/SQS metrics per QueueName, counted from the API calls' answers: NumberOfMessagesSent,
 * SentMessageSize, NumberOfMessagesReceived, NumberOfEmptyReceives, NumberOfMessagesDeleted.
 * (Messages that SNS, dead-lettering or move tasks put on a queue are not counted as sent.)
 */
import type { MetricsHub } from '../../core/metrics/index.js';
import type { Handler, RequestContext } from '../service.js';

type Out = Record<string, unknown> | undefined;

function queueName(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const name = url.slice(url.lastIndexOf('/') + 1);
  return name || undefined;
}

const COUNTERS: Record<string, (input: Record<string, unknown>, out: Out) => Array<[string, number, string?]>> = {
  SendMessage: (input) => [['NumberOfMessagesSent', 1], ['SentMessageSize', Buffer.byteLength(String(input.MessageBody ?? '')), 'Bytes']],
  SendMessageBatch: (input, out) => {
    const ok = new Set(((out?.Successful as Array<{ Id: string }>) ?? []).map((s) => s.Id));
    const entries = ((input.Entries as Array<Record<string, unknown>>) ?? []).filter((e) => ok.has(String(e.Id)));
    return entries.flatMap((e): Array<[string, number, string?]> => [['NumberOfMessagesSent', 1], ['SentMessageSize', Buffer.byteLength(String(e.MessageBody ?? '')), 'Bytes']]);
  },
  ReceiveMessage: (_input, out) => {
    const n = ((out?.Messages as unknown[]) ?? []).length;
    return n > 0 ? [['NumberOfMessagesReceived', n]] : [['NumberOfEmptyReceives', 1]];
  },
  DeleteMessage: () => [['NumberOfMessagesDeleted', 1]],
  DeleteMessageBatch: (_input, out) => [['NumberOfMessagesDeleted', ((out?.Successful as unknown[]) ?? []).length]],
};

/** Wraps the handlers that move messages so their answers are counted. */
export function withOwnMetrics(handlers: Record<string, Handler>, metrics: MetricsHub): Record<string, Handler> {
  const out = { ...handlers };
  for (const [op, count] of Object.entries(COUNTERS)) {
    const h = handlers[op];
    if (!h) continue;
    out[op] = async (input: Record<string, unknown>, ctx: RequestContext) => {
      const result = (await h(input, ctx)) as Out;
      const name = queueName(input.QueueUrl);
      if (name) {
        const dims = [{ Name: 'QueueName', Value: name }];
        // one record per message sent (SentMessageSize's Average is then per message); counts
        // of a batch in one record (a batch deleting nothing records nothing)
        for (const [metric, value, unit] of count(input, result)) if (value > 0) metrics.record(ctx, 'AWS/SQS', metric, dims, value, unit);
      }
      return result;
    };
  }
  return out;
}
