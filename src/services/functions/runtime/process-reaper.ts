/**
 * @module services/functions/runtime/process-reaper
 * The guarantee that no function process outlives Signalbox, however Signalbox ends (even
 * SIGKILL): a small `sh` process (bootstraps/sandbox/reaper.sh) in a session of its own reads
 * "+ <pgid>" / "- <pgid>" lines on stdin and, when stdin closes because Signalbox is gone, kills
 * every process group still listed. Each instance is the leader of its own process group, so the
 * handler's own child processes go with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../../core/log.js';

export class ProcessReaper {
  private child: ChildProcess | undefined;

  constructor(
    private readonly script: string,
    private readonly log: Logger,
  ) {}

  private ensure(): ChildProcess | undefined {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    try {
      const child = spawn('/bin/sh', [this.script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', (err) => this.log.warn({ err }, 'function process reaper failed'));
      child.stdin!.on('error', () => {
        /* it ended: the next write starts another */
      });
      // neither the reaper nor its pipe may keep Signalbox running
      child.unref();
      (child.stdin as unknown as { _handle?: { unref?: () => void } })._handle?.unref?.();
      this.child = child;
    } catch (err) {
      this.log.warn({ err }, 'function process reaper could not start');
      this.child = undefined;
    }
    return this.child;
  }

  track(pgid: number): void {
    this.ensure()?.stdin?.write(`+ ${pgid}\n`);
  }

  untrack(pgid: number): void {
    if (this.child?.stdin?.writable) this.child.stdin.write(`- ${pgid}\n`);
  }

  /** Ends the reaper: it kills whatever is still listed, then exits. */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}
