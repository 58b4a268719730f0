-- The audit trail: one row per mutating API call of any service (core/audit/store.ts).
-- The event bus turns these rows into "AWS API Call via CloudTrail" events, in seq order.
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  event_time INTEGER NOT NULL,            -- epoch ms
  event_source TEXT NOT NULL,             -- ssm.amazonaws.com
  event_name TEXT NOT NULL,               -- PutParameter
  region TEXT NOT NULL,
  account_id TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  principal_arn TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_parameters TEXT,                -- JSON, secrets redacted
  response_elements TEXT,                 -- JSON, secrets redacted
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX audit_events_time ON audit_events (event_time);
