/**
 * @module services/topics/store
 * The SNS tables (migration 0005-topics) and the only SQL of this service.
 *
 * Functions take a `Queryable` so the same statement runs inside a transaction (a Subscribe
 * that also records a token) or alone. Publish never comes here for a standard topic: the fan-out
 * reads the in-memory cache (cache.ts), which is reloaded from `topicWithSubscriptions`.
 */
import type { Queryable } from '../../store/store.js';
import type { SnsProtocol } from './delivery-payload.js';
import type { SubscriptionRecord, TopicRecord } from './model.js';

interface TopicRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  created_attributes: string;
  subscriptions_deleted: number;
  created_at: number;
  [k: string]: unknown;
}

interface SubscriptionRow {
  seq: number;
  arn: string;
  topic_arn: string;
  account_id: string;
  region: string;
  protocol: string;
  endpoint: string;
  endpoint_sealed: string | null;
  confirmed: number;
  confirmation_authenticated: number;
  authenticate_on_unsubscribe: number;
  attributes: string;
  webhook_secret: string | null;
  created_at: number;
  [k: string]: unknown;
}

function toTopic(r: TopicRow): TopicRecord {
  return {
    arn: r.arn,
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    fifo: Number(r.fifo) === 1,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    createdAttributes: JSON.parse(r.created_attributes) as Record<string, string>,
    subscriptionsDeleted: Number(r.subscriptions_deleted),
    createdAt: Number(r.created_at),
  };
}

function toSubscription(r: SubscriptionRow): SubscriptionRecord {
  return {
    seq: Number(r.seq),
    arn: r.arn,
    topicArn: r.topic_arn,
    accountId: r.account_id,
    region: r.region,
    protocol: r.protocol as SnsProtocol,
    endpoint: r.endpoint,
    endpointSealed: r.endpoint_sealed,
    confirmed: Number(r.confirmed) === 1,
    confirmationAuthenticated: Number(r.confirmation_authenticated) === 1,
    authenticateOnUnsubscribe: Number(r.authenticate_on_unsubscribe) === 1,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    webhookSecret: r.webhook_secret,
    createdAt: Number(r.created_at),
  };
}

const TOPIC_COLUMNS = 'arn, account_id, region, name, fifo, attributes, created_attributes, subscriptions_deleted, created_at';
const SUB_COLUMNS =
  'seq, arn, topic_arn, account_id, region, protocol, endpoint, endpoint_sealed, confirmed, confirmation_authenticated, authenticate_on_unsubscribe, attributes, webhook_secret, created_at';

// --- topics ------------------------------------------------------------------------------

export async function getTopic(db: Queryable, arn: string): Promise<TopicRecord | undefined> {
  const row = await db.one<TopicRow>(`SELECT ${TOPIC_COLUMNS} FROM sns_topics WHERE arn = ?`, [arn]);
  return row && toTopic(row);
}

export async function countTopics(db: Queryable, accountId: string, region: string, fifo: boolean): Promise<number> {
  const row = await db.one<{ n: number }>('SELECT count(*) AS n FROM sns_topics WHERE account_id = ? AND region = ? AND fifo = ?', [accountId, region, fifo ? 1 : 0]);
  return Number(row?.n ?? 0);
}

export async function insertTopic(db: Queryable, t: TopicRecord): Promise<void> {
  await db.run(
    `INSERT INTO sns_topics (arn, account_id, region, name, fifo, attributes, created_attributes, subscriptions_deleted, sequence, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`,
    [t.arn, t.accountId, t.region, t.name, t.fifo ? 1 : 0, JSON.stringify(t.attributes), JSON.stringify(t.createdAttributes), t.createdAt],
  );
}

export async function updateTopicAttributes(db: Queryable, arn: string, attributes: Record<string, string>): Promise<void> {
  await db.run('UPDATE sns_topics SET attributes = ? WHERE arn = ?', [JSON.stringify(attributes), arn]);
}

/** Removes the topic with its subscriptions, tokens, tags and dedup entries. */
export async function deleteTopic(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM sns_tokens WHERE topic_arn = ?', [arn]);
  await db.run('DELETE FROM sns_tags WHERE arn IN (SELECT arn FROM sns_subscriptions WHERE topic_arn = ?)', [arn]);
  await db.run('DELETE FROM sns_subscriptions WHERE topic_arn = ?', [arn]);
  await db.run('DELETE FROM sns_fifo_dedup WHERE topic_arn = ?', [arn]);
  await db.run('DELETE FROM sns_tags WHERE arn = ?', [arn]);
  await db.run('DELETE FROM sns_topics WHERE arn = ?', [arn]);
}

/** Topics of the scope after `afterArn`, in ARN order. */
export async function listTopics(db: Queryable, accountId: string, region: string, afterArn: string, limit: number): Promise<string[]> {
  const rows = await db.all<{ arn: string }>(
    'SELECT arn FROM sns_topics WHERE account_id = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?',
    [accountId, region, afterArn, limit],
  );
  return rows.map((r) => r.arn);
}

