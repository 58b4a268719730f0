/**
 * @module services/events/deps
 * What every part of the EventBridge service is handed: the platform's deps, the in-memory rule
 * index, and the hooks that wake its background work after a write committed.
 */
import type { ServiceDeps } from '../service.js';
import type { RuleIndex } from './rule-index.js';

export interface EventsDeps extends Pick<ServiceDeps, 'config' | 'store' | 'secrets' | 'clock' | 'log' | 'deliveries' | 'targets' | 'metrics' | 'logs'> {
  index: RuleIndex;
  /** a schedule rule was written: plan its next firing again */
  wakeScheduler(): void;
  /** a replay was started or cancelled */
  wakeReplays(): void;
}
