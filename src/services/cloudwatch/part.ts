/**
 * @module services/cloudwatch/part
 * The CloudWatch API is one model served three ways, but its operations belong to three services
 * with nothing in common but the wire: metrics, alarms and dashboards. Each is a `ApiPart`: its
 * handlers and its background work. The parts never import one another; alarms read metrics
 * through `deps.metrics` (core/metrics).
 */
import type { Handler, ServiceDeps } from '../service.js';

export interface ApiPart {
  handlers: Record<string, Handler>;
  /** see ServiceDefinition.undecodedOperations */
  undecodedOperations?: readonly string[];
  start?(): void;
  stop?(): Promise<void>;
}

export type ApiPartFactory = (deps: ServiceDeps) => ApiPart;
