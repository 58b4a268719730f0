/**
 * @module services/functions/runtime/environment
 * The environment a function sees, built from nothing (Signalbox's own environment never leaks
 * in): the variables Lambda defines, the function's own variables, then the reserved variables
 * again, because a function's configuration cannot override those on AWS either.
 */
import type { FunctionSpec, InstanceAccess } from './types.js';

/** Lambda's reserved keys: a function's own environment never replaces them. */
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ',
]);

export interface EnvironmentInputs {
  spec: FunctionSpec;
  access: InstanceAccess;
  logStreamName: string;
  /** host:port of this instance's Runtime API */
  runtimeApi: string;
  /** the bootstrap's folder (AWS's /var/runtime) */
  runtimeDir: string;
  /** set for managed runtimes only (AWS leaves it out for provided.*) */
  executionEnv?: string;
  /** the runtime's own bin folder (AWS's /var/lang/bin), first on PATH */
  runtimeBinDir?: string;
  layerBinDirs: string[];
  layerLibDirs: string[];
  /** what the instance should use as its temporary folder */
  tmpDir: string;
  /** unreserved defaults of the runtime (NODE_PATH, PYTHONPATH): the function may override them */
  runtimeDefaults: Record<string, string>;
}

export function functionEnvironment(i: EnvironmentInputs): Record<string, string> {
  const { spec, access } = i;
  const unreserved: Record<string, string> = {
    PATH: [...(i.runtimeBinDir ? [i.runtimeBinDir] : []), '/usr/local/bin', '/usr/bin', '/bin', ...i.layerBinDirs].join(':'),
    LD_LIBRARY_PATH: [spec.codeDir, `${spec.codeDir}/lib`, ...i.layerLibDirs].join(':'),
    LANG: 'en_US.UTF-8',
    TMPDIR: i.tmpDir,
    AWS_ENDPOINT_URL: access.endpointUrl,
    ...i.runtimeDefaults,
  };
  const reserved: Record<string, string> = {
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: i.logStreamName,
    AWS_ACCESS_KEY: access.accessKeyId,
    AWS_ACCESS_KEY_ID: access.accessKeyId,
    AWS_SECRET_ACCESS_KEY: access.secretAccessKey,
    AWS_LAMBDA_RUNTIME_API: i.runtimeApi,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: i.runtimeDir,
    TZ: ':UTC',
  };
  if (access.sessionToken) reserved.AWS_SESSION_TOKEN = access.sessionToken;
  if (i.executionEnv) reserved.AWS_EXECUTION_ENV = i.executionEnv;
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.environment)) {
    if (!RESERVED_ENVIRONMENT_KEYS.has(k)) own[k] = v;
  }
  return { ...unreserved, ...own, ...reserved };
}
