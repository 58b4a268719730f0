/**
 * @module services/functions/resolve
 * What the invoke path (Invoke, async invokes and their retries, function URLs) needs to know
 * about a function, in one read: the name or ARN and qualifier resolved the way every Lambda
 * operation resolves them (an alias through its routing weights to the version that runs), and
 * that version as a `FunctionSpec` for the runtime (runtime/types.ts), with its reserved
 * concurrency, event invoke config, dead-letter target, resource policy and state.
 *
 * Errors are the API's own (ResourceNotFoundException 404 "Function not found: arn:…", the
 * ValidationException of a malformed name), so Invoke can let them through unchanged.
 */
import type { Config } from '../../config/schema.js';
import type { Store } from '../../store/store.js';
import { resolveTarget } from './api/common.js';
import { policyFor } from './api/permissions.js';
import { CodePackages } from './code/packages.js';
import type { FunctionState, UpdateStatus } from './model/configuration.js';
import { notFound } from './model/input.js';
import { functionArn, LATEST, parseFunctionRef, qualifiedArn, type Caller, type Scope } from './model/names.js';
import type { FunctionSpec } from './runtime/types.js';
import { getEventInvokeConfig, getFunction, getVersion, urlConfigById } from './store.js';

export interface ResolveDeps {
  store: Store;
  config: Pick<Config, 'dataDir'>;
}

export interface ResolvedEventInvokeConfig {
  /** null: Lambda's default (2) */
  maximumRetryAttempts: number | null;
  /** null: Lambda's default (21600 s) */
  maximumEventAgeInSeconds: number | null;
  onSuccess: string | null;
  onFailure: string | null;
}

export interface ResolvedFunction {
  /** instances are pooled by spec.key (version ARN + RevisionId) */
  spec: FunctionSpec;
  /** the unqualified function ARN */
  functionArn: string;
  /** the ARN of the version that runs: …:function:name:$LATEST or …:function:name:3 */
  versionArn: string;
  /** what the caller named: '$LATEST' (also for an unqualified name), a version, or an alias */
  qualifier: string;
  /** the version that runs (X-Amz-Executed-Version) */
  executedVersion: string;
  /** set when the qualifier is an alias */
  alias?: { name: string; functionVersion: string; additionalVersionWeights?: Record<string, number> };
  revisionId: string;
  /** PutFunctionConcurrency; null when unreserved */
  reservedConcurrency: number | null;
  /** of the qualifier as named (alias, version or $LATEST); null when none is configured */
  eventInvokeConfig: ResolvedEventInvokeConfig | null;
  /** DeadLetterConfig.TargetArn of the version that runs */
  deadLetterTargetArn: string | null;
  /** the resource policy document of the qualifier as named; null when it has none */
  resourcePolicy: Record<string, unknown> | null;
  state: {
    state: FunctionState;
    reason: string | null;
    reasonCode: string | null;
    /** $LATEST only */
    lastUpdateStatus: UpdateStatus | null;
    lastUpdateStatusReason: string | null;
    lastUpdateStatusReasonCode: string | null;
  };
}

export interface ResolveOptions {
  /** [0, 1) for alias routing; Math.random by default */
  random?: () => number;
}

/**
 * Resolves `nameOrArn` (name, name:qualifier, partial or full ARN) and `qualifier` (the Qualifier
 * member) for `caller`. With an alias that routes a share of traffic to a second version, the
 * version that runs is drawn with `random`.
 */
export async function resolveFunction(d: ResolveDeps, caller: Caller, nameOrArn: string, qualifier?: string, opts: ResolveOptions = {}): Promise<ResolvedFunction> {
  const ref = parseFunctionRef(nameOrArn, caller, { qualifier, action: 'lambda:InvokeFunction' });
  const { scope, name } = ref;
  const fn = await getFunction(d.store, scope, name);
  if (!fn) throw notFound(`Function not found: ${qualifiedArn(scope, name, ref.qualifier)}`);
  const target = await resolveTarget(d.store, ref);
  let version = target.version;
  const weights = target.alias?.routing ?? undefined;
  if (weights) {
    const [extra, weight] = Object.entries(weights)[0];
    if ((opts.random ?? Math.random)() < weight) {
      version = (await getVersion(d.store, scope, name, extra)) ?? version;
    }
  }
  const packages = CodePackages.forDataDir(d.config.dataDir);
  const versionArn = `${functionArn(scope, name)}:${version.version}`;
  const c = version.config;
  const spec: FunctionSpec = {
    key: `${versionArn}#${version.revisionId}`,
    accountId: scope.accountId,
    region: scope.region,
    functionName: name,
    version: version.version,
    runtime: c.runtime,
    handler: c.handler ?? '',
    codeDir: packages.unpackedDir(version.codeId),
    layerDirs: c.layers.map((l) => packages.unpackedDir(l.codeId)),
    environment: { ...(c.environment ?? {}) },
    timeoutSeconds: c.timeout,
    memorySizeMb: c.memorySize,
    logGroupName: c.logging.LogGroup,
    roleArn: c.role,
  };
  const eic = await getEventInvokeConfig(d.store, scope, name, target.qualifier);
  return {
    spec,
    functionArn: functionArn(scope, name),
    versionArn,
    qualifier: target.qualifier,
    executedVersion: version.version,
    alias: target.alias && {
      name: target.alias.name,
      functionVersion: target.alias.functionVersion,
      additionalVersionWeights: target.alias.routing ?? undefined,
    },
    revisionId: version.revisionId,
    reservedConcurrency: fn.reservedConcurrency,
    eventInvokeConfig: eic
      ? { maximumRetryAttempts: eic.maxRetryAttempts, maximumEventAgeInSeconds: eic.maxEventAge, onSuccess: eic.onSuccess, onFailure: eic.onFailure }
      : null,
    deadLetterTargetArn: c.deadLetterTargetArn,
    resourcePolicy: await policyFor(d.store, ref),
    state: {
      state: version.state,
      reason: version.stateReason,
      reasonCode: version.stateReasonCode,
      lastUpdateStatus: version.updateStatus,
      lastUpdateStatusReason: version.updateReason,
      lastUpdateStatusReasonCode: version.updateReasonCode,
    },
  };
}

export interface ResolvedFunctionUrl {
  scope: Scope;
  functionName: string;
  /** '$LATEST' or an alias: what to resolve with `resolveFunction` */
  qualifier: string;
  authType: 'NONE' | 'AWS_IAM';
  cors: Record<string, unknown> | null;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
}

/** The function behind `/_signalbox/lambda/url/<urlId>/`, or undefined when no URL has that id. */
export async function resolveFunctionUrl(d: ResolveDeps, urlId: string): Promise<ResolvedFunctionUrl | undefined> {
  const c = await urlConfigById(d.store, urlId);
  if (!c) return undefined;
  return {
    scope: c.scope,
    functionName: c.functionName,
    qualifier: c.qualifier || LATEST,
    authType: c.authType as ResolvedFunctionUrl['authType'],
    cors: c.cors,
    invokeMode: c.invokeMode as ResolvedFunctionUrl['invokeMode'],
  };
}
