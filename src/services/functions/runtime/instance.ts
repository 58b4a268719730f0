/**
 * @module services/functions/runtime/instance
 * One execution environment: a runtime process, its Runtime API listener (and, for Signalbox's own
 * runtimes, the private channel to the same calls) and its log stream.
 *
 *   init ──first /next──► busy ◄──run()──► idle        any ──exit / kill──► gone
 *
 * An instance runs one invocation at a time. It is gone after a timeout, a crash, the memory
 * limit or an init failure, so the next invocation starts a fresh one. The platform's lines
 * (START, END, REPORT…) are written to the log stream around the runtime's own output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../../core/log.js';
import { clientContextHeader, Invocation } from './invocation.js';
import type { InstanceLog } from './log-capture.js';
import { treeRssBytes, type MemoryWatch } from './memory-watch.js';
import {
  billedDuration, endLine, errorDocument, exitMessage, initReportLine, MAX_RESPONSE_BYTES, reportLine,
  responseTooLargeMessage, startLine, timeoutMessage,
} from './platform-lines.js';
import type { ProcessReaper } from './process-reaper.js';
import { invalidRequestId, RuntimeApiServer, stateError, type ApiReply, type NextWaiter, type RuntimeApiHandler } from './runtime-api-server.js';
import { CHANNEL_FD, channelEnvironment, RuntimeChannel } from './runtime-channel.js';
import type { FunctionSpec, InvokeOutcome, InvokeRequest } from './types.js';

const MiB = 1024 * 1024;
/** How long an exited runtime's last output may take to arrive before its invocation is failed. */
const OUTPUT_GRACE_MS = 100;

export interface InstanceSetup {
  spec: FunctionSpec;
  /** the full command, isolation wrapper included */
  argv: string[];
  environment(runtimeApi: string): Record<string, string>;
  /** the runtime is Signalbox's own and speaks the private channel too (runtime-channel.ts) */
  channel: boolean;
  /** the instance's private tmp folder: deleted when it ends */
  tmpDir: string;
  log: InstanceLog;
  memory: MemoryWatch;
  reaper: ProcessReaper;
  logger: Logger;
  tailBytes: number;
  /** Lambda's init limit (10 s): past it, the first invocation's timeout starts counting */
  initLimitMs: number;
  /** ready for another invocation */
  onIdle(instance: Instance): void;
  /** ended: forget it */
  onGone(instance: Instance): void;
  /** runs an invocation this instance took but whose runtime ended before asking for it */
  reroute(req: InvokeRequest): Promise<InvokeOutcome>;
}

type Phase = 'init' | 'busy' | 'idle' | 'gone';
type KillReason = 'timeout' | 'memory' | 'init-error' | 'stopped';

interface Result {
  payload: Buffer;
  errorType?: string;
  functionError?: boolean;
  /** REPORT's Status (environment failures only) */
  status?: 'timeout' | 'error';
  /** lines written before END */
  lines?: string[];
}

export class Instance implements RuntimeApiHandler {
  phase: Phase = 'init';
  /** stop once the current invocation is done (its function version or configuration changed) */
  retired = false;
  readonly spec: FunctionSpec;
  private child: ChildProcess | undefined;
  private api: RuntimeApiServer | undefined;
  private channel: RuntimeChannel | undefined;
  private parked: NextWaiter | undefined;
  private queued: Invocation | undefined;
  private active: Invocation | undefined;
  private spawnedAt = performance.now();
  private initDurationMs: number | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private initFailed = false;
  private killReason: KillReason | undefined;
  private maxRssBytes = 0;
  private sampledAt = 0;
  private cleanedUp = false;
  idleSince = 0;

  constructor(private readonly setup: InstanceSetup) {
    this.spec = setup.spec;
  }

