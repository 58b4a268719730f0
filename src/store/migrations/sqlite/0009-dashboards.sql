-- CloudWatch dashboards (services/dashboards/store.ts).
--
-- Dashboards are global to an account, not regional (API reference, PutDashboard: "All
-- dashboards in your account are global, not region-specific"; the ARN has no region), so a row
-- is keyed by account and name only. Names are case-sensitive and compared byte-wise; the body is
-- kept exactly as sent, because GetDashboard answers it unchanged.

CREATE TABLE cw_dashboards (
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,                   -- 1-255 of A-Z a-z 0-9 - _
  body TEXT NOT NULL,                   -- DashboardBody as sent
  size INTEGER NOT NULL,                -- bytes of the body in UTF-8 (DashboardEntry.Size)
  modified_at INTEGER NOT NULL,         -- epoch ms of the last PutDashboard (DashboardEntry.LastModified)
  PRIMARY KEY (account_id, name)
);
