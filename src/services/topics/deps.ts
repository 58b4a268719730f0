/**
 * @module services/topics/deps
 * What every operation of this service is handed: the platform's deps plus the topic cache, which
 * every write must invalidate once it has committed.
 */
import type { ServiceDeps } from '../service.js';
import type { TopicCache } from './cache.js';

export type TopicsDeps = Pick<ServiceDeps, 'config' | 'store' | 'secrets' | 'clock' | 'log' | 'deliveries' | 'metrics'> & { cache: TopicCache };
