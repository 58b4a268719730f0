/**
 * @module core/audit/trail
 * Turns a mutating API call into an audit record with the fields a CloudTrail
 * "AWS API Call via CloudTrail" event needs. Request parameters and response elements are
 * written the CloudTrail way (member names with a lower-case first letter) and every member the
 * service model marks `sensitive` (a SecureString value, a secret key) is replaced, so secrets
 * never reach the trail.
 */
import type { Shape } from '../../protocols/model.js';
import type { Store } from '../../store/store.js';
import { newRequestId } from '../ids.js';
import { insertAuditEvent, lastAuditSeq, listAuditEvents, type AuditRow } from './store.js';

export type { AuditRow } from './store.js';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Copies `value` along `shape`, renaming members CloudTrail-style and hiding sensitive ones. */
export function toTrailShape(value: unknown, shape: Shape | undefined): unknown {
  if (value === undefined || value === null) return value;
  if (shape?.sensitive) return HIDDEN;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return HIDDEN;
  if (Array.isArray(value)) return value.map((v) => toTrailShape(v, shape?.member));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const isMap = shape?.type === 'map';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isMap) out[k] = toTrailShape(v, shape?.value);
      else out[k.charAt(0).toLowerCase() + k.slice(1)] = toTrailShape(v, shape?.members?.[k]);
    }
    return out;
  }
  return value;
}

export interface AuditCall {
  eventSource: string;
  eventName: string;
  time: Date;
  region: string;
  accountId: string;
  accessKeyId: string;
  principalArn: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  input?: Record<string, unknown>;
  inputShape?: Shape;
  output?: unknown;
  outputShape?: Shape;
  error?: { code: string; message: string };
}

/**
 * What a reader of the trail gets: the records in `seq` order, and a nudge when new ones are
 * committed. The nudge is only a hint (it is lost with the process); durability comes from the
 * reader keeping its own cursor over `seq` in the same transaction as whatever it does with a
 * record (the event bus: the jobs of the rules an API call matched).
 */
export interface AuditFeed {
  list(afterSeq: number, limit: number): Promise<AuditRow[]>;
  /** the newest record's seq: a new reader starts after it */
  lastSeq(): Promise<number>;
  onRecorded(listener: () => void): void;
}

export class AuditTrail implements AuditFeed {
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  onRecorded(listener: () => void): void {
    this.listeners.push(listener);
  }

  lastSeq(): Promise<number> {
    return lastAuditSeq(this.store);
  }

  async record(c: AuditCall): Promise<void> {
    await this.insert(c);
    for (const l of this.listeners) l();
  }

  private async insert(c: AuditCall): Promise<void> {
    const params = c.input && Object.keys(c.input).length ? JSON.stringify(toTrailShape(c.input, c.inputShape)) : null;
    const response = c.output && typeof c.output === 'object' && Object.keys(c.output).length ? JSON.stringify(toTrailShape(c.output, c.outputShape)) : null;
    await insertAuditEvent(this.store, {
      event_id: newRequestId(),
      event_time: c.time.getTime(),
      event_source: c.eventSource,
      event_name: c.eventName,
      region: c.region,
      account_id: c.accountId,
      access_key_id: c.accessKeyId,
      principal_arn: c.principalArn,
      source_ip: c.sourceIp,
      user_agent: c.userAgent,
      request_id: c.requestId,
      request_parameters: params,
      response_elements: response,
      error_code: c.error?.code ?? null,
      error_message: c.error?.message ?? null,
    });
  }

  list(afterSeq = 0, limit = 100): Promise<AuditRow[]> {
    return listAuditEvents(this.store, afterSeq, limit);
  }
}
