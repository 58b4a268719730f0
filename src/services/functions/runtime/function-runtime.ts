/**
 * @module services/functions/runtime/function-runtime
 * The function runtime: runs function versions as child processes that speak the Lambda Runtime
 * API, keeps warm instances per FunctionSpec.key and reuses them (most recently used first), starts
 * another instance when none is idle (so concurrent invocations run side by side), and stops idle
 * instances after a while, or when their version or configuration is retired.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { awsError } from '../../../core/errors.js';
import type { Logger } from '../../../core/log.js';
import { functionEnvironment } from './environment.js';
import { Instance } from './instance.js';
import { isUnderTmp, makeTreeReadOnly, planIsolation, wrapCommand, type IsolationPlan, type IsolationRequest } from './isolation.js';
import { layerBinDirs, layerLibDirs } from './layer-paths.js';
import { planLaunch, runtimeFamily, type LaunchFailure, type LaunchPlan, type RuntimeFamily } from './launch-plan.js';
import { InstanceLog, LogBatcher, newLogStreamName } from './log-capture.js';
import { MemoryWatch } from './memory-watch.js';
import { billedDuration, endLine, errorDocument, initReportLine, reportLine, startLine } from './platform-lines.js';
import { ProcessReaper } from './process-reaper.js';
import { BOOTSTRAPS_DIR, findPython, provideSdkModules, type PythonInterpreter } from './toolchain.js';
import type { FunctionSpec, InstanceAccess, InvokeOutcome, InvokeRequest, LogSink } from './types.js';

export interface FunctionRuntimeOptions {
  /** a folder of Signalbox's own for instances' tmp folders and runtime files (e.g. `<dataDir>/functions/run`) */
  scratchDir: string;
  /** the credentials and endpoint an instance's SDK calls use */
  access: (spec: FunctionSpec) => InstanceAccess | Promise<InstanceAccess>;
  onLog: LogSink;
  log: Logger;
  /** 'auto' (default): mount namespaces where this machine allows them, else process groups only */
  isolation?: IsolationRequest;
  /** an idle instance stops after this long (default 10 minutes) */
  idleTimeoutMs?: number;
  /** at most this many idle instances in all; the least recently used stops first (default 64) */
  maxIdleInstances?: number;
  /**
   * at most this many instances in all (default 256), a guard for the machine: at the limit an
   * idle instance of another function makes room, else the invocation is throttled (429)
   */
  maxInstances?: number;
  /** InvokeOutcome.logText keeps this many bytes (default 4096, Invoke's log tail) */
  logTailBytes?: number;
  /** log lines reach the sink in batches at most this late (default 50 ms) */
  logFlushMs?: number;
  /** how often running instances' memory is read (default 50 ms) */
  memoryPollMs?: number;
  /** Lambda's init limit (default 10 s) */
  initLimitMs?: number;
  /** the node binary for nodejs*.x (default: the one running Signalbox) */
  nodeExecutable?: string;
  /** the command for python3.* (default `python3` from PATH) */
  pythonCommand?: string;
}

export interface InstanceInfo {
  key: string;
  functionName: string;
  version: string;
  pid: number | undefined;
  phase: Instance['phase'];
  logStreamName: string;
}

interface KeyPool {
  /** idle instances, most recently used last */
  idle: Instance[];
  all: Set<Instance>;
}

export class FunctionRuntime {
  private readonly pools = new Map<string, KeyPool>();
  /** every idle instance, least recently idle first */
  private readonly idle = new Set<Instance>();
  private readonly batcher: LogBatcher;
  private readonly memory: MemoryWatch;
  private readonly reaper: ProcessReaper;
  private readonly instancesDir: string;
  private readonly readOnlyTrees = new Set<string>();
  private readonly sweeper: NodeJS.Timeout;
  private isolation: Promise<IsolationPlan> | undefined;
  private python: Promise<PythonInterpreter> | undefined;
  private sdkNodeModules: string | undefined | null = null;
  private stopped = false;
  /** cold starts between makeRoom() and their instance joining its pool */
  private starting = 0;

