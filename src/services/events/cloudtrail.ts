/**
 * @module services/events/cloudtrail
 * Every mutating API call of every service, published on its account's default bus as an
 * `AWS API Call via CloudTrail` event.
 *
 * Why a cursor over the audit table rather than a job per call: the audit trail is already the
 * durable, ordered record of every call (one append per call, committed before the response), so
 * reading it from a cursor costs the API path nothing — no second write, no transaction around
 * the handler — and a burst of calls is read back in batches. Durability: the cursor moves in the
 * same transaction as the jobs of the rules a batch matched, so after a crash the batch is read
 * again (at least once, never lost). The trail's `onRecorded` nudge keeps the delay to a few
 * milliseconds; a slow poll catches anything a nudge missed. A new cursor starts at the end of
 * the trail: calls made before Signalbox had this feature are not published.
 */
import { randomUUID } from 'node:crypto';
import type { AuditFeed, AuditRow } from '../../core/audit/trail.js';
import type { NewJob } from '../../core/deliveries/types.js';
import { BackgroundLoop } from './background-loop.js';
import type { EventsDeps } from './deps.js';
import { DEFAULT_BUS, isoSeconds } from './model.js';
import { batchTargetJobs, routeEvent } from './route.js';
import { readCursor, writeCursor } from './store.js';

const CURSOR = 'cloudtrail';
const BATCH = 500;
const POLL_MS = 1000;

/** CloudTrail's event source → EventBridge `source` where the two names differ. */
const SOURCE_NAMES: Record<string, string> = { monitoring: 'cloudwatch' };

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Who made the call, as CloudTrail names it: the account's root, an IAM user, or — for a
 * function's calls, signed with a session of its execution role — the assumed role, with the
 * role it was issued for.
 */
function userIdentity(r: AuditRow): Record<string, unknown> {
  const arn = r.principal_arn;
  const base = { principalId: r.account_id, arn, accountId: r.account_id, accessKeyId: r.access_key_id };
  if (arn.endsWith(':root')) return { type: 'Root', ...base };
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (!assumed) return { type: 'IAMUser', ...base, userName: arn.slice(arn.lastIndexOf('/') + 1) };
  const [, account, role, session] = assumed;
  return {
    type: 'AssumedRole',
    ...base,
    principalId: `${account}:${session}`,
    sessionContext: { sessionIssuer: { type: 'Role', principalId: account, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role } },
  };
}

export function cloudTrailEvent(r: AuditRow): Record<string, unknown> {
  const service = r.event_source.replace(/\.amazonaws\.com$/, '');
  const detail: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: userIdentity(r),
    eventTime: isoSeconds(r.event_time),
    eventSource: r.event_source,
    eventName: r.event_name,
    awsRegion: r.region,
    sourceIPAddress: r.source_ip,
    userAgent: r.user_agent,
    ...(r.error_code ? { errorCode: r.error_code, errorMessage: r.error_message ?? '' } : {}),
    requestParameters: parse(r.request_parameters),
    responseElements: parse(r.response_elements),
    requestID: r.request_id,
    eventID: r.event_id,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: r.account_id,
    eventCategory: 'Management',
  };
  return {
    version: '0', id: randomUUID(), 'detail-type': 'AWS API Call via CloudTrail', source: `aws.${SOURCE_NAMES[service] ?? service}`,
    account: r.account_id, time: isoSeconds(r.event_time), region: r.region, resources: [], detail,
  };
}

export class CloudTrailPublisher {
  private readonly loop: BackgroundLoop;

  constructor(private readonly d: EventsDeps, private readonly feed: AuditFeed) {
    this.loop = new BackgroundLoop(
      async () => {
        while (this.loop.active && (await this.drainOnce()) === BATCH) { /* a full batch: there may be more */ }
      },
      POLL_MS,
      (e) => d.log.error({ err: e }, 'events: publishing the audit trail failed'),
    );
    feed.onRecorded(() => this.loop.wake());
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Publishes one batch; answers how many records it read. */
  async drainOnce(): Promise<number> {
    const d = this.d;
    await d.index.ready();
    let cursor = await readCursor(d.store, CURSOR);
    if (cursor === undefined) {
      cursor = await this.feed.lastSeq();
      await writeCursor(d.store, CURSOR, cursor);
    }
    const rows = await this.feed.list(cursor, BATCH);
    if (rows.length === 0) return 0;
    const jobs: NewJob[] = [];
    const now = d.clock.ms();
    for (const r of rows) {
      const event = cloudTrailEvent(r);
      for (const j of routeEvent(d, { accountId: r.account_id, region: r.region }, DEFAULT_BUS, event, undefined, { ingestionMs: now })) jobs.push(j);
    }
    const last = rows[rows.length - 1].seq;
    await d.store.transaction(async (tx) => {
      if (jobs.length) await d.deliveries.enqueue(batchTargetJobs(jobs), tx);
      await writeCursor(tx, CURSOR, last);
    });
    if (jobs.length) d.deliveries.wake();
    return rows.length;
  }
}
