-- Lambda (services/functions/store.ts). Every row is scoped by account and region, as AWS scopes
-- functions and layers. Names are case-sensitive and compared byte-wise.

-- A deployment package: one uploaded zip (function code or layer content), unpacked once into
-- <dataDir>/functions/code/<id>/ however many versions share it. The zip is on disk before its
-- row is committed; a row still 'pending' at start-up is unpacked then.
CREATE TABLE lambda_code_packages (
  id TEXT PRIMARY KEY,                    -- 32 hex characters, also the folder name
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  sha256 TEXT NOT NULL,                   -- base64 SHA-256 of the zip (CodeSha256)
  size INTEGER NOT NULL,                  -- bytes of the zip (CodeSize)
  unzipped_size INTEGER NOT NULL,         -- as the zip declares it until unpacked, then as counted
  status TEXT NOT NULL,                   -- pending | ready | failed
  failure TEXT,                           -- why unpacking failed (becomes StateReason)
  created_at INTEGER NOT NULL             -- epoch ms
);
CREATE INDEX lambda_code_packages_status ON lambda_code_packages (status);

CREATE TABLE lambda_functions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  next_version INTEGER NOT NULL,          -- the number PublishVersion hands out next; never reused
  reserved_concurrency INTEGER,           -- PutFunctionConcurrency; NULL when unreserved
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

-- $LATEST and every published version. The version-specific settings are one JSON document
-- (model/configuration.ts StoredConfig); the lifecycle and the code package are columns.
CREATE TABLE lambda_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  version TEXT NOT NULL,                  -- '$LATEST' | '1' | '2' …
  version_number INTEGER NOT NULL,        -- 0 for $LATEST: the listing order
  config TEXT NOT NULL,
  code_id TEXT NOT NULL,
  state TEXT NOT NULL,                    -- Pending | Active | Failed
  state_reason TEXT,
  state_reason_code TEXT,
  update_status TEXT,                     -- InProgress | Successful | Failed; NULL on published versions
  update_reason TEXT,
  update_reason_code TEXT,
  revision_id TEXT NOT NULL,
  modified_at INTEGER NOT NULL,           -- epoch ms (LastModified)
  PRIMARY KEY (account_id, region, function_name, version)
);
CREATE INDEX lambda_versions_code ON lambda_versions (code_id);
CREATE INDEX lambda_versions_state ON lambda_versions (state);
CREATE INDEX lambda_versions_update ON lambda_versions (update_status);

-- The layers a version uses, in order: which packages it needs unpacked (and keeps alive even
-- after DeleteLayerVersion, as AWS does).
CREATE TABLE lambda_version_layers (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  version TEXT NOT NULL,
  position INTEGER NOT NULL,
  layer_version_arn TEXT NOT NULL,
  code_id TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, version, position)
);
CREATE INDEX lambda_version_layers_code ON lambda_version_layers (code_id);

CREATE TABLE lambda_aliases (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  name TEXT NOT NULL,
  function_version TEXT NOT NULL,
  description TEXT NOT NULL,
  routing TEXT,                           -- JSON AdditionalVersionWeights, NULL when none
  revision_id TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, name)
);

-- Resource-policy statements, per qualifier ('' for the unqualified function), in the order
-- they were added (GetPolicy renders them so).
CREATE TABLE lambda_policy_statements (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  qualifier TEXT NOT NULL,
  sid TEXT NOT NULL,
  statement TEXT NOT NULL,                -- the statement JSON as AddPermission answered it
  seq INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, function_name, qualifier, sid)
);

CREATE TABLE lambda_event_invoke_configs (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  qualifier TEXT NOT NULL,                -- '$LATEST', a version or an alias
  max_retry_attempts INTEGER,
  max_event_age INTEGER,
  on_success TEXT,                        -- destination ARN
  on_failure TEXT,
  modified_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, function_name, qualifier)
);

CREATE TABLE lambda_url_configs (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  qualifier TEXT NOT NULL,                -- '$LATEST' or an alias
  url_id TEXT NOT NULL UNIQUE,            -- the URL's own segment: /_signalbox/lambda/url/<url_id>/
  auth_type TEXT NOT NULL,                -- NONE | AWS_IAM
  cors TEXT,                              -- JSON Cors, NULL when none
  invoke_mode TEXT NOT NULL,              -- BUFFERED | RESPONSE_STREAM
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, function_name, qualifier)
);

CREATE TABLE lambda_tags (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, tag_key)
);

-- A layer outlives its versions: numbers keep counting after the newest is deleted.
CREATE TABLE lambda_layers (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

CREATE TABLE lambda_layer_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  layer_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  license_info TEXT,
  compatible_runtimes TEXT,               -- JSON list, NULL when not given
  compatible_architectures TEXT,          -- JSON list, NULL when not given
  code_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, layer_name, version)
);
CREATE INDEX lambda_layer_versions_code ON lambda_layer_versions (code_id);
