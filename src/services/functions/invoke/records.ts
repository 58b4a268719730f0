/**
 * @module services/functions/invoke/records
 * What an asynchronous invocation leaves behind, shaped as Lambda shapes it: the invocation
 * record its OnSuccess / OnFailure destinations receive, wrapped the way each kind of
 * destination receives it (a queue's message, a topic's message, a function's event, a bus's
 * `Lambda Function Invocation Result` event), and the message of a dead-letter queue or topic.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../../core/arn.js';
import type { TargetMessage } from '../../../core/targets/index.js';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface RecordInput {
  requestId: string;
  /** the version that ran (or would have): …:function:name:$LATEST */
  versionArn: string;
  condition: Condition;
  approximateInvokeCount: number;
  /** the event as it was sent */
  event: Buffer;
  response?: { executedVersion: string; functionError?: string; payload: Buffer };
  at: Date;
}

/** The payload as JSON when it is JSON (as Lambda embeds it), else as a string. */
function embedded(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function invocationRecord(r: RecordInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: r.at.toISOString(),
    requestContext: { requestId: r.requestId, functionArn: r.versionArn, condition: r.condition, approximateInvokeCount: r.approximateInvokeCount },
    requestPayload: embedded(r.event),
  };
  if (r.response) {
    record.responseContext = { statusCode: 200, executedVersion: r.response.executedVersion, ...(r.response.functionError ? { functionError: r.response.functionError } : {}) };
    record.responsePayload = embedded(r.response.payload);
  }
  return record;
}

/** The record as the destination `arn` receives it. */
export function destinationMessage(arn: string, record: Record<string, unknown>, versionArn: string, at: Date): TargetMessage {
  const body = JSON.stringify(record);
  const base = { sourceArn: versionArn, sourceService: 'lambda.amazonaws.com' };
  if (parseArn(arn)?.service !== 'events') return { ...base, body };
  const a = parseArn(versionArn);
  const success = (record.requestContext as { condition: Condition }).condition === 'Success';
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
    source: 'lambda',
    account: a?.accountId ?? '',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: a?.region ?? '',
    resources: [versionArn],
    detail: record,
  };
  return { ...base, body: JSON.stringify(event) };
}

/** A dead-letter queue or topic receives the event itself, with why it failed as attributes. */
export function deadLetterMessage(requestId: string, event: Buffer, errorCode: string, errorMessage: string): TargetMessage {
  return {
    body: event.toString('utf8'),
    attributes: {
      RequestID: { DataType: 'String', StringValue: requestId },
      ErrorCode: { DataType: 'Number', StringValue: errorCode },
      ErrorMessage: { DataType: 'String', StringValue: errorMessage.slice(0, 1024) },
    },
    sourceService: 'lambda.amazonaws.com',
  };
}
