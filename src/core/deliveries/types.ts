/**
 * @module core/deliveries/types
 * The contract of the one durable delivery engine. Every asynchronous side effect of every
 * service (an SNS notification, an alarm action, an EventBridge target, a Lambda async invoke, a
 * Firehose flush) is a job here:
 *
 * - committed to the store, in the same transaction as the API call's own writes, before that
 *   call answers (so an accepted message survives SIGKILL);
 * - attempted by the sender registered for its `kind`, at least once, until it succeeds, fails
 *   permanently, runs out of attempts or of age (then dead-lettered when a DLQ is named);
 * - throttled per `target` (concurrency, and a rate for chat webhooks), by queueing, never by
 *   dropping;
 * - logged per attempt (time, outcome, latency, status code, an excerpt of the response).
 */
import type { Queryable } from '../../store/store.js';

/** How often and how long to retry. Delays grow from `baseDelayMs` to `maxDelayMs`. */
export interface RetryPolicy {
  /** total attempts including the first (AWS SNS HTTP default: 1 + 3 retries = 4) */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  backoff: 'exponential' | 'linear' | 'fixed';
  /** 0..1: each delay is randomised by up to this fraction (full jitter at 1) */
  jitter: number;
  /** a job older than this is not attempted again (EventBridge: 24 h; Lambda async: 6 h) */
  maxAgeMs: number;
}

/** Limits per target (an endpoint URL, a webhook, an ARN): queue beyond them, never drop. */
export interface Throttle {
  /** attempts in flight at once for one target */
  concurrency: number;
  /** sustained attempts per second for one target (Slack: 1); unlimited when absent */
  ratePerSecond?: number;
  /** attempts allowed at once above the rate (token bucket size); default 1 */
  burst?: number;
}

/** Where a job's payload goes when it can no longer be delivered (an SQS queue ARN). */
export interface DeadLetter {
  arn: string;
  /** the message body the dead-letter queue receives */
  body: string;
  attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export interface NewJob {
  /** which registered sender attempts it: 'sns.http', 'sns.email', 'target', … */
  kind: string;
  /** the service that created it ('sns', 'events', 'lambda', 'cloudwatch'): its default retry policy, and log grouping */
  source: string;
  /** the unit of throttling and of the delivery log: an endpoint URL or an ARN */
  target: string;
  /** JSON-serialisable; the sender's input. Secrets must not be put here in clear. */
  payload: unknown;
  /** overrides of the source's default policy (SNS DeliveryPolicy, EventBridge RetryPolicy…) */
  retry?: Partial<RetryPolicy>;
  deadLetter?: DeadLetter;
  /** first attempt not before now + delayMs */
  delayMs?: number;
  /** what the job belongs to (a subscription ARN, a rule ARN…), for the log and the console */
  ref?: string;
}

export interface Job extends NewJob {
  id: number;
  /** 1 for the first attempt */
  attempt: number;
  /** epoch ms */
  createdAt: number;
}

export type Outcome =
  | { ok: true; status?: number; excerpt?: string }
  | {
      ok: false;
      /** false: do not try again (a 4xx other than 429, a bad endpoint) */
      retryable: boolean;
      status?: number;
      error: string;
      excerpt?: string;
      /** the target asked us to wait (HTTP 429/503 Retry-After): next attempt not before this */
      retryAfterMs?: number;
      /**
       * What is left of the job, when the sender settled part of it itself (a job carrying
       * several events, delivered to some of them): the next attempt is made with this payload,
       * which is committed with the retry, and settled listeners see it. JSON-serialisable.
       */
      payload?: unknown;
    };

export type Sender = (job: Job) => Promise<Outcome>;

export interface SenderOptions {
  /** limits for one target of this kind; default { concurrency: 32 } */
  throttle?: (target: string) => Throttle;
}

/** One attempt, as the delivery log keeps it. */
export interface DeliveryAttempt {
  jobId: number;
  attempt: number;
  kind: string;
  source: string;
  target: string;
  ref?: string;
  /** epoch ms when the attempt started */
  at: number;
  latencyMs: number;
  outcome: 'delivered' | 'failed' | 'retrying' | 'dead-lettered' | 'expired';
  status?: number;
  /** a few hundred characters of the response body or the error */
  excerpt?: string;
}

export interface AttemptQuery {
  source?: string;
  target?: string;
  ref?: string;
  jobId?: number;
  /** newest first; default 100, at most 1000 */
  limit?: number;
}

export interface DeliveryEngine {
  /**
   * Records jobs. With `tx`, inside the caller's transaction: call `wake()` once it has committed.
   * Without, in a transaction of its own, and the engine wakes itself.
   */
  enqueue(jobs: readonly NewJob[], tx?: Queryable): Promise<number[]>;
  /** new jobs were committed: look for due work now rather than at the next poll */
  wake(): void;
  register(kind: string, sender: Sender, opts?: SenderOptions): void;
  /** the default retry policy of a source (overridable per job) */
  setSourcePolicy(source: string, policy: RetryPolicy): void;
  /**
   * Hears every job's last attempt (delivered, failed, expired, dead-lettered): how services
   * count their own deliveries (AWS/SNS NumberOfNotificationsDelivered). Listeners must be cheap
   * and must not throw.
   */
  onSettled(listener: (job: Job, last: DeliveryAttempt) => void): void;
  attempts(q?: AttemptQuery): Promise<DeliveryAttempt[]>;
  /** jobs not yet delivered, dead-lettered or expired */
  pendingCount(q?: { source?: string; target?: string }): Promise<number>;
  start(): void;
  /** stop claiming; wait for attempts in flight (at most `graceMs`) */
  stop(graceMs?: number): Promise<void>;
}
