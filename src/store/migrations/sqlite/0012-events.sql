-- EventBridge (services/events/store.ts): buses, rules, targets, tags, archives and their
-- events, replays, connections, API destinations, and the cursor over the audit trail.
-- Everything is scoped by account and region; the default bus of a scope exists without a row.

CREATE TABLE events_buses (
  arn TEXT PRIMARY KEY,                   -- arn:aws:events:<region>:<account>:event-bus/<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  policy TEXT,
  created_at INTEGER NOT NULL             -- epoch ms
);
CREATE UNIQUE INDEX events_buses_name ON events_buses (account_id, region, name);

CREATE TABLE events_rules (
  arn TEXT PRIMARY KEY,                   -- …:rule/<name> (default bus) or …:rule/<bus>/<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  bus_name TEXT NOT NULL,
  name TEXT NOT NULL,
  event_pattern TEXT,                     -- as given (AWS answers the text it was sent)
  schedule_expression TEXT,
  state TEXT NOT NULL,                    -- ENABLED | DISABLED | ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
  description TEXT,
  role_arn TEXT,
  managed_by TEXT,
  next_fire_at INTEGER,                   -- schedule rules: epoch ms of the next firing
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_rules_name ON events_rules (account_id, region, bus_name, name);

CREATE TABLE events_targets (
  rule_arn TEXT NOT NULL,
  id TEXT NOT NULL,
  arn TEXT NOT NULL,
  spec TEXT NOT NULL,                     -- JSON: the Target as PutTargets received it
  seq INTEGER NOT NULL,                   -- listing order
  PRIMARY KEY (rule_arn, id)
);
CREATE INDEX events_targets_arn ON events_targets (arn);

CREATE TABLE events_tags (
  arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (arn, key)
);

CREATE TABLE events_archives (
  arn TEXT PRIMARY KEY,                   -- …:archive/<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  source_arn TEXT NOT NULL,               -- the bus it archives
  description TEXT,
  event_pattern TEXT,
  retention_days INTEGER NOT NULL,        -- 0 = indefinitely
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_archives_name ON events_archives (account_id, region, name);

CREATE TABLE events_archived (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  archive_arn TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,            -- epoch ms of the event's `time`
  body TEXT NOT NULL                      -- the event JSON
);
CREATE INDEX events_archived_time ON events_archived (archive_arn, event_time, seq);
CREATE UNIQUE INDEX events_archived_event ON events_archived (archive_arn, event_id);

CREATE TABLE events_replays (
  arn TEXT PRIMARY KEY,                   -- …:replay/<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  source_arn TEXT NOT NULL,               -- the archive
  destination TEXT NOT NULL,              -- JSON {Arn, FilterArns}
  event_start INTEGER NOT NULL,
  event_end INTEGER NOT NULL,
  state TEXT NOT NULL,                    -- STARTING | RUNNING | CANCELLING | COMPLETED | CANCELLED | FAILED
  state_reason TEXT,
  last_replayed INTEGER,
  replay_start INTEGER NOT NULL,
  replay_end INTEGER,
  cursor_seq INTEGER NOT NULL DEFAULT 0   -- archived rows up to here were replayed
);
CREATE UNIQUE INDEX events_replays_name ON events_replays (account_id, region, name);

CREATE TABLE events_connections (
  arn TEXT PRIMARY KEY,                   -- …:connection/<name>/<uuid>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  authorization_type TEXT NOT NULL,
  auth_public TEXT NOT NULL,              -- JSON: AuthParameters without secrets (Describe answers it)
  auth_sealed TEXT NOT NULL,              -- the secret parts, sealed by core/secrets (AAD = arn)
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_connections_name ON events_connections (account_id, region, name);

CREATE TABLE events_api_destinations (
  arn TEXT PRIMARY KEY,                   -- …:api-destination/<name>/<uuid>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  connection_arn TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  http_method TEXT NOT NULL,
  rate_limit INTEGER,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_api_destinations_name ON events_api_destinations (account_id, region, name);

-- How far the default buses have read the audit trail (one row: 'cloudtrail').
CREATE TABLE events_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
