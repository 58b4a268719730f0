/**
 * @module services/functions/invoke/resolve-cache
 * Resolving a function reads several rows (function, version, alias, event invoke config,
 * policy); on a warm invocation that was a third of Invoke's time. Invocations reuse what the
 * last one resolved, until any Lambda operation changes anything (`changed()`, called around
 * every mutating handler) or a second has passed. Only settled answers are kept: a function that
 * is Pending or being updated, or an alias that routes by weight (each call draws its version),
 * is resolved afresh every time.
 */
import { resolveFunction, type ResolvedFunction } from '../resolve.js';
import type { Store } from '../../../store/store.js';
import type { Config } from '../../../config/schema.js';

const TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

type Caller = { accountId: string; region: string; principalArn: string };

interface Entry {
  generation: number;
  at: number;
  fn: ResolvedFunction;
}

export class ResolveCache {
  private generation = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly d: { store: Store; config: Pick<Config, 'dataDir'> }) {}

  /** Something about some function may have changed: forget every answer. */
  changed(): void {
    this.generation++;
    this.entries.clear();
  }

  async resolve(caller: Caller, nameOrArn: string, qualifier?: string): Promise<ResolvedFunction> {
    const key = `${caller.accountId}\u0000${caller.region}\u0000${nameOrArn}\u0000${qualifier ?? ''}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && now - hit.at < TTL_MS) return hit.fn;
    const generation = this.generation;
    const fn = await resolveFunction(this.d, caller, nameOrArn, qualifier);
    const settled = fn.state.state === 'Active' && (fn.state.lastUpdateStatus ?? 'Successful') === 'Successful' && !fn.alias?.additionalVersionWeights;
    // a change that landed while this read ran must not be hidden behind it
    if (settled && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { generation, at: now, fn });
    }
    return fn;
  }
}
