/**
 * @module services/logs/index
 * Amazon CloudWatch Logs as the gateway sees it: AWS JSON 1.1 (`Logs_20140328.*`), signed as
 * `logs`, audited as `logs.amazonaws.com`.
 *
 * Also provides the logs port (`deps.logs`) through which other services — Lambda functions —
 * append their lines to `/aws/lambda/<name>`, and owns the background sweep (retention and the
 * purge of deleted groups' and streams' events).
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import { loadServiceModel } from '../../protocols/model.js';
import { defaultIsReadOnly, type ServiceFactory } from '../service.js';
import { createHandlers, DATA_EVENTS } from './api.js';
import { Background } from './background.js';
import type { LogsDeps } from './context.js';
import { AppendGroups } from './append-group.js';

export const createLogsService: ServiceFactory = (deps) => {
  const d: LogsDeps = {
    store: deps.store,
    clock: deps.clock,
    log: deps.log,
    metrics: deps.metrics,
    // called only by requests, which start after the factory has returned
    wakeSweep: () => background.wake(),
  };
  const background = new Background(d);
  const appends = new AppendGroups(d);
  deps.logs.provide({ append: (scope, group, stream, lines) => appends.append(scope, group, stream, lines) });
  return {
    name: 'logs',
    signingName: 'logs',
    eventSource: 'logs.amazonaws.com',
    model: loadServiceModel('logs-2014-03-28'),
    protocols: ['json'],
    handlers: createHandlers(d),
    isReadOnly: (op) => defaultIsReadOnly(op) || DATA_EVENTS.has(op),
    start: () => background.start(),
    stop: () => background.stop(),
  };
};
