/**
 * @module services/functions/invoke/invoker
 * Runs one invocation of a resolved function, whoever asked for it (Invoke, an asynchronous
 * event, a function URL): admits it against the concurrency limits, hands it to the runtime,
 * and counts it under AWS's names (AWS/Lambda Invocations, Errors, Throttles, Duration,
 * ConcurrentExecutions). The runtime writes the log lines; they reach CloudWatch Logs here.
 */
import { join } from 'node:path';
import { awsError } from '../../../core/errors.js';
import type { Dimension, MetricsHub } from '../../../core/metrics/index.js';
import type { LogsHub } from '../../../core/logs/index.js';
import type { Logger } from '../../../core/log.js';
import type { Config } from '../../../config/schema.js';
import type { ResolvedFunction } from '../resolve.js';
import { FunctionRuntime } from '../runtime/index.js';
import type { FunctionSpec, InstanceAccess, InvokeOutcome } from '../runtime/types.js';
import type { SessionKeys } from '../../../core/sessions.js';
import { ConcurrencyLimits, type ThrottleReason } from './concurrency.js';

export interface InvokerDeps {
  config: Config;
  sessions?: SessionKeys;
  log: Logger;
  metrics: MetricsHub;
  logs: LogsHub;
}

const NAMESPACE = 'AWS/Lambda';
/** an instance's role session outlives any instance (idle ones stop after 10 minutes) */
const SESSION_TTL_MS = 12 * 3600_000;

export interface Invocation {
  requestId: string;
  payload: Buffer;
  /** the ARN as the caller named it */
  invokedFunctionArn: string;
  clientContext?: string;
}

export class Invoker {
  readonly runtime: FunctionRuntime;
  private readonly limits = new ConcurrencyLimits();
  /** version ARN → the key its instances run under: a new configuration retires the old one */
  private readonly currentKey = new Map<string, string>();

  constructor(private readonly d: InvokerDeps) {
    this.runtime = new FunctionRuntime({
      scratchDir: join(d.config.dataDir, 'functions', 'run'),
      access: (spec) => this.access(spec),
      onLog: (spec, stream, lines) => {
        d.logs.append({ accountId: spec.accountId, region: spec.region }, spec.logGroupName, stream, lines).catch((e: unknown) => d.log.warn({ err: e, function: spec.functionName }, 'lambda: writing function logs failed'));
      },
      log: d.log,
    });
  }

  /**
   * Admits and runs one invocation. Answers the outcome (a function error is an outcome, not an
   * exception), or throws TooManyRequestsException when a concurrency limit is reached.
   */
  async run(fn: ResolvedFunction, inv: Invocation): Promise<InvokeOutcome> {
    const { spec } = fn;
    const scope = { accountId: spec.accountId, region: spec.region };
    const slot = this.limits.acquire(`${spec.accountId}:${spec.region}`, fn.functionArn, fn.reservedConcurrency);
    const dims = this.dimensions(fn);
    if (typeof slot === 'string') {
      for (const d of dims) this.d.metrics.record(scope, NAMESPACE, 'Throttles', d);
      throw throttled(slot);
    }
    this.retirePrevious(fn);
    try {
      for (const d of dims) this.d.metrics.record(scope, NAMESPACE, 'ConcurrentExecutions', d, this.limits.running(fn.functionArn), 'Count');
      const out = await this.runtime.invoke(spec, { requestId: inv.requestId, payload: inv.payload, invokedFunctionArn: inv.invokedFunctionArn, clientContext: inv.clientContext });
      for (const d of dims) {
        this.d.metrics.record(scope, NAMESPACE, 'Invocations', d);
        this.d.metrics.record(scope, NAMESPACE, 'Errors', d, out.functionError ? 1 : 0);
        this.d.metrics.record(scope, NAMESPACE, 'Duration', d, out.durationMs, 'Milliseconds');
      }
      return out;
    } finally {
      slot.release();
    }
  }

  /** Whether an invocation of `fn` would be admitted now (asynchronous events wait until it is). */
  wouldAdmit(fn: ResolvedFunction): boolean {
    const slot = this.limits.acquire(`${fn.spec.accountId}:${fn.spec.region}`, fn.functionArn, fn.reservedConcurrency);
    if (typeof slot === 'string') return false;
    slot.release();
    return true;
  }

  stop(): Promise<void> {
    return this.runtime.stop();
  }

  /** AWS publishes per function, per function and version or alias (Resource), and per account. */
  private dimensions(fn: ResolvedFunction): Dimension[][] {
    const name = fn.spec.functionName;
    const dims: Dimension[][] = [[], [{ Name: 'FunctionName', Value: name }]];
    if (fn.qualifier !== '$LATEST') dims.push([{ Name: 'FunctionName', Value: name }, { Name: 'Resource', Value: `${name}:${fn.qualifier}` }]);
    return dims;
  }

  private retirePrevious(fn: ResolvedFunction): void {
    const before = this.currentKey.get(fn.versionArn);
    if (before === fn.spec.key) return;
    this.currentKey.set(fn.versionArn, fn.spec.key);
    if (before !== undefined) this.runtime.retire(before);
  }

  /**
   * What an instance's SDK calls sign with, and where they go (Signalbox itself): a session of
   * the function's execution role, as Lambda provides; a configured key of the account where no
   * session can be issued (unit harnesses).
   */
  private access(spec: FunctionSpec): InstanceAccess {
    const endpointUrl = this.d.config.publicUrl;
    if (this.d.sessions && spec.roleArn) {
      const roleName = spec.roleArn.split('/').pop() ?? 'role';
      const s = this.d.sessions.issue(spec.accountId, `arn:aws:sts::${spec.accountId}:assumed-role/${roleName}/${spec.functionName}`, SESSION_TTL_MS);
      return { endpointUrl, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    }
    const key = this.d.config.keys.find((k) => k.accountId === spec.accountId) ?? this.d.config.keys[0];
    return { endpointUrl, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  }
}

/** The ARN as the caller named it: qualified when they named a qualifier, else unqualified. */
export function invokedArn(fn: ResolvedFunction, name: string, qualifier: string | undefined): string {
  const explicit = qualifier !== undefined || fn.qualifier !== '$LATEST' || name.endsWith(':$LATEST');
  return explicit ? `${fn.functionArn}:${fn.qualifier}` : fn.functionArn;
}

function throttled(reason: ThrottleReason) {
  return awsError('TooManyRequestsException', 'Rate Exceeded.', { Reason: reason, Type: 'User' });
}
