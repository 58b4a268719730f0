-- CloudWatch Logs (services/logs/store.ts). Groups are scoped by account and region; streams,
-- events, metric filters and tags hang off a group's id. Names are case-sensitive and compared
-- byte-wise (never with LIKE).
--
-- Group and stream ids are AUTOINCREMENT so an id is never handed out twice: the events of a
-- deleted group or stream are purged in the background (logs_purges), and a group or stream
-- created again under the same name must not see them.

CREATE TABLE logs_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,            -- epoch ms
  retention_days INTEGER,                 -- NULL: never expire
  kms_key_id TEXT,
  group_class TEXT NOT NULL,              -- STANDARD | INFREQUENT_ACCESS | DELIVERY
  stored_bytes INTEGER NOT NULL DEFAULT 0 -- UTF-8 bytes of the messages kept
);
CREATE UNIQUE INDEX logs_groups_name ON logs_groups (account_id, region, name);

CREATE TABLE logs_streams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  first_event INTEGER NOT NULL DEFAULT 0, -- epoch ms; meaningful once last_ingestion is set
  last_event INTEGER NOT NULL DEFAULT 0,  -- also the DescribeLogStreams LastEventTime order
  last_ingestion INTEGER,                 -- NULL until the stream's first event
  stored_bytes INTEGER NOT NULL DEFAULT 0,
  upload_seq INTEGER NOT NULL DEFAULT 0   -- one per accepted PutLogEvents: the sequence token
);
CREATE UNIQUE INDEX logs_streams_name ON logs_streams (group_id, name);
CREATE INDEX logs_streams_last_event ON logs_streams (group_id, last_event, name);

-- Every accepted event. `id` orders events of equal timestamp by arrival and is the rowid, so
-- SQLite ends each index below with it: (stream, ts, id) serves GetLogEvents and per-stream
-- FilterLogEvents, (group, ts, id) serves FilterLogEvents over a group and the retention sweep.
CREATE TABLE logs_events (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,                    -- the event's timestamp, epoch ms
  ingested INTEGER NOT NULL,              -- ingestionTime, epoch ms
  bytes INTEGER NOT NULL,                 -- UTF-8 length of message
  message TEXT NOT NULL
);
CREATE INDEX logs_events_stream_ts ON logs_events (stream_id, ts);
CREATE INDEX logs_events_group_ts ON logs_events (group_id, ts);

-- Events left behind by DeleteLogGroup (stream_id NULL) or DeleteLogStream, deleted in batches.
CREATE TABLE logs_purges (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  stream_id INTEGER
);

CREATE TABLE logs_metric_filters (
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  pattern TEXT NOT NULL,
  transformations TEXT NOT NULL,          -- JSON: the MetricTransformation list as put
  metric_namespace TEXT NOT NULL,         -- of the (single) transformation, for DescribeMetricFilters
  metric_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, name)
);
CREATE INDEX logs_metric_filters_metric ON logs_metric_filters (metric_namespace, metric_name);

CREATE TABLE logs_group_tags (
  group_id INTEGER NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (group_id, tag_key)
);
