-- CloudWatch metrics (services/metrics/store.ts).
--
-- A PutMetricData call is one row of `cw_ingest` (its datapoints, already validated and reduced
-- to aggregates), committed before the call answers; the metric store folds it into memory and,
-- every few seconds, into `cw_points`, deleting the ingest rows it folded in the same
-- transaction. After a crash the ingest rows left are folded in again at start.

CREATE TABLE cw_series (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  namespace TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  dimensions TEXT NOT NULL,         -- JSON [[name, value], …] sorted by name: one metric per set
  last_put INTEGER NOT NULL         -- epoch ms of the newest put (ListMetrics RecentlyActive, expiry)
);
CREATE UNIQUE INDEX cw_series_key ON cw_series (account_id, region, namespace, metric_name, dimensions);

CREATE TABLE cw_ingest (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  batch BLOB NOT NULL               -- the call's datums, binary (services/metrics/samples.ts encodeBatch)
);

-- Aggregates per series, resolution and period start. resolution: 1 (high-resolution data,
-- kept 3 h), 60 (15 days), 300 (63 days), 3600 (455 days); every datapoint is added to each
-- resolution it belongs to when it arrives, and each resolution expires on its own.
CREATE TABLE cw_points (
  series_id INTEGER NOT NULL,
  resolution INTEGER NOT NULL,
  ts INTEGER NOT NULL,              -- epoch s, a multiple of resolution
  unit TEXT,                        -- the unit of the latest datapoint in the period
  agg BLOB NOT NULL,                -- services/metrics/stats encodeAggregate
  PRIMARY KEY (series_id, resolution, ts)
) WITHOUT ROWID;
CREATE INDEX cw_points_age ON cw_points (resolution, ts);
