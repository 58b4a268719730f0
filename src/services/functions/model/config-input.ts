/**
 * @module services/functions/model/config-input
 * The version-specific settings of CreateFunction and UpdateFunctionConfiguration: read from the
 * request, checked the way Lambda checks them, and merged over defaults (create) or over the
 * current $LATEST (update). Only members present in the request change anything.
 */
import { awsError } from '../../../core/errors.js';
import {
  invalid, optInt, optObject, optString, optStringList, optStringMap, Violations, type Input,
} from './input.js';
import {
  DEFAULT_EPHEMERAL_STORAGE, DEFAULT_MEMORY, DEFAULT_TIMEOUT, MAX_ENVIRONMENT_BYTES, MAX_EPHEMERAL_STORAGE, MAX_LAYERS, MAX_MEMORY, MAX_TIMEOUT, MIN_MEMORY,
} from './limits.js';
import type { LoggingSettings, StoredConfig } from './configuration.js';
import { checkRuntime, isProvided, SNAP_START_RUNTIMES } from './runtimes.js';
import { LAYER_VERSION_ARN_PATTERN, parseLayerVersionArn } from './names.js';

export interface ConfigInput {
  runtime?: string;
  handler?: string;
  role?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  /** null: remove all variables */
  environment?: Record<string, string> | null;
  /** null: remove the dead-letter target */
  deadLetterTargetArn?: string | null;
  tracingMode?: string;
  kmsKeyArn?: string | null;
  ephemeralStorage?: number;
  snapStartApplyOn?: string;
  logging?: Partial<LoggingSettings>;
  /** layer version ARNs, in order */
  layers?: string[];
  vpc?: { SubnetIds: string[]; SecurityGroupIds: string[] } | null;
  architectures?: string[];
}

export const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const ROLE = new RegExp(`^${ROLE_PATTERN}$`);
const HANDLER = /^[^\s]+$/;
const ENV_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]+$/;
const ARN_OR_EMPTY = /^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)?$/;

/** Set by Lambda itself in every execution environment; a function may not set them. */
const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

const APP_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'];

/** Reads the settings members of `input`; constraint failures go to `v`. */
export function readConfigInput(input: Input, v: Violations): ConfigInput {
  const out: ConfigInput = {};
  const runtime = optString(input, 'Runtime');
  if (runtime !== undefined) out.runtime = runtime;

  const handler = optString(input, 'Handler');
  if (handler !== undefined) {
    v.length(handler, 'handler', 0, 128);
    v.pattern(handler, 'handler', HANDLER, '[^\\s]+');
    out.handler = handler;
  }
  const role = optString(input, 'Role');
  if (role !== undefined) {
    v.pattern(role, 'role', ROLE, ROLE_PATTERN);
    out.role = role;
  }
  const description = optString(input, 'Description');
  if (description !== undefined) {
    v.length(description, 'description', 0, 256);
    out.description = description;
  }
  const timeout = optInt(input, 'Timeout');
  if (timeout !== undefined) {
    v.range(timeout, 'timeout', 1, MAX_TIMEOUT);
    out.timeout = timeout;
  }
  const memory = optInt(input, 'MemorySize');
  if (memory !== undefined) {
    v.range(memory, 'memorySize', MIN_MEMORY, MAX_MEMORY);
    out.memorySize = memory;
  }
  const environment = optObject(input, 'Environment');
  if (environment !== undefined) out.environment = optStringMap(environment, 'Variables') ?? null;

  const dlq = optObject(input, 'DeadLetterConfig');
  if (dlq !== undefined) {
    const target = optString(dlq, 'TargetArn');
    v.pattern(target, 'deadLetterConfig.targetArn', ARN_OR_EMPTY, '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()');
    out.deadLetterTargetArn = target ? target : null;
  }
  const tracing = optObject(input, 'TracingConfig');
  if (tracing !== undefined) {
    const mode = optString(tracing, 'Mode');
    v.oneOf(mode, 'tracingConfig.mode', ['Active', 'PassThrough']);
    if (mode !== undefined) out.tracingMode = mode;
  }
  const kms = optString(input, 'KMSKeyArn');
  if (kms !== undefined) {
    v.pattern(kms, 'kMSKeyArn', ARN_OR_EMPTY, '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()');
    out.kmsKeyArn = kms ? kms : null;
  }
  const storage = optObject(input, 'EphemeralStorage');
  if (storage !== undefined) {
    const size = optInt(storage, 'Size');
    if (v.required(size, 'ephemeralStorage.size')) {
      v.range(size, 'ephemeralStorage.size', DEFAULT_EPHEMERAL_STORAGE, MAX_EPHEMERAL_STORAGE);
      out.ephemeralStorage = size;
    }
  }
  const snap = optObject(input, 'SnapStart');
  if (snap !== undefined) {
    const applyOn = optString(snap, 'ApplyOn');
    v.oneOf(applyOn, 'snapStart.applyOn', ['PublishedVersions', 'None']);
    if (applyOn !== undefined) out.snapStartApplyOn = applyOn;
  }
  const logging = optObject(input, 'LoggingConfig');
  if (logging !== undefined) out.logging = readLogging(logging, v);

  const layers = optStringList(input, 'Layers');
  if (layers !== undefined) {
    for (const arn of layers) {
      if (!parseLayerVersionArn(arn)) {
        v.add([arn], 'layers', `Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}, Member must not be null]`);
      }
    }
    out.layers = layers;
  }
  const architectures = optStringList(input, 'Architectures');
  if (architectures !== undefined) {
    if (architectures.length !== 1) v.add(architectures, 'architectures', 'Member must have length less than or equal to 1');
    else if (!['x86_64', 'arm64'].includes(architectures[0])) {
      v.add(architectures, 'architectures', 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]');
    }
    out.architectures = architectures;
  }
  const vpc = optObject(input, 'VpcConfig');
  if (vpc !== undefined) {
    const subnets = optStringList(vpc, 'SubnetIds') ?? [];
    const groups = optStringList(vpc, 'SecurityGroupIds') ?? [];
    out.vpc = subnets.length === 0 && groups.length === 0 ? null : { SubnetIds: subnets, SecurityGroupIds: groups };
  }
  refuseUnsupported(input);
  return out;
}

