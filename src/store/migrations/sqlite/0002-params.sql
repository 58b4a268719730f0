-- SSM Parameter Store (services/params/store.ts). Every row is scoped by account and region, as
-- AWS scopes parameters. Names are case-sensitive; SQL compares them byte-wise (no LIKE).

-- One row per parameter: its identity, the newest version and that version's tier (the tier is
-- repeated here so the per-tier parameter quotas are a cheap count).
CREATE TABLE ssm_parameters (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  parent_path TEXT NOT NULL,              -- hierarchy level the name sits in: '/a/b' for '/a/b/c', '/' for '/c' and 'c'
  version INTEGER NOT NULL,               -- newest version
  tier TEXT NOT NULL,                     -- Standard | Advanced (of the newest version)
  PRIMARY KEY (account_id, region, name)
);
CREATE INDEX ssm_parameters_parent ON ssm_parameters (account_id, region, parent_path, name);
CREATE INDEX ssm_parameters_tier ON ssm_parameters (account_id, region, tier);

-- Every kept version (AWS keeps the last 100). SecureString values are stored sealed by
-- core/secrets (AES-256-GCM, bound to account, region, name and version), never in plaintext.
CREATE TABLE ssm_parameter_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,                     -- String | StringList | SecureString
  value TEXT NOT NULL,                    -- plaintext, or 'v1:…' sealed for SecureString
  key_id TEXT,                            -- SecureString only
  description TEXT,
  allowed_pattern TEXT,
  tier TEXT NOT NULL,
  data_type TEXT NOT NULL,                -- text | aws:ec2:image | aws:ssm:integration
  modified_at INTEGER NOT NULL,           -- epoch ms
  modified_by TEXT NOT NULL,              -- principal ARN
  PRIMARY KEY (account_id, region, name, version),
  FOREIGN KEY (account_id, region, name) REFERENCES ssm_parameters (account_id, region, name) ON DELETE CASCADE
);

-- A label names one version of one parameter; moving it is an update of `version`.
CREATE TABLE ssm_parameter_labels (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name, label),
  FOREIGN KEY (account_id, region, name, version)
    REFERENCES ssm_parameter_versions (account_id, region, name, version) ON DELETE CASCADE
);
CREATE INDEX ssm_parameter_labels_version ON ssm_parameter_labels (account_id, region, name, version);

CREATE TABLE ssm_parameter_tags (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (account_id, region, name, tag_key),
  FOREIGN KEY (account_id, region, name) REFERENCES ssm_parameters (account_id, region, name) ON DELETE CASCADE
);
