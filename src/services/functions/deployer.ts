/**
 * @module services/functions/deployer
 * Turns accepted work into usable functions, after the API has answered:
 *
 *   CreateFunction / UpdateFunctionCode / PublishLayerVersion
 *     → zip synced to disk + `lambda_code_packages` row 'pending' + versions Pending/InProgress
 *     → (here) unpack the package → 'ready' | 'failed'
 *     → (here) settle: a version whose code and layers are all ready becomes Active /
 *       Successful (its RevisionId changes, as AWS's does); one whose package failed becomes
 *       Failed with the reason
 *
 * Nothing lives only in memory: the queue is rebuilt from the store at start-up (`recover`), so
 * work accepted before a crash is finished then. Packages are unpacked one at a time (inflating
 * is CPU work, and the machine is shared with the functions themselves).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/log.js';
import { isServiceError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { CodePackages } from './code/packages.js';
import { UNZIP_FAILED } from './code/zip.js';
import type { VersionRecord } from './model/configuration.js';
import { CODE_SIZE_UNZIPPED } from './model/limits.js';
import { codePackages, pendingCodeIds, settleCodePackage, unreferencedCode, unsettledVersions, updateVersion, type CodePackageRecord } from './store.js';

export interface DeployerDeps {
  store: Store;
  packages: CodePackages;
  log: Logger;
}

interface Outcome {
  ok: boolean;
  reason?: string;
  code?: string;
}

export class Deployer {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private worker: Promise<void> | undefined;
  private settling: Promise<void> | undefined;
  private settleAgain = false;
  private stopped = false;
  private unpacking: { id: string; done: Promise<void> } | undefined;

  constructor(private readonly d: DeployerDeps) {}

  /** Unpack this package soon (it is already 'pending' in the store). */
  schedule(codeId: string): void {
    if (this.stopped || this.queued.has(codeId)) return;
    this.queued.add(codeId);
    this.queue.push(codeId);
    this.worker ??= this.drain().finally(() => {
      this.worker = undefined;
    });
  }

  /** Re-examine every version still Pending or InProgress, soon (coalesced). */
  settleSoon(): void {
    if (this.stopped) return;
    if (this.settling) {
      this.settleAgain = true;
      return;
    }
    this.settling = (async () => {
      do {
        this.settleAgain = false;
        await new Promise((r) => setImmediate(r));
        await this.settle().catch((e: unknown) => this.d.log.error({ err: e }, 'lambda: settling function states failed'));
      } while (this.settleAgain && !this.stopped);
    })().finally(() => {
      this.settling = undefined;
    });
  }

  /** Resolves once nothing is queued, unpacking or settling (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.worker || this.settling) await Promise.all([this.worker, this.settling]);
  }

  /**
   * Start-up: drop package rows and folders nothing refers to (a crash between writing a zip and
   * committing its row leaves a folder behind; only folders older than `startedAt` are touched,
   * so an upload that is happening right now is not), then resume pending packages and settle.
   */
  async recover(startedAt: number): Promise<void> {
    const gone = await this.d.store.transaction((tx) => unreferencedCode(tx));
    const known = new Set<string>();
    for (const id of await this.d.packages.idsOlderThan(startedAt)) known.add(id);
    const rows = await codePackages(this.d.store, [...known]);
    for (const id of [...gone, ...[...known].filter((k) => !rows.has(k))]) await this.removeFiles(id);
    for (const id of await pendingCodeIds(this.d.store)) this.schedule(id);
    this.settleSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.idle();
  }

  /**
   * Removes package folders after the rows that named them are gone (never before). A package
   * being unpacked right now is removed once that unpack has finished with its folder.
   */
  async removeFiles(id: string): Promise<void> {
    if (this.unpacking?.id === id) await this.unpacking.done;
    await this.d.packages.remove(id).catch((e: unknown) => this.d.log.warn({ err: e, codeId: id }, 'lambda: removing a code package failed'));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const id = this.queue.shift()!;
      this.queued.delete(id);
      const done = this.unpackOne(id);
      this.unpacking = { id, done };
      await done;
      this.unpacking = undefined;
      this.settleSoon();
    }
  }

  private async unpackOne(id: string): Promise<void> {
    const rows = await codePackages(this.d.store, [id]);
    // deleted meanwhile (its function or layer version is gone), or already unpacked
    if (rows.get(id)?.status !== 'pending') return;
    try {
      const bytes = await this.d.packages.unpack(id, CODE_SIZE_UNZIPPED);
      await settleCodePackage(this.d.store, id, 'ready', bytes, null);
    } catch (e) {
      const reason = isServiceError(e) ? e.message : UNZIP_FAILED;
      if (!isServiceError(e)) this.d.log.error({ err: e, codeId: id }, 'lambda: unpacking a code package failed');
      await settleCodePackage(this.d.store, id, 'failed', null, reason);
    }
  }

  /** One pass: every unsettled version whose packages are all decided moves on. */
  async settle(): Promise<void> {
    await this.d.store.transaction(async (tx) => {
      const versions = await unsettledVersions(tx);
      if (versions.length === 0) return;
      const ids = [...new Set(versions.flatMap((v) => [v.codeId, ...v.config.layers.map((l) => l.codeId)]))];
      const packages = await codePackages(tx, ids);
      for (const v of versions) {
        const outcome = decide(v, packages);
        if (outcome) await updateVersion(tx, v.scope, advance(v, outcome));
      }
    });
  }
}

/** Undefined while a package is still pending. */
function decide(v: VersionRecord, packages: Map<string, CodePackageRecord>): Outcome | undefined {
  const needed = [v.codeId, ...v.config.layers.map((l) => l.codeId)].map((id) => packages.get(id));
  const failed = needed.find((p) => p === undefined || p.status === 'failed');
  if (failed !== undefined || needed.includes(undefined)) {
    return { ok: false, reason: failed?.failure ?? UNZIP_FAILED, code: 'InvalidZipFileException' };
  }
  if (needed.some((p) => p!.status !== 'ready')) return undefined;
  const total = needed.reduce((n, p) => n + p!.unzippedSize, 0);
  if (total > CODE_SIZE_UNZIPPED) {
    return {
      ok: false,
      reason: `Function code combined with layers exceeds the maximum allowed size of ${CODE_SIZE_UNZIPPED} bytes. The actual size is ${total} bytes.`,
      code: 'InvalidZipFileException',
    };
  }
  return { ok: true };
}

function advance(v: VersionRecord, o: Outcome): VersionRecord {
  const next: VersionRecord = { ...v, revisionId: randomUUID() };
  if (v.state === 'Pending') {
    next.state = o.ok ? 'Active' : 'Failed';
    next.stateReason = o.ok ? null : o.reason!;
    next.stateReasonCode = o.ok ? null : o.code!;
  }
  if (v.updateStatus === 'InProgress') {
    next.updateStatus = o.ok ? 'Successful' : 'Failed';
    next.updateReason = o.ok ? null : o.reason!;
    next.updateReasonCode = o.ok ? null : o.code!;
  }
  return next;
}