  constructor(private readonly opts: FunctionRuntimeOptions) {
    this.batcher = new LogBatcher(opts.onLog, opts.logFlushMs ?? 50, (err) => opts.log.warn({ err }, 'function log sink failed'));
    this.memory = new MemoryWatch(opts.memoryPollMs ?? 50);
    this.reaper = new ProcessReaper(join(BOOTSTRAPS_DIR, 'sandbox', 'reaper.sh'), opts.log);
    this.instancesDir = join(opts.scratchDir, 'instances');
    mkdirSync(this.instancesDir, { recursive: true });
    this.removeStaleInstanceDirs();
    const idleTimeoutMs = opts.idleTimeoutMs ?? 10 * 60_000;
    this.sweeper = setInterval(() => this.stopIdleSince(Date.now() - idleTimeoutMs), Math.min(idleTimeoutMs, 30_000));
    this.sweeper.unref();
  }

  /** Runs one invocation on a warm instance of `spec.key`, or on a new one. */
  invoke(spec: FunctionSpec, req: InvokeRequest): Promise<InvokeOutcome> {
    if (this.stopped) return Promise.reject(awsError('ServiceException', 'The function runtime is shutting down.'));
    const pool = this.pools.get(spec.key);
    for (let warm = pool?.idle.pop(); warm; warm = pool?.idle.pop()) {
      this.idle.delete(warm);
      if (warm.available) return warm.run(req);
    }
    return this.coldStart(spec, req);
  }

  /**
   * The function version or configuration behind `key` changed: idle instances stop now, busy
   * ones when their invocation is done. Later invocations of the same key start afresh.
   */
  retire(key: string): void {
    const pool = this.pools.get(key);
    if (!pool) return;
    for (const inst of pool.all) {
      inst.retired = true;
      if (inst.phase === 'idle') {
        this.dropIdle(inst);
        inst.stop();
      }
    }
  }

  /** How instances are fenced in on this machine (decided by trying, on first use). */
  async isolationMode(): Promise<IsolationPlan['mode']> {
    return (await this.isolationPlan()).mode;
  }

  /** Invocations running now (for concurrency limits), of one function or of all. */
  busy(functionName?: string, accountId?: string, region?: string): number {
    let n = 0;
    for (const pool of this.pools.values()) {
      for (const inst of pool.all) {
        const s = inst.spec;
        if (inst.phase !== 'busy' && inst.phase !== 'init') continue;
        if (functionName !== undefined && s.functionName !== functionName) continue;
        if ((accountId !== undefined && s.accountId !== accountId) || (region !== undefined && s.region !== region)) continue;
        n++;
      }
    }
    return n;
  }

  /** Every live instance: for status pages and tests. */
  instances(): InstanceInfo[] {
    return [...this.pools.values()].flatMap((pool) =>
      [...pool.all].map((i) => ({ key: i.spec.key, functionName: i.spec.functionName, version: i.spec.version, pid: i.pid, phase: i.phase, logStreamName: i.logStreamName })),
    );
  }

  /** Hands every log line written so far to the sink now, instead of within logFlushMs. */
  flushLogs(): void {
    this.batcher.flush();
  }

