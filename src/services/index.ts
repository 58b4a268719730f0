/**
 * @module services
 * The registry of services: adding a service is one line here plus its folder.
 */
import { createCloudWatchService } from './cloudwatch/index.js';
import { createEventsService } from './events/index.js';
import { createFunctionsService } from './functions/index.js';
import { createLogsService } from './logs/index.js';
import { createParamsService } from './params/index.js';
import { PENDING, pendingService } from './pending.js';
import { createQueuesService } from './queues/index.js';
import { createTopicsService } from './topics/index.js';
import type { ServiceDefinition, ServiceDeps, ServiceFactory } from './service.js';

export const SERVICE_FACTORIES: readonly ServiceFactory[] = [
  createParamsService,
  createTopicsService,
  createQueuesService,
  createCloudWatchService,
  createFunctionsService,
  createLogsService,
  createEventsService,
  ...PENDING.map(pendingService),
];

export function createServices(deps: ServiceDeps): ServiceDefinition[] {
  return SERVICE_FACTORIES.map((f) => f(deps));
}

export type { ServiceDefinition, ServiceDeps, RequestContext } from './service.js';
