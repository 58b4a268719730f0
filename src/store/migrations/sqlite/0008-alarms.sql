-- CloudWatch alarms (services/alarms/store.ts). An alarm's configuration is kept as the JSON of
-- its Put*Alarm input in AWS's member names (what DescribeAlarms answers); its state in columns.
-- History outlives the alarm (DescribeAlarmHistory answers for deleted alarms) for 30 days.

CREATE TABLE cw_alarms (
  arn TEXT PRIMARY KEY,                 -- arn:aws:cloudwatch:<region>:<account>:alarm:<name>
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,                   -- MetricAlarm | CompositeAlarm
  config TEXT NOT NULL,                 -- JSON of the alarm's configuration (AWS member names)
  tags TEXT NOT NULL,                   -- JSON [{Key, Value}]
  state_value TEXT NOT NULL,            -- OK | ALARM | INSUFFICIENT_DATA
  state_reason TEXT NOT NULL,
  state_reason_data TEXT,
  state_updated_at INTEGER NOT NULL,    -- epoch ms: last state update (also reason-only updates)
  state_transitioned_at INTEGER NOT NULL, -- epoch ms: last change of state value
  config_updated_at INTEGER NOT NULL,   -- epoch ms
  suppressed_by TEXT,                   -- composite alarms: WaitPeriod | ExtensionPeriod | Alarm
  suppressed_reason TEXT
);
CREATE UNIQUE INDEX cw_alarms_name ON cw_alarms (account_id, region, name);

CREATE TABLE cw_alarm_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  alarm_name TEXT NOT NULL,
  alarm_type TEXT NOT NULL,             -- MetricAlarm | CompositeAlarm
  ts INTEGER NOT NULL,                  -- epoch ms
  item_type TEXT NOT NULL,              -- ConfigurationUpdate | StateUpdate | Action
  summary TEXT NOT NULL,
  data TEXT NOT NULL                    -- HistoryData JSON
);
CREATE INDEX cw_alarm_history_name ON cw_alarm_history (account_id, region, alarm_name, seq);
CREATE INDEX cw_alarm_history_age ON cw_alarm_history (ts);
