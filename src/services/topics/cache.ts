/**
 * @module services/topics/cache
 * Each topic with its subscriptions and compiled filter policies, in memory, so that Publish
 * runs no per-subscription SQL: the fan-out is a PatternSet match and object building.
 *
 * An entry is loaded on first use (two queries) and dropped by every write that changes the
 * topic or one of its subscriptions (`invalidate`, called after the write committed); the next
 * Publish reloads it. A load that started before an invalidation is not kept (generation check),
 * so a Publish can never resurrect stale subscriptions.
 *
 * Single-node mode: this process is the only writer, so invalidating locally is complete.
 * Cluster-mode seam: another node's writes must reach `invalidate` too (a PostgreSQL
 * LISTEN/NOTIFY on the topic ARN, or a version column checked per Publish).
 */
import type { RetryPolicy } from '../../core/deliveries/types.js';
import type { Logger } from '../../core/log.js';
import { compileFilterPolicy, createPatternSet } from '../../core/patterns/index.js';
import type { FilterPolicyScope, PatternSet } from '../../core/patterns/types.js';
import type { Store } from '../../store/store.js';
import { effectiveSubscriptionPolicy, toRetryPolicy } from './delivery-policy.js';
import { isTrue, type SubscriptionRecord, type TopicRecord } from './model.js';
import { getTopic, subscriptionsOfTopic } from './store.js';

/** What the fan-out needs of one confirmed subscription, computed once per load. */
export interface CachedSubscription {
  rec: SubscriptionRecord;
  raw: boolean;
  /** http/https: from the effective DeliveryPolicy */
  retry?: Partial<RetryPolicy>;
  contentType?: string;
  /** RedrivePolicy.deadLetterTargetArn */
  deadLetterArn?: string;
}

export interface TopicEntry {
  topic: TopicRecord;
  /** every subscription, confirmed or not */
  all: SubscriptionRecord[];
  /** confirmed subscriptions without a filter policy: they receive everything */
  unfiltered: CachedSubscription[];
  byAttributes: PatternSet<CachedSubscription>;
  byBody: PatternSet<CachedSubscription>;
  /** subscriptions (any state) holding a filter policy: the per-topic limit */
  filterPolicies: number;
}

/** Protocols for which RawMessageDelivery changes the body sent. */
const RAW_CAPABLE = new Set(['http', 'https', 'sqs', 'firehose', 'webhook']);

export function deadLetterArnOf(attrs: Record<string, string>): string | undefined {
  if (!attrs.RedrivePolicy) return undefined;
  try {
    const arn = (JSON.parse(attrs.RedrivePolicy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined;
  }
}

export function scopeOf(attrs: Record<string, string>): FilterPolicyScope {
  return attrs.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
}

export class TopicCache {
  private readonly entries = new Map<string, TopicEntry>();
  private readonly loading = new Map<string, Promise<TopicEntry | undefined>>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly store: Store, private readonly log: Logger) {}

  /** The topic's entry, loading it when absent; undefined when the topic does not exist. */
  get(topicArn: string): TopicEntry | undefined | Promise<TopicEntry | undefined> {
    const hit = this.entries.get(topicArn);
    if (hit) return hit;
    let p = this.loading.get(topicArn);
    if (!p) {
      const gen = this.generation.get(topicArn) ?? 0;
      p = this.load(topicArn).then(
        (entry) => {
          this.loading.delete(topicArn);
          if (entry && (this.generation.get(topicArn) ?? 0) === gen) this.entries.set(topicArn, entry);
          return entry;
        },
        (e: unknown) => {
          this.loading.delete(topicArn);
          throw e;
        },
      );
      this.loading.set(topicArn, p);
    }
    return p;
  }

  /** The topic or one of its subscriptions changed: drop the entry (and any load in flight). */
  invalidate(topicArn: string): void {
    this.entries.delete(topicArn);
    this.loading.delete(topicArn);
    this.generation.set(topicArn, (this.generation.get(topicArn) ?? 0) + 1);
  }

  clear(): void {
    for (const arn of [...this.entries.keys(), ...this.loading.keys()]) this.invalidate(arn);
  }

  private async load(topicArn: string): Promise<TopicEntry | undefined> {
    const topic = await getTopic(this.store, topicArn);
    if (!topic) return undefined;
    const all = await subscriptionsOfTopic(this.store, topicArn);
    return this.build(topic, all);
  }

  private build(topic: TopicRecord, all: SubscriptionRecord[]): TopicEntry {
    const entry: TopicEntry = {
      topic,
      all,
      unfiltered: [],
      byAttributes: createPatternSet<CachedSubscription>(),
      byBody: createPatternSet<CachedSubscription>(),
      filterPolicies: 0,
    };
    for (const rec of all) {
      const policy = rec.attributes.FilterPolicy;
      if (policy) entry.filterPolicies++;
      // unconfirmed subscriptions never receive notifications
      if (!rec.confirmed) continue;
      const cached = prepare(topic, rec);
      if (!policy) {
        entry.unfiltered.push(cached);
        continue;
      }
      const scope = scopeOf(rec.attributes);
      try {
        const compiled = compileFilterPolicy(policy, scope);
        (scope === 'MessageBody' ? entry.byBody : entry.byAttributes).add(rec.arn, compiled, cached);
      } catch (e) {
        // validated when it was stored; if it no longer compiles, it matches nothing rather than everything
        this.log.warn({ subscriptionArn: rec.arn, err: e }, 'stored filter policy does not compile; subscription receives nothing');
      }
    }
    return entry;
  }
}

function prepare(topic: TopicRecord, rec: SubscriptionRecord): CachedSubscription {
  const c: CachedSubscription = {
    rec,
    raw: RAW_CAPABLE.has(rec.protocol) && isTrue(rec.attributes.RawMessageDelivery),
    deadLetterArn: deadLetterArnOf(rec.attributes),
  };
  if (rec.protocol === 'http' || rec.protocol === 'https') {
    const p = effectiveSubscriptionPolicy(topic.attributes.DeliveryPolicy, rec.attributes.DeliveryPolicy);
    c.retry = toRetryPolicy(p);
    c.contentType = p.requestPolicy.headerContentType;
  }
  return c;
}
