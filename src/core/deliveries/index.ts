/**
 * @module core/deliveries
 * The one durable delivery engine (see types.ts for the contract, engine.ts for how it works).
 * `createDeliveryEngine` wires it to the store, the clock, the log and the ARN targets, and
 * registers the built-in sender for kind 'target'. Services register their own senders
 * ('sns.http', …), usually built on `postHttp`.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Targets } from '../targets/index.js';
import type { Store } from '../../store/store.js';
import { Engine, type Tuning } from './engine.js';
import { TARGET_KIND, targetSender } from './senders.js';
import type { DeliveryEngine } from './types.js';

export type * from './types.js';
export { DEFAULT_POLICIES, DEFAULT_POLICY, resolvePolicy, retryDelay } from './policy.js';
export { DEFAULT_THROTTLE } from './throttle.js';
export { postHttp, parseRetryAfter, closeHttpPools, type PostOptions } from './http-client.js';
export { TARGET_KIND, type TargetPayload } from './senders.js';
export { DEFAULT_TUNING, type Tuning } from './engine.js';

export function createDeliveryEngine(opts: {
  store: Store;
  clock: Clock;
  log: Logger;
  targets: Targets;
  /** tests and benchmarks: smaller windows, faster polls */
  tuning?: Partial<Tuning>;
}): DeliveryEngine {
  const engine = new Engine({ store: opts.store, clock: opts.clock, log: opts.log, tuning: opts.tuning });
  engine.register(TARGET_KIND, targetSender(opts.targets));
  return engine;
}