  /** Kills every instance (their invocations fail as a killed runtime would) and releases everything. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    const all = [...this.pools.values()].flatMap((p) => [...p.all]);
    const gone = all.map((inst) => new Promise<void>((resolve) => this.whenGone(inst, resolve)));
    for (const inst of all) inst.stop();
    await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 3000).unref())]);
    this.batcher.flush();
    this.memory.stop();
    this.reaper.close();
  }

  // ---- starting instances --------------------------------------------------------------------------

  private async coldStart(spec: FunctionSpec, req: InvokeRequest): Promise<InvokeOutcome> {
    const family = runtimeFamily(spec.runtime);
    if (!family) throw awsError('ServiceException', `Signalbox cannot run the runtime ${spec.runtime}.`);
    this.makeRoom();
    // counted from now on, though its instance exists only after the awaits below
    this.starting++;
    let started: { outcome: Promise<InvokeOutcome> | InvokeOutcome };
    try {
      started = await this.launch(spec, req, family);
    } finally {
      this.starting--;
    }
    return started.outcome;
  }

  /** Starts an instance for `req`; resolves once it is in its pool, with its invocation's outcome to come. */
  private async launch(spec: FunctionSpec, req: InvokeRequest, family: RuntimeFamily): Promise<{ outcome: Promise<InvokeOutcome> | InvokeOutcome }> {
    const [isolation, python, access] = await Promise.all([
      this.isolationPlan(),
      family === 'python' ? this.pythonInterpreter() : undefined,
      this.opts.access(spec),
    ]);
    if (family === 'node' && this.sdkNodeModules === null) this.sdkNodeModules = provideSdkModules(this.opts.scratchDir);
    const sdkNodeModules = this.sdkNodeModules ?? undefined;
    const launch = planLaunch(spec, { nodeExecutable: this.opts.nodeExecutable ?? process.execPath, python, sdkNodeModules });
    if ('errorType' in launch) return { outcome: this.launchFailure(spec, req, launch) };
    if (this.stopped) throw awsError('ServiceException', 'The function runtime is shutting down.');

    const tmpDir = join(this.instancesDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    if (isolation.mode === 'process-group') this.keepReadOnly(spec);
    // AWS's private /tmp, unless Signalbox's own files are under /tmp and must stay visible
    const needed = [spec.codeDir, ...spec.layerDirs, BOOTSTRAPS_DIR, launch.argv[0]!, ...(sdkNodeModules ? [join(sdkNodeModules, '@aws-sdk')] : [])];
    const privateTmp = isolation.mode === 'namespaces' && !needed.some(isUnderTmp);
    const log = new InstanceLog(spec, newLogStreamName(spec.version), this.batcher);
    const pool = this.poolFor(spec.key);
    const inst: Instance = new Instance({
      spec,
      argv: wrapCommand(isolation, launch.argv, {
        setupScript: join(BOOTSTRAPS_DIR, 'sandbox', 'setup.sh'), tmpDir, privateTmp, readOnlyTrees: [spec.codeDir, ...spec.layerDirs],
      }),
      environment: (runtimeApi) => this.environment(spec, access, launch, log.streamName, runtimeApi, privateTmp ? '/tmp' : tmpDir),
      channel: family !== 'custom',
      tmpDir,
      log,
      memory: this.memory,
      reaper: this.reaper,
      logger: this.opts.log,
      tailBytes: this.opts.logTailBytes ?? 4096,
      initLimitMs: this.opts.initLimitMs ?? 10_000,
      onIdle: (i) => this.becameIdle(i),
      onGone: (i) => this.forget(i),
      reroute: (r) => this.invoke(spec, r),
    });
    pool.all.add(inst);
    const outcome = inst.run(req);
    try {
      await inst.start();
    } catch (err) {
      inst.stop();
      this.forget(inst);
      rmSync(tmpDir, { recursive: true, force: true });
      throw awsError('ServiceException', `Could not start an instance of ${spec.functionName}: ${(err as Error).message}`);
    }
    return { outcome };
  }

  private environment(spec: FunctionSpec, access: InstanceAccess, launch: LaunchPlan, logStreamName: string, runtimeApi: string, tmpDir: string): Record<string, string> {
    return functionEnvironment({
      spec, access, logStreamName, runtimeApi, tmpDir,
      runtimeDir: launch.runtimeDir,
      executionEnv: launch.executionEnv,
      runtimeBinDir: launch.runtimeBinDir,
      layerBinDirs: layerBinDirs(spec.layerDirs),
      layerLibDirs: layerLibDirs(spec.layerDirs),
      runtimeDefaults: launch.runtimeDefaults,
    });
  }

  private isolationPlan(): Promise<IsolationPlan> {
    this.isolation ??= planIsolation(this.opts.isolation ?? 'auto', this.opts.scratchDir, join(BOOTSTRAPS_DIR, 'sandbox', 'setup.sh'), this.opts.log);
    return this.isolation;
  }

  private pythonInterpreter(): Promise<PythonInterpreter> {
    this.python ??= findPython(this.opts.pythonCommand);
    return this.python.catch((err: Error) => {
      throw awsError('ServiceException', err.message);
    });
  }

  /** Without a mount namespace the code stays read-only by its permissions (not for root, which ignores them). */
  private keepReadOnly(spec: FunctionSpec): void {
    if (process.getuid?.() === 0) return;
    for (const tree of [spec.codeDir, ...spec.layerDirs]) {
      if (this.readOnlyTrees.has(tree)) continue;
      this.readOnlyTrees.add(tree);
      try {
        makeTreeReadOnly(tree);
      } catch (err) {
        this.opts.log.warn({ err, tree }, 'could not make function code read-only');
      }
    }
  }

  /** An instance that cannot start at all: the invocation fails the way Lambda reports it. */
  private launchFailure(spec: FunctionSpec, req: InvokeRequest, f: LaunchFailure): InvokeOutcome {
    const log = new InstanceLog(spec, newLogStreamName(spec.version), this.batcher);
    const message = `RequestId: ${req.requestId} Error: ${f.errorMessage}`;
    const lines = [
      initReportLine(0, 'error', f.errorType),
      startLine(req.requestId, spec.version),
      `${message}\n${f.errorType}`,
      endLine(req.requestId),
      reportLine({ requestId: req.requestId, durationMs: 0, billedDurationMs: billedDuration(0), memorySizeMb: spec.memorySizeMb, maxMemoryUsedMb: 0, status: 'error', errorType: f.errorType }),
    ];
    for (const line of lines) log.emit(line);
    return {
      payload: errorDocument(f.errorType, message),
      functionError: 'Unhandled',
      errorType: f.errorType,
      logText: `${lines.join('\n')}\n`,
      logStreamName: log.streamName,
      durationMs: 0,
      billedDurationMs: billedDuration(0),
      maxMemoryUsedMb: 0,
    };
  }

  // ---- pools ---------------------------------------------------------------------------------------

  private poolFor(key: string): KeyPool {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = { idle: [], all: new Set() };
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Throttles a cold start beyond maxInstances, unless an idle instance can give way. */
  private makeRoom(): void {
    const max = this.opts.maxInstances ?? 256;
    let live = this.starting;
    for (const pool of this.pools.values()) {
      for (const inst of pool.all) if (inst.available || inst.phase === 'busy' || inst.phase === 'init') live++;
    }
    if (live < max) return;
    const oldest = this.idle.values().next().value as Instance | undefined;
    if (!oldest) {
      throw awsError('TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded', Type: 'User' });
    }
    this.dropIdle(oldest);
    oldest.stop();
  }

  private becameIdle(inst: Instance): void {
    if (this.stopped || inst.retired) return inst.stop();
    this.poolFor(inst.spec.key).idle.push(inst);
    this.idle.add(inst);
    const max = this.opts.maxIdleInstances ?? 64;
    for (const oldest of this.idle) {
      if (this.idle.size <= max) break;
      oldest.stop();
      this.dropIdle(oldest);
    }
  }

  private dropIdle(inst: Instance): void {
    this.idle.delete(inst);
    const pool = this.pools.get(inst.spec.key);
    const at = pool?.idle.indexOf(inst) ?? -1;
    if (pool && at !== -1) pool.idle.splice(at, 1);
  }

  private forget(inst: Instance): void {
    this.dropIdle(inst);
    const pool = this.pools.get(inst.spec.key);
    pool?.all.delete(inst);
    if (pool && pool.all.size === 0) this.pools.delete(inst.spec.key);
    const waiters = this.goneWaiters.get(inst);
    this.goneWaiters.delete(inst);
    for (const w of waiters ?? []) w();
  }

  private readonly goneWaiters = new Map<Instance, Array<() => void>>();

  private whenGone(inst: Instance, done: () => void): void {
    if (!this.pools.get(inst.spec.key)?.all.has(inst)) return done();
    const list = this.goneWaiters.get(inst) ?? [];
    list.push(done);
    this.goneWaiters.set(inst, list);
  }

  private stopIdleSince(cutoff: number): void {
    for (const inst of [...this.idle]) {
      if (inst.idleSince > cutoff) break;
      inst.stop();
      this.dropIdle(inst);
    }
  }

  /** Instance folders of Signalbox processes that are gone (a crash leaves them behind). */
  private removeStaleInstanceDirs(): void {
    for (const name of readdirSync(this.instancesDir)) {
      const pid = Number(name.split('-')[0]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
      if (alive) continue;
      rmSync(join(this.instancesDir, name), { recursive: true, force: true });
    }
  }
}
