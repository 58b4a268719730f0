/**
 * @module services/topics/senders/targets
 * Protocols whose endpoint is an ARN served by another Signalbox service, reached through
 * `deps.targets` (services never import each other):
 * - `sqs`: the envelope, or under RawMessageDelivery the bare message with the message
 *   attributes turned into SQS message attributes; FIFO group and deduplication ids passed on;
 * - `lambda`: the one-record SNS event, invoked asynchronously by the functions service;
 * - `firehose`: one record per message (compact envelope, or the bare message), newline
 *   terminated so that the objects the stream writes stay one message per line.
 */
import type { Job, Outcome, Sender } from '../../../core/deliveries/types.js';
import type { TargetMessage } from '../../../core/targets/index.js';
import type { SnsDelivery } from '../delivery-payload.js';
import { lambdaEvent, snsEnvelope } from '../formats/envelope.js';
import { envelopeBody, isRaw, readPayload, signedRender, targetOutcome, type SenderContext } from './context.js';

type SqsAttributes = NonNullable<TargetMessage['attributes']>;

/**
 * SNS attributes `{Type, Value}` as SQS attributes `{DataType, StringValue | BinaryValue}`.
 * SQS has no String.Array: AWS hands it over as a String holding the JSON array.
 */
export function sqsAttributes(attrs: SnsDelivery['messageAttributes']): SqsAttributes | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: SqsAttributes = {};
  for (const [name, a] of Object.entries(attrs)) {
    if (a.Type.startsWith('Binary')) out[name] = { DataType: a.Type, BinaryValue: a.Value };
    else if (a.Type === 'String.Array') out[name] = { DataType: 'String', StringValue: a.Value };
    else out[name] = { DataType: a.Type, StringValue: a.Value };
  }
  return out;
}

function fifo(d: SnsDelivery, m: TargetMessage): TargetMessage {
  if (d.messageGroupId !== undefined) m.groupId = d.messageGroupId;
  if (d.messageDeduplicationId !== undefined) m.deduplicationId = d.messageDeduplicationId;
  return m;
}

function viaTargets(ctx: SenderContext, build: (d: SnsDelivery) => Promise<TargetMessage>): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = readPayload(job);
    if (!p.ok) return p.outcome;
    return targetOutcome(await ctx.deps.targets.send(p.d.endpoint, await build(p.d)));
  };
}

export const sqsSender = (ctx: SenderContext): Sender =>
  viaTargets(ctx, async (d) => {
    const raw = isRaw(d);
    const m: TargetMessage = { body: raw ? d.message : await envelopeBody(ctx, d), sourceArn: d.topicArn, sourceService: 'sns.amazonaws.com' };
    const attributes = raw ? sqsAttributes(d.messageAttributes) : undefined;
    if (attributes) m.attributes = attributes;
    return fifo(d, m);
  });

export const lambdaSender = (ctx: SenderContext): Sender =>
  viaTargets(ctx, async (d) => ({ body: await signedRender(ctx, (env) => lambdaEvent(d, env)), sourceArn: d.topicArn, sourceService: 'sns.amazonaws.com' }));

export const firehoseSender = (ctx: SenderContext): Sender =>
  viaTargets(ctx, async (d) => ({
    body: (isRaw(d) ? d.message : JSON.stringify(await signedRender(ctx, (env) => snsEnvelope(d, env)))) + '\n',
    sourceArn: d.topicArn,
    sourceService: 'sns.amazonaws.com',
  }));