/** The next FIFO SequenceNumber of a topic (inside the publishing transaction). */
export async function nextSequence(db: Queryable, arn: string, count: number): Promise<number> {
  await db.run('UPDATE sns_topics SET sequence = sequence + ? WHERE arn = ?', [count, arn]);
  const row = await db.one<{ sequence: number }>('SELECT sequence FROM sns_topics WHERE arn = ?', [arn]);
  return Number(row?.sequence ?? 0) - count + 1;
}

export async function subscriptionCounts(db: Queryable, topicArn: string): Promise<{ confirmed: number; pending: number }> {
  const rows = await db.all<{ confirmed: number; n: number }>(
    'SELECT confirmed, count(*) AS n FROM sns_subscriptions WHERE topic_arn = ? GROUP BY confirmed',
    [topicArn],
  );
  let confirmed = 0;
  let pending = 0;
  for (const r of rows) {
    if (Number(r.confirmed) === 1) confirmed = Number(r.n);
    else pending = Number(r.n);
  }
  return { confirmed, pending };
}

// --- subscriptions -----------------------------------------------------------------------

export async function getSubscription(db: Queryable, arn: string): Promise<SubscriptionRecord | undefined> {
  const row = await db.one<SubscriptionRow>(`SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE arn = ?`, [arn]);
  return row && toSubscription(row);
}

export async function findSubscription(db: Queryable, topicArn: string, protocol: string, endpoint: string): Promise<SubscriptionRecord | undefined> {
  const row = await db.one<SubscriptionRow>(
    `SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?`,
    [topicArn, protocol, endpoint],
  );
  return row && toSubscription(row);
}

/** Every subscription of a topic (the cache's load). */
export async function subscriptionsOfTopic(db: Queryable, topicArn: string): Promise<SubscriptionRecord[]> {
  const rows = await db.all<SubscriptionRow>(`SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE topic_arn = ? ORDER BY seq`, [topicArn]);
  return rows.map(toSubscription);
}