function readLogging(logging: Input, v: Violations): Partial<LoggingSettings> {
  const out: Partial<LoggingSettings> = {};
  const format = optString(logging, 'LogFormat');
  v.oneOf(format, 'loggingConfig.logFormat', ['JSON', 'Text']);
  if (format !== undefined) out.LogFormat = format as LoggingSettings['LogFormat'];
  const app = optString(logging, 'ApplicationLogLevel');
  v.oneOf(app, 'loggingConfig.applicationLogLevel', APP_LOG_LEVELS);
  if (app !== undefined) out.ApplicationLogLevel = app;
  const system = optString(logging, 'SystemLogLevel');
  v.oneOf(system, 'loggingConfig.systemLogLevel', SYSTEM_LOG_LEVELS);
  if (system !== undefined) out.SystemLogLevel = system;
  const group = optString(logging, 'LogGroup');
  if (group !== undefined) {
    v.length(group, 'loggingConfig.logGroup', 1, 512);
    v.pattern(group, 'loggingConfig.logGroup', LOG_GROUP, '[\\.\\-_/#A-Za-z0-9]+');
    out.LogGroup = group;
  }
  return out;
}

/** Settings Signalbox cannot honour are refused rather than silently ignored. */
function refuseUnsupported(input: Input): void {
  const fs = input.FileSystemConfigs;
  if (Array.isArray(fs) && fs.length > 0) throw invalid('FileSystemConfigs (Amazon EFS) are not supported by Signalbox.');
  if (input.ImageConfig !== undefined) throw invalid('ImageConfig is only valid for functions with PackageType Image, which Signalbox does not support.');
  if (typeof input.CodeSigningConfigArn === 'string' && input.CodeSigningConfigArn !== '') throw invalid('Code signing is not supported by Signalbox.');
}

