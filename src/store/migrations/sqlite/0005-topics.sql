-- SNS topics and subscriptions (services/topics/store.ts). Topics are scoped by account and
-- region through their ARN; every other table hangs off an ARN. Attribute maps are stored as
-- JSON text because SNS treats them as opaque string maps that only the service interprets.

CREATE TABLE sns_topics (
  arn TEXT PRIMARY KEY,                   -- arn:aws:sns:<region>:<account>:<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  fifo INTEGER NOT NULL,                  -- 0 | 1 (FifoTopic, fixed at creation)
  attributes TEXT NOT NULL,               -- JSON {name: value} of the attributes set by the caller
  created_attributes TEXT NOT NULL,       -- JSON: the attribute set of the CreateTopic that made it (idempotency)
  subscriptions_deleted INTEGER NOT NULL DEFAULT 0,
  sequence INTEGER NOT NULL DEFAULT 0,    -- FIFO: last SequenceNumber handed out
  created_at INTEGER NOT NULL             -- epoch ms
);
CREATE UNIQUE INDEX sns_topics_name ON sns_topics (account_id, region, name);

CREATE TABLE sns_subscriptions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- listing order and keyset paging
  arn TEXT NOT NULL UNIQUE,               -- <topic arn>:<uuid>
  topic_arn TEXT NOT NULL,
  account_id TEXT NOT NULL,               -- the subscriber's account (Owner)
  region TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  confirmed INTEGER NOT NULL,             -- 0 = pending confirmation
  confirmation_authenticated INTEGER NOT NULL,
  authenticate_on_unsubscribe INTEGER NOT NULL DEFAULT 0,
  attributes TEXT NOT NULL,               -- JSON: FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy, DeliveryPolicy…
  webhook_secret TEXT,                    -- `webhook` protocol: whsec_… sealed by core/secrets (AAD = arn)
  created_at INTEGER NOT NULL
);
CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, seq);
CREATE INDEX sns_subscriptions_owner ON sns_subscriptions (account_id, region, seq);

-- Confirmation tokens (SubscribeURL, e-mail links). `subscribe` tokens confirm a pending
-- subscription; `resubscribe` tokens (sent in an UnsubscribeConfirmation) restore a deleted one.
CREATE TABLE sns_tokens (
  token TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                     -- subscribe | resubscribe
  topic_arn TEXT NOT NULL,
  subscription_arn TEXT,                  -- the subscription it confirmed or restored
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  attributes TEXT NOT NULL,               -- resubscribe: the attributes to restore
  expires_at INTEGER NOT NULL             -- epoch ms (issued + 3 days)
);
CREATE INDEX sns_tokens_subscription ON sns_tokens (subscription_arn);

CREATE TABLE sns_tags (
  arn TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (arn, tag_key)
);

-- FIFO topics: message deduplication ids seen in the last 5 minutes.
CREATE TABLE sns_fifo_dedup (
  topic_arn TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (topic_arn, dedup_id)
);
CREATE INDEX sns_fifo_dedup_expiry ON sns_fifo_dedup (expires_at);
