-- SQS (services/queues/store.ts). Queues are scoped by account and region, as AWS scopes them.
-- Each queue also gets a numeric id: a queue deleted and created again under the same name starts
-- empty, and receipt handles, dedup entries and move tasks of the old one cannot reach the new one.
CREATE TABLE sqs_queues (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  fifo INTEGER NOT NULL,                  -- 0 | 1 (fixed at creation)
  attributes TEXT NOT NULL,               -- JSON: the settable attributes, as strings (AWS's form)
  dlq_arn TEXT,                           -- RedrivePolicy.deadLetterTargetArn, for ListDeadLetterSourceQueues
  created_at INTEGER NOT NULL,            -- epoch ms
  modified_at INTEGER NOT NULL,           -- epoch ms (LastModifiedTimestamp)
  purged_at INTEGER,                      -- last PurgeQueue (one per 60 s)
  last_seq INTEGER NOT NULL DEFAULT 0,    -- FIFO: the last SequenceNumber handed out
  UNIQUE (account_id, region, name)
);
CREATE INDEX sqs_queues_dlq ON sqs_queues (account_id, region, dlq_arn);

CREATE TABLE sqs_queue_tags (
  queue_id INTEGER NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (queue_id, tag_key)
);

-- One row per message in a queue. A message is in flight while `receipt` is set and
-- `visible_at` is in the future; delayed while `receipt` is NULL and `visible_at` is in the future.
-- `receipt` is the token of the latest receive: receipt handles are checked against it, so they
-- stay valid across a restart and an older handle cannot delete a message received again since.
CREATE TABLE sqs_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order: FIFO order within a group
  queue_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT,                        -- JSON message attributes (binary values base64)
  system_attributes TEXT,                 -- JSON message system attributes (AWSTraceHeader)
  md5_body TEXT NOT NULL,
  md5_attributes TEXT,
  md5_system TEXT,
  sender_id TEXT NOT NULL,
  sent_at INTEGER NOT NULL,               -- epoch ms; retention counts from here
  visible_at INTEGER NOT NULL,            -- epoch ms: delay and visibility timeout
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_received_at INTEGER,
  receipt TEXT,
  group_id TEXT,
  dedup_id TEXT,
  sequence_number TEXT,
  dead_letter_source TEXT                 -- ARN of the queue a dead-lettered message came from
);
CREATE INDEX sqs_messages_ready ON sqs_messages (queue_id, visible_at, id);
CREATE INDEX sqs_messages_order ON sqs_messages (queue_id, id);
CREATE INDEX sqs_messages_sent ON sqs_messages (queue_id, sent_at);

-- FIFO deduplication: a MessageDeduplicationId seen in the last 5 minutes (per queue, or per
-- message group with DeduplicationScope=messageGroup) is accepted again without a new message.
CREATE TABLE sqs_dedup (
  queue_id INTEGER NOT NULL,
  scope TEXT NOT NULL,                    -- '' for the queue, else the message group id
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (queue_id, scope, dedup_id)
);
CREATE INDEX sqs_dedup_expiry ON sqs_dedup (expires_at);

-- StartMessageMoveTask: moves a dead-letter queue's messages back to their source (or elsewhere).
CREATE TABLE sqs_move_tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_handle TEXT NOT NULL UNIQUE,
  source_queue_id INTEGER NOT NULL,
  source_arn TEXT NOT NULL,
  destination_arn TEXT,                   -- NULL: each message back to the queue it came from
  max_per_second INTEGER,
  status TEXT NOT NULL,                   -- RUNNING | COMPLETED | CANCELLING | CANCELLED | FAILED
  to_move INTEGER NOT NULL,
  moved INTEGER NOT NULL DEFAULT 0,
  last_message_id INTEGER NOT NULL,       -- messages that arrive after the start are left alone
  failure_reason TEXT,
  started_at INTEGER NOT NULL
);
CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, id);
CREATE INDEX sqs_move_tasks_status ON sqs_move_tasks (status);