  /** idle and not on its way out: may take the next invocation */
  get available(): boolean {
    return this.phase === 'idle' && !this.retired && this.killReason === undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logStreamName(): string {
    return this.setup.log.streamName;
  }

  /** Takes one invocation; an instance in init keeps it until its runtime first asks for work. */
  run(req: InvokeRequest): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      const inv = new Invocation(req, this.phase === 'init', this.setup.tailBytes, resolve);
      if (this.phase === 'init') {
        this.queued = inv;
        this.setup.log.tail = inv.tail; // the init output belongs to the cold invocation
        return;
      }
      this.phase = 'busy';
      this.setup.memory.watch(this);
      inv.startClock(this.spec.timeoutSeconds, () => this.timedOut(inv));
      if (this.parked) this.dispatch(inv, this.parked);
      else this.queued = inv;
    });
  }

  async start(): Promise<void> {
    this.api = await RuntimeApiServer.listen(this);
    const [command, ...args] = this.setup.argv;
    this.spawnedAt = performance.now();
    const env = this.setup.environment(this.api.address);
    const child = spawn(command!, args, {
      cwd: this.spec.codeDir,
      env: this.setup.channel ? { ...env, ...channelEnvironment() } : env,
      // fd CHANNEL_FD: the private Runtime API, a socket pair
      stdio: this.setup.channel ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      // its own process group, killed as a whole (the handler's children included)
      detached: true,
    });
    this.child = child;
    const channelSocket = child.stdio[CHANNEL_FD] as Socket | null | undefined;
    if (channelSocket) this.channel = new RuntimeChannel(channelSocket, this);
    if (child.pid !== undefined) this.setup.reaper.track(child.pid);
    const outputDone = Promise.all([this.setup.log.capture(child.stdout!), this.setup.log.capture(child.stderr!)]);
    child.once('exit', (code, signal) => this.exited(code, signal, outputDone));
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) this.failedToStart(err);
    });
    this.setup.memory.watch(this);
    this.initTimer = setTimeout(() => this.initLimitReached(), this.setup.initLimitMs);
  }

  // ---- Runtime API ------------------------------------------------------------------------------

  next(waiter: NextWaiter): void {
    if (this.phase === 'gone' || this.initFailed) return waiter.refuse(stateError('The execution environment is shutting down'));
    if (this.active) return waiter.refuse(stateError('Invocation in progress: post its response or error first'));
    if (this.parked) return waiter.refuse(stateError('Another /next is already waiting'));
    if (this.phase === 'init') this.initDone();
    const inv = this.queued;
    if (inv) {
      inv.startClock(this.spec.timeoutSeconds, () => this.timedOut(inv));
      this.dispatch(inv, waiter);
    } else {
      this.parked = waiter;
      waiter.onAbandoned(() => {
        if (this.parked === waiter) this.parked = undefined;
      });
    }
  }

  response(requestId: string, body: Buffer): ApiReply {
    const inv = this.expect(requestId);
    if (!(inv instanceof Invocation)) return inv;
    this.complete(inv, { payload: body });
    return { status: 202 };
  }

  responseTooLarge(requestId: string, size: number): ApiReply {
    const inv = this.expect(requestId);
    if (!(inv instanceof Invocation)) return inv;
    const errorType = 'Function.ResponseSizeTooLarge';
    this.complete(inv, { payload: errorDocument(errorType, responseTooLargeMessage(size)), errorType, functionError: true });
    return { status: 413, errorType: 'RequestEntityTooLarge', errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` };
  }

  error(requestId: string, errorType: string | undefined, body: Buffer): ApiReply {
    const inv = this.expect(requestId);
    if (!(inv instanceof Invocation)) return inv;
    const type = errorType ?? typeFromBody(body) ?? 'Unhandled';
    this.complete(inv, { payload: body.length ? body : errorDocument(type, ''), errorType: type, functionError: true });
    return { status: 202 };
  }

  initError(errorType: string | undefined, body: Buffer): ApiReply {
    if (this.phase !== 'init' || this.initFailed) return stateError('Init already completed');
    this.initFailed = true;
    const type = errorType ?? typeFromBody(body) ?? 'Runtime.Unknown';
    this.initDone();
    this.setup.log.emit(initReportLine(this.initDurationMs!, 'error', type));
    const inv = this.queued;
    this.queued = undefined;
    if (inv) this.finish(inv, { payload: body.length ? body : errorDocument(type, ''), errorType: type, functionError: true, status: 'error' });
    // the runtime is expected to exit; it gets a moment to say why on its way out
    setTimeout(() => this.kill('init-error'), 200).unref();
    return { status: 202 };
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Ends the instance now; an invocation it is running fails as a killed runtime's would (see `retired` for later). */
  stop(): void {
    if (this.phase === 'gone') return;
    this.kill('stopped');
  }

  onMemorySample(rssBytes: number): void {
    this.sampledAt = performance.now();
    if (rssBytes > this.maxRssBytes) this.maxRssBytes = rssBytes;
    if (rssBytes > this.spec.memorySizeMb * MiB && !this.killReason && this.phase !== 'idle') this.kill('memory');
  }

  private kill(reason: KillReason): void {
    this.killReason ??= reason;
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  private initDone(): void {
    if (this.initDurationMs !== undefined) return;
    this.initDurationMs = performance.now() - this.spawnedAt;
    if (this.initTimer) clearTimeout(this.initTimer);
    if (this.child?.pid !== undefined) this.onMemorySample(treeRssBytes(this.child.pid));
    if (this.phase === 'init') this.phase = 'busy';
  }

  /** Past Lambda's init limit the cold invocation's own timeout starts counting (a suppressed init). */
  private initLimitReached(): void {
    if (this.phase !== 'init' || !this.queued) return;
    this.setup.log.emit(initReportLine(performance.now() - this.spawnedAt, 'timeout'));
    const inv = this.queued;
    inv.startClock(this.spec.timeoutSeconds, () => this.timedOut(inv));
  }

  private dispatch(inv: Invocation, waiter: NextWaiter): void {
    this.queued = undefined;
    this.parked = undefined;
    this.active = inv;
    this.setup.log.tail = inv.tail;
    inv.dispatched = true;
    const { req } = inv;
    this.setup.log.emit(startLine(req.requestId, this.spec.version));
    waiter.deliver({
      requestId: req.requestId,
      deadlineMs: inv.deadlineMs,
      invokedFunctionArn: req.invokedFunctionArn,
      traceId: inv.traceId,
      clientContext: clientContextHeader(req.clientContext),
      payload: req.payload,
    });
  }

  private expect(requestId: string): Invocation | ApiReply {
    const inv = this.active;
    if (!inv) return stateError('No invocation is waiting for a response');
    if (inv.req.requestId !== requestId) return invalidRequestId();
    return inv;
  }

  /**
   * The runtime answered. Its last output was written before its answer, but the pipe and the
   * socket are read separately: wait one turn of the event loop so those lines land before END.
   */
  private complete(inv: Invocation, result: Result): void {
    this.active = undefined;
    setImmediate(() => {
      this.finish(inv, result);
      if (this.phase === 'gone') return; // it died meanwhile, after answering
      if (this.retired) return this.stop();
      this.phase = 'idle';
      this.idleSince = Date.now();
      this.setup.memory.unwatch(this);
      this.setup.onIdle(this);
    });
  }

  private finish(inv: Invocation, r: Result): void {
    if (inv.settled) return;
    if (!inv.clockStarted) inv.startClock(this.spec.timeoutSeconds, () => undefined);
    const log = this.setup.log;
    if (!inv.dispatched) {
      // it never reached the runtime: the init failed, or the runtime never asked for it
      if (inv.cold && this.initDurationMs === undefined && r.status === 'error') {
        log.emit(initReportLine(performance.now() - this.spawnedAt, 'error', r.errorType));
      }
      log.emit(startLine(inv.req.requestId, this.spec.version));
    }
    for (const line of r.lines ?? []) log.emit(line);
    const durationMs = Math.round((performance.now() - inv.startedAt) * 100) / 100;
    const initDurationMs = inv.cold ? Math.round((this.initDurationMs ?? performance.now() - this.spawnedAt) * 100) / 100 : undefined;
    // short invocations may all fall between the watch's ticks: read the memory now and then
    // here, so REPORT stays current and a leak across invocations still meets the limit
    if (performance.now() - this.sampledAt > 1000 && this.child?.pid !== undefined) this.onMemorySample(treeRssBytes(this.child.pid));
    // the sampled peak can overshoot a limit that killed the instance; Lambda reports at most the limit
    const maxMemoryUsedMb = Math.min(this.spec.memorySizeMb, Math.max(1, Math.ceil(this.maxRssBytes / MiB)));
    const billedDurationMs = billedDuration(durationMs, initDurationMs);
    const { requestId } = inv.req;
    log.emit(endLine(requestId));
    log.emit(reportLine({
      requestId, durationMs, billedDurationMs, memorySizeMb: this.spec.memorySizeMb, maxMemoryUsedMb, initDurationMs,
      status: r.status, errorType: r.errorType,
    }));
    if (log.tail === inv.tail) log.tail = undefined;
    inv.settle({
      payload: r.payload,
      ...(r.functionError ? { functionError: 'Unhandled' as const, errorType: r.errorType } : {}),
      logText: inv.tail.text(),
      logStreamName: log.streamName,
      durationMs,
      billedDurationMs,
      ...(initDurationMs !== undefined ? { initDurationMs } : {}),
      maxMemoryUsedMb,
    });
  }

  private timedOut(inv: Invocation): void {
    if (inv.settled) return;
    const message = timeoutMessage(inv.req.requestId, this.spec.timeoutSeconds);
    this.kill('timeout');
    this.finish(inv, { payload: errorDocument(undefined, message), errorType: 'Sandbox.Timedout', functionError: true, status: 'timeout', lines: [message] });
  }

  private failedToStart(err: NodeJS.ErrnoException): void {
    const inv = this.queued;
    this.queued = undefined;
    const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    if (inv) {
      const message = `RequestId: ${inv.req.requestId} Error: fork/exec ${this.setup.argv[0]}: ${reason}`;
      this.finish(inv, { payload: errorDocument('Runtime.InvalidEntrypoint', message), errorType: 'Runtime.InvalidEntrypoint', functionError: true, status: 'error', lines: [`${message}\nRuntime.InvalidEntrypoint`] });
    }
    void this.cleanUp();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null, outputDone: Promise<unknown>): void {
    this.phase = 'gone';
    const pid = this.child?.pid;
    // the handler's own children go too, which also closes the pipes they may hold open
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* none left */
      }
    }
    // A warm instance can end after answering, before it asks for the invocation queued on it
    // (an uncaught error is reported, then the process exits): that invocation never reached this
    // runtime, so it runs elsewhere, as Lambda would run it in a fresh environment.
    const untouched = this.initDurationMs !== undefined && !this.initFailed ? this.queued : undefined;
    if (untouched) {
      this.queued = undefined;
      if (untouched.timer) clearTimeout(untouched.timer); // its new instance keeps time now
      this.setup.reroute(untouched.req).then(
        (outcome) => untouched.settle(outcome),
        (err: Error) => untouched.settle(rerouteFailed(untouched, err)),
      );
    }
    const grace = new Promise((r) => setTimeout(r, OUTPUT_GRACE_MS));
    void Promise.race([outputDone, grace]).then(() => {
      const inv = this.active ?? this.queued;
      this.active = this.queued = undefined;
      if (inv && !inv.settled) {
        const errorType = this.killReason === 'memory' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        const message = exitMessage(inv.req.requestId, code, signal);
        this.finish(inv, { payload: errorDocument(errorType, message), errorType, functionError: true, status: 'error', lines: [`${message}\n${errorType}`] });
      }
      this.setup.logger.debug({ function: this.spec.functionName, pid, code, signal, reason: this.killReason }, 'function instance ended');
      return this.cleanUp();
    });
  }

  private async cleanUp(): Promise<void> {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.phase = 'gone';
    if (this.initTimer) clearTimeout(this.initTimer);
    this.setup.memory.unwatch(this);
    if (this.child?.pid !== undefined) this.setup.reaper.untrack(this.child.pid);
    this.parked?.abandon();
    this.parked = undefined;
    this.api?.close();
    this.channel?.close();
    this.setup.onGone(this);
    await rm(this.setup.tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function rerouteFailed(inv: Invocation, err: Error): InvokeOutcome {
  const errorMessage = `RequestId: ${inv.req.requestId} Error: ${err.message}`;
  return {
    payload: errorDocument('Runtime.ExitError', errorMessage),
    functionError: 'Unhandled',
    errorType: 'Runtime.ExitError',
    logText: '',
    logStreamName: '',
    durationMs: 0,
    billedDurationMs: 1,
    maxMemoryUsedMb: 0,
  };
}

function typeFromBody(body: Buffer): string | undefined {
  try {
    const t = (JSON.parse(body.toString('utf8')) as { errorType?: unknown }).errorType;
    return typeof t === 'string' && t ? t : undefined;
  } catch {
    return undefined;
  }
}
