/**
 * @module services/functions/model/configuration
 * A function version as stored, and as AWS renders it (FunctionConfiguration).
 *
 * The version-specific settings are kept together as one JSON document (`StoredConfig`) because
 * PublishVersion snapshots them as a whole and nothing queries inside them; the lifecycle
 * (State, LastUpdateStatus, RevisionId) and the code package are columns of their own, since the
 * deployer and the store do look at those.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { functionArn, LATEST, type Scope } from './names.js';
import { runtimeVersionArn } from './runtimes.js';

export interface LoggingSettings {
  LogFormat: 'Text' | 'JSON';
  LogGroup: string;
  ApplicationLogLevel?: string;
  SystemLogLevel?: string;
}

export interface LayerRef {
  /** the layer version ARN */
  arn: string;
  codeId: string;
  /** the layer's zip (Layers[].CodeSize) */
  codeSize: number;
}

export interface StoredConfig {
  runtime: string;
  /** absent for provided.* functions created without one */
  handler: string | null;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  /** null: no Environment member at all */
  environment: Record<string, string> | null;
  deadLetterTargetArn: string | null;
  tracingMode: string;
  kmsKeyArn: string | null;
  architectures: string[];
  ephemeralStorage: number;
  snapStartApplyOn: string;
  logging: LoggingSettings;
  layers: LayerRef[];
  vpc: { SubnetIds: string[]; SecurityGroupIds: string[] } | null;
}

export type FunctionState = 'Pending' | 'Active' | 'Failed' | 'Inactive';
export type UpdateStatus = 'InProgress' | 'Successful' | 'Failed';

/** One version of one function ('$LATEST' or a published number), with its code package. */
export interface VersionRecord {
  functionName: string;
  version: string;
  config: StoredConfig;
  codeId: string;
  codeSha256: string;
  codeSize: number;
  state: FunctionState;
  stateReason: string | null;
  stateReasonCode: string | null;
  /** published versions have none */
  updateStatus: UpdateStatus | null;
  updateReason: string | null;
  updateReasonCode: string | null;
  revisionId: string;
  /** epoch ms of the last change to code or configuration (LastModified) */
  modifiedAt: number;
}

export const CREATING = { reason: 'The function is being created.', code: 'Creating' } as const;

/** LastModified as Lambda writes it: 2024-01-01T00:00:00.000+0000 */
export function lambdaDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export interface RenderOptions {
  /** the ARN's qualifier: an alias name, a version, or none for the unqualified function */
  arnQualifier?: string;
  /** CreateFunction leaves LastUpdateStatus out */
  withUpdateStatus?: boolean;
  /** list operations leave out the lifecycle fields and RuntimeVersionConfig */
  forList?: boolean;
}

export function renderConfiguration(scope: Scope, v: VersionRecord, opts: RenderOptions = {}): FunctionConfiguration {
  const c = v.config;
  const arn = opts.arnQualifier === undefined ? functionArn(scope, v.functionName) : `${functionArn(scope, v.functionName)}:${opts.arnQualifier}`;
  const out: FunctionConfiguration = {
    FunctionName: v.functionName,
    FunctionArn: arn,
    Runtime: c.runtime as FunctionConfiguration['Runtime'],
    Role: c.role,
    Handler: c.handler ?? undefined,
    CodeSize: v.codeSize,
    Description: c.description,
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    LastModified: lambdaDate(v.modifiedAt),
    CodeSha256: v.codeSha256,
    Version: v.version,
    TracingConfig: { Mode: c.tracingMode as 'Active' | 'PassThrough' },
    RevisionId: v.revisionId,
    PackageType: 'Zip',
    Architectures: c.architectures as FunctionConfiguration['Architectures'],
    EphemeralStorage: { Size: c.ephemeralStorage },
    SnapStart: {
      ApplyOn: c.snapStartApplyOn as 'None' | 'PublishedVersions',
      OptimizationStatus: c.snapStartApplyOn === 'PublishedVersions' && v.version !== LATEST ? 'On' : 'Off',
    },
    LoggingConfig: { ...c.logging } as FunctionConfiguration['LoggingConfig'],
  };
  if (c.environment !== null) out.Environment = { Variables: { ...c.environment } };
  if (c.deadLetterTargetArn) out.DeadLetterConfig = { TargetArn: c.deadLetterTargetArn };
  if (c.kmsKeyArn) out.KMSKeyArn = c.kmsKeyArn;
  if (c.layers.length > 0) out.Layers = c.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  if (c.vpc) out.VpcConfig = { SubnetIds: [...c.vpc.SubnetIds], SecurityGroupIds: [...c.vpc.SecurityGroupIds], VpcId: '' };
  if (opts.forList) return out;
  out.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(scope.region, c.runtime) };
  out.State = v.state;
  if (v.stateReason) out.StateReason = v.stateReason;
  if (v.stateReasonCode) out.StateReasonCode = v.stateReasonCode as FunctionConfiguration['StateReasonCode'];
  if (opts.withUpdateStatus !== false && v.updateStatus) {
    out.LastUpdateStatus = v.updateStatus;
    if (v.updateReason) out.LastUpdateStatusReason = v.updateReason;
    if (v.updateReasonCode) out.LastUpdateStatusReasonCode = v.updateReasonCode as FunctionConfiguration['LastUpdateStatusReasonCode'];
  }
  return out;
}

/** Whether two configurations would behave the same (PublishVersion publishes only a change). */
export function sameDeployment(a: VersionRecord, b: VersionRecord): boolean {
  const strip = (c: StoredConfig) => JSON.stringify({ ...c, description: '' });
  return a.codeSha256 === b.codeSha256 && strip(a.config) === strip(b.config);
}
