-- The durable delivery engine (core/deliveries/store.ts). A row in delivery_jobs is a side effect
-- that has been accepted and not yet finished: it is inserted in the transaction of the API call
-- that created it and deleted once delivered, failed, expired or dead-lettered. Whatever is in
-- this table when the process starts is due again (at-least-once).
CREATE TABLE delivery_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,   -- ids only grow: the engine's scans page by id
  kind TEXT NOT NULL,                     -- the sender: 'sns.http', 'target', ...
  source TEXT NOT NULL,                   -- 'sns', 'events', 'lambda', 'cloudwatch'
  target TEXT NOT NULL,                   -- endpoint URL or ARN: the unit of throttling
  ref TEXT,                               -- subscription ARN, rule ARN, ...
  payload TEXT NOT NULL,                  -- JSON, the sender's input
  retry TEXT,                             -- JSON Partial<RetryPolicy> overriding the source's policy
  dead_letter TEXT,                       -- JSON DeadLetter
  attempt INTEGER NOT NULL DEFAULT 0,     -- attempts made so far
  created_at INTEGER NOT NULL,            -- epoch ms: maxAge counts from here
  run_at INTEGER NOT NULL,                -- epoch ms: not attempted before
  -- 1 = not held in memory: a long retry wait, or a backlog beyond the in-memory window; found
  -- again by the due scan when run_at comes
  parked INTEGER NOT NULL DEFAULT 0,
  -- cluster mode (not used by the single-node engine, whose claims live in memory): the node that
  -- claimed the row with FOR UPDATE SKIP LOCKED and until when its claim holds
  owner TEXT,
  locked_until INTEGER
);
-- partial: only parked rows are in it, so the hot insert/delete path does not maintain it
CREATE INDEX delivery_jobs_parked ON delivery_jobs (run_at) WHERE parked = 1;

-- The delivery log: one row per attempt (and one per job expired without an attempt). Pruned to
-- the newest rows and days by the engine.
CREATE TABLE delivery_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL,                -- no foreign key: the job row is gone once finished
  attempt INTEGER NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  ref TEXT,
  at INTEGER NOT NULL,                    -- epoch ms when the attempt started
  latency_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL,                  -- delivered | failed | retrying | dead-lettered | expired
  status INTEGER,                         -- HTTP status, when there was one
  excerpt TEXT                            -- <= 512 chars of the response or the error
);
-- Every index here is paid on every delivery (insert, then prune): two only. By job (integer,
-- cheap) and by ref (a subscription or rule: what the console shows a log for). Queries by target
-- or source scan the log, which pruning keeps bounded.
CREATE INDEX delivery_attempts_job ON delivery_attempts (job_id);
CREATE INDEX delivery_attempts_ref ON delivery_attempts (ref, seq);
