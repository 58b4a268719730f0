/**
 * @module core/targets
 * Resolves an ARN to the service that accepts deliveries for it, so services hand payloads to
 * one another without importing one another: SQS registers `sqs`, functions `lambda`, topics
 * `sns`, buses `events`, streams `firehose`. A sender that holds an ARN calls `send`.
 */
import { parseArn } from '../arn.js';

/** What a target receives: an SQS message, an async function event, an event for a bus… */
export interface TargetMessage {
  body: string;
  /** SNS topics: the Subject (CloudWatch alarm actions set it) */
  subject?: string;
  /** SQS-style message attributes */
  attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** FIFO targets */
  groupId?: string;
  deduplicationId?: string;
  /** the ARN of the resource that sends it (a topic, a rule), for targets that record it */
  sourceArn?: string;
  /** the service principal sending it ('sns.amazonaws.com'…) */
  sourceService?: string;
}

export type TargetResult =
  | { ok: true; id?: string }
  | { ok: false; retryable: boolean; error: string; /** an AWS error code when there is one */ code?: string };

export interface TargetHandler {
  send(arn: string, message: TargetMessage): Promise<TargetResult>;
}

export class Targets {
  private readonly handlers = new Map<string, TargetHandler>();

  /** `service` is the ARN's service field: 'sqs', 'lambda', 'sns', 'events', 'firehose', 'logs'. */
  register(service: string, handler: TargetHandler): void {
    this.handlers.set(service, handler);
  }

  has(arn: string): boolean {
    const a = parseArn(arn);
    return !!a && this.handlers.has(a.service);
  }

  async send(arn: string, message: TargetMessage): Promise<TargetResult> {
    const a = parseArn(arn);
    if (!a) return { ok: false, retryable: false, error: `not an ARN: ${arn}` };
    const h = this.handlers.get(a.service);
    // a service that does not exist yet may exist after an upgrade: worth retrying
    if (!h) return { ok: false, retryable: true, error: `no ${a.service} target is served (yet) for ${arn}` };
    return h.send(arn, message);
  }
}