export async function insertSubscription(db: Queryable, s: Omit<SubscriptionRecord, 'seq'>): Promise<void> {
  await db.run(
    `INSERT INTO sns_subscriptions (arn, topic_arn, account_id, region, protocol, endpoint, endpoint_sealed, confirmed, confirmation_authenticated,
       authenticate_on_unsubscribe, attributes, webhook_secret, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.arn, s.topicArn, s.accountId, s.region, s.protocol, s.endpoint, s.endpointSealed, s.confirmed ? 1 : 0, s.confirmationAuthenticated ? 1 : 0,
      s.authenticateOnUnsubscribe ? 1 : 0, JSON.stringify(s.attributes), s.webhookSecret, s.createdAt],
  );
}

/** Subscriptions of these protocols whose endpoint is still in clear (written before 0006). */
export async function clearSecretEndpoints(db: Queryable, protocols: readonly string[]): Promise<SubscriptionRecord[]> {
  const rows = await db.all<SubscriptionRow>(
    `SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE endpoint_sealed IS NULL AND protocol IN (${protocols.map(() => '?').join(', ')})`,
    [...protocols],
  );
  return rows.map(toSubscription);
}

export async function setSealedEndpoint(db: Queryable, arn: string, endpoint: string, endpointSealed: string): Promise<void> {
  await db.run('UPDATE sns_subscriptions SET endpoint = ?, endpoint_sealed = ? WHERE arn = ?', [endpoint, endpointSealed, arn]);
}

export async function confirmSubscription(db: Queryable, arn: string, authenticated: boolean, authenticateOnUnsubscribe: boolean): Promise<void> {
  await db.run(
    'UPDATE sns_subscriptions SET confirmed = 1, confirmation_authenticated = ?, authenticate_on_unsubscribe = ? WHERE arn = ?',
    [authenticated ? 1 : 0, authenticateOnUnsubscribe ? 1 : 0, arn],
  );
}

export async function updateSubscriptionAttributes(db: Queryable, arn: string, attributes: Record<string, string>): Promise<void> {
  await db.run('UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?', [JSON.stringify(attributes), arn]);
}

export async function deleteSubscription(db: Queryable, arn: string, topicArn: string): Promise<boolean> {
  await db.run('DELETE FROM sns_tags WHERE arn = ?', [arn]);
  const r = await db.run('DELETE FROM sns_subscriptions WHERE arn = ?', [arn]);
  if (r.changes > 0) await db.run('UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE arn = ?', [topicArn]);
  return r.changes > 0;
}

/** A page of subscriptions, by owner scope or by topic, after `afterSeq`. */
export async function listSubscriptions(
  db: Queryable,
  by: { topicArn: string } | { accountId: string; region: string },
  afterSeq: number,
  limit: number,
): Promise<SubscriptionRecord[]> {
  const rows =
    'topicArn' in by
      ? await db.all<SubscriptionRow>(`SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE topic_arn = ? AND seq > ? ORDER BY seq LIMIT ?`, [by.topicArn, afterSeq, limit])
      : await db.all<SubscriptionRow>(
        `SELECT ${SUB_COLUMNS} FROM sns_subscriptions WHERE account_id = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`,
        [by.accountId, by.region, afterSeq, limit],
      );
  return rows.map(toSubscription);
}

// --- tokens ------------------------------------------------------------------------------

export interface TokenRecord {
  token: string;
  kind: 'subscribe' | 'resubscribe';
  topicArn: string;
  subscriptionArn: string | null;
  protocol: SnsProtocol;
  endpoint: string;
  attributes: Record<string, string>;
  expiresAt: number;
}

export async function insertToken(db: Queryable, t: TokenRecord): Promise<void> {
  await db.run(
    'INSERT INTO sns_tokens (token, kind, topic_arn, subscription_arn, protocol, endpoint, attributes, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [t.token, t.kind, t.topicArn, t.subscriptionArn, t.protocol, t.endpoint, JSON.stringify(t.attributes), t.expiresAt],
  );
}

export async function getToken(db: Queryable, token: string): Promise<TokenRecord | undefined> {
  const r = await db.one<{ token: string; kind: string; topic_arn: string; subscription_arn: string | null; protocol: string; endpoint: string; attributes: string; expires_at: number }>(
    'SELECT token, kind, topic_arn, subscription_arn, protocol, endpoint, attributes, expires_at FROM sns_tokens WHERE token = ?',
    [token],
  );
  if (!r) return undefined;
  return {
    token: r.token,
    kind: r.kind as TokenRecord['kind'],
    topicArn: r.topic_arn,
    subscriptionArn: r.subscription_arn,
    protocol: r.protocol as SnsProtocol,
    endpoint: r.endpoint,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    expiresAt: Number(r.expires_at),
  };
}

/** The newest unexpired subscribe token of a pending subscription (a repeated Subscribe resends it). */
export async function tokenOfSubscription(db: Queryable, subscriptionArn: string, now: number): Promise<string | undefined> {
  const r = await db.one<{ token: string }>(
    "SELECT token FROM sns_tokens WHERE subscription_arn = ? AND kind = 'subscribe' AND expires_at > ? ORDER BY expires_at DESC LIMIT 1",
    [subscriptionArn, now],
  );
  return r?.token;
}

export async function bindToken(db: Queryable, token: string, subscriptionArn: string): Promise<void> {
  await db.run('UPDATE sns_tokens SET subscription_arn = ? WHERE token = ?', [subscriptionArn, token]);
}

export async function purgeExpired(db: Queryable, now: number): Promise<void> {
  await db.run('DELETE FROM sns_tokens WHERE expires_at <= ?', [now]);
  await db.run('DELETE FROM sns_fifo_dedup WHERE expires_at <= ?', [now]);
}

// --- tags --------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, arn: string): Promise<Map<string, string>> {
  const rows = await db.all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM sns_tags WHERE arn = ? ORDER BY tag_key', [arn]);
  return new Map(rows.map((r) => [r.tag_key, r.tag_value]));
}

export async function putTag(db: Queryable, arn: string, key: string, value: string): Promise<void> {
  const u = await db.run('UPDATE sns_tags SET tag_value = ? WHERE arn = ? AND tag_key = ?', [value, arn, key]);
  if (u.changes === 0) await db.run('INSERT INTO sns_tags (arn, tag_key, tag_value) VALUES (?, ?, ?)', [arn, key, value]);
}

export async function removeTag(db: Queryable, arn: string, key: string): Promise<void> {
  await db.run('DELETE FROM sns_tags WHERE arn = ? AND tag_key = ?', [arn, key]);
}

// --- FIFO deduplication ------------------------------------------------------------------

export async function findDuplicate(db: Queryable, topicArn: string, dedupId: string, now: number): Promise<{ messageId: string; sequenceNumber: string } | undefined> {
  const r = await db.one<{ message_id: string; sequence_number: string }>(
    'SELECT message_id, sequence_number FROM sns_fifo_dedup WHERE topic_arn = ? AND dedup_id = ? AND expires_at > ?',
    [topicArn, dedupId, now],
  );
  return r && { messageId: r.message_id, sequenceNumber: r.sequence_number };
}

export async function recordDedup(db: Queryable, topicArn: string, dedupId: string, messageId: string, sequenceNumber: string, expiresAt: number): Promise<void> {
  // an expired entry for the same id may still be there: replace it
  await db.run('DELETE FROM sns_fifo_dedup WHERE topic_arn = ? AND dedup_id = ?', [topicArn, dedupId]);
  await db.run('INSERT INTO sns_fifo_dedup (topic_arn, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)',
    [topicArn, dedupId, messageId, sequenceNumber, expiresAt]);
}