/** Lambda's own checks of environment variables (after the model's). */
export function checkEnvironment(env: Record<string, string> | null | undefined): void {
  if (!env) return;
  const v = new Violations();
  for (const k of Object.keys(env)) {
    if (!ENV_KEY.test(k)) {
      v.add(Object.keys(env), 'environment.variables', 'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]', true);
      break;
    }
  }
  v.throwIfAny();
  const reserved = Object.keys(env).filter((k) => RESERVED_ENV.has(k));
  if (reserved.length > 0) {
    throw invalid(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
  }
  const measured = JSON.stringify(env);
  if (Buffer.byteLength(measured, 'utf8') > MAX_ENVIRONMENT_BYTES) {
    throw invalid(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`);
  }
}

/** Lambda's rules across members, once the final configuration is known. */
export function checkConfig(c: StoredConfig, changes: ConfigInput): void {
  if (changes.runtime !== undefined) checkRuntime(changes.runtime);
  if (!c.handler && !isProvided(c.runtime)) {
    throw invalid('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  if (changes.environment !== undefined) checkEnvironment(changes.environment);
  if (c.deadLetterTargetArn && !/^arn:[^:]+:(sqs|sns):/.test(c.deadLetterTargetArn)) {
    throw invalid(`The provided target ARN ${c.deadLetterTargetArn} is invalid. A dead-letter target must be an Amazon SQS queue or an Amazon SNS topic.`);
  }
  if (c.snapStartApplyOn === 'PublishedVersions' && !SNAP_START_RUNTIMES.has(c.runtime)) {
    throw invalid(`${c.runtime} is not supported for SnapStart enabled functions.`);
  }
  if ((changes.layers?.length ?? 0) > MAX_LAYERS) throw invalid(`Cannot reference more than ${MAX_LAYERS} layers.`);
}

function mergeLogging(current: LoggingSettings, change: Partial<LoggingSettings> | undefined): LoggingSettings {
  if (!change) return current;
  const merged: LoggingSettings = { ...current, ...change };
  if (merged.LogFormat === 'JSON') {
    merged.ApplicationLogLevel ??= 'INFO';
    merged.SystemLogLevel ??= 'INFO';
  } else {
    // levels only mean something for JSON logs; Lambda drops them with the format
    delete merged.ApplicationLogLevel;
    delete merged.SystemLogLevel;
  }
  return merged;
}

/** The configuration a new function starts with. `role` and `runtime` are checked as required. */
export function newConfig(functionName: string, c: ConfigInput): StoredConfig {
  if (c.role === undefined) throw awsError('ValidationException', "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
  if (c.runtime === undefined) throw invalid('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  const base: StoredConfig = {
    runtime: c.runtime,
    handler: null,
    role: c.role,
    description: '',
    timeout: DEFAULT_TIMEOUT,
    memorySize: DEFAULT_MEMORY,
    environment: null,
    deadLetterTargetArn: null,
    tracingMode: 'PassThrough',
    kmsKeyArn: null,
    architectures: ['x86_64'],
    ephemeralStorage: DEFAULT_EPHEMERAL_STORAGE,
    snapStartApplyOn: 'None',
    logging: { LogFormat: 'Text', LogGroup: `/aws/lambda/${functionName}` },
    layers: [],
    vpc: null,
  };
  return applyConfig(base, c);
}

/** `current` with the members of `c` applied (layers are resolved by the caller). */
export function applyConfig(current: StoredConfig, c: ConfigInput): StoredConfig {
  return {
    runtime: c.runtime ?? current.runtime,
    handler: c.handler === undefined ? current.handler : c.handler === '' ? null : c.handler,
    role: c.role ?? current.role,
    description: c.description ?? current.description,
    timeout: c.timeout ?? current.timeout,
    memorySize: c.memorySize ?? current.memorySize,
    environment: c.environment === undefined ? current.environment : c.environment,
    deadLetterTargetArn: c.deadLetterTargetArn === undefined ? current.deadLetterTargetArn : c.deadLetterTargetArn,
    tracingMode: c.tracingMode ?? current.tracingMode,
    kmsKeyArn: c.kmsKeyArn === undefined ? current.kmsKeyArn : c.kmsKeyArn,
    architectures: c.architectures ?? current.architectures,
    ephemeralStorage: c.ephemeralStorage ?? current.ephemeralStorage,
    snapStartApplyOn: c.snapStartApplyOn ?? current.snapStartApplyOn,
    logging: mergeLogging(current.logging, c.logging),
    layers: current.layers,
    vpc: c.vpc === undefined ? current.vpc : c.vpc,
  };
}
