/**
 * @module core/audit/store
 * The audit_events table (migration 0001). Append-only; read in `seq` order by the event bus.
 */
import type { Queryable } from '../../store/store.js';

export interface AuditRow {
  seq: number;
  event_id: string;
  event_time: number;
  event_source: string;
  event_name: string;
  region: string;
  account_id: string;
  access_key_id: string;
  principal_arn: string;
  source_ip: string;
  user_agent: string;
  request_id: string;
  request_parameters: string | null;
  response_elements: string | null;
  error_code: string | null;
  error_message: string | null;
}

export type NewAuditRow = Omit<AuditRow, 'seq'>;

export async function insertAuditEvent(db: Queryable, r: NewAuditRow): Promise<void> {
  await db.run(
    `INSERT INTO audit_events (event_id, event_time, event_source, event_name, region, account_id, access_key_id,
       principal_arn, source_ip, user_agent, request_id, request_parameters, response_elements, error_code, error_message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.event_id, r.event_time, r.event_source, r.event_name, r.region, r.account_id, r.access_key_id, r.principal_arn,
      r.source_ip, r.user_agent, r.request_id, r.request_parameters, r.response_elements, r.error_code, r.error_message],
  );
}

/** Events after `afterSeq`, oldest first. */
export async function listAuditEvents(db: Queryable, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.all<AuditRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
}

/** The newest record's seq (0 when the trail is empty): where a new reader of the trail starts. */
export async function lastAuditSeq(db: Queryable): Promise<number> {
  return (await db.one<{ m: number | null }>('SELECT MAX(seq) AS m FROM audit_events'))?.m ?? 0;
}
