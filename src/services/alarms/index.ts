/**
 * @module services/alarms
 * CloudWatch alarms: metric, metric-math and composite alarms with AWS's evaluation, their
 * history, and their actions and events through the delivery engine (engine.ts, actions.ts).
 * Metrics are read through core/metrics; nothing here imports the metrics service.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import type { ApiPartFactory } from '../cloudwatch/part.js';
import type { RequestContext } from '../service.js';
import { targetSender } from '../../core/deliveries/senders.js';
import { CLOUDWATCH_RETRY, HELD_ACTION_KIND, type HeldAction } from './actions.js';
import { createAlarmHandlers } from './api.js';
import { AlarmEngine } from './engine.js';

export const createAlarms: ApiPartFactory = (deps) => {
  const engine = new AlarmEngine({ store: deps.store, log: deps.log, deliveries: deps.deliveries, metrics: deps.metrics, now: () => deps.clock.ms() });
  deps.deliveries.setSourcePolicy('cloudwatch', CLOUDWATCH_RETRY);
  // a composite's actions held for its suppressor's wait period: dropped if it went into ALARM
  const send = targetSender(deps.targets);
  deps.deliveries.register(HELD_ACTION_KIND, async (job) => {
    const p = job.payload as Partial<HeldAction> | null;
    if (p?.suppressorArn && typeof p.since === 'number' && engine.wentIntoAlarm(p.suppressorArn, p.since)) {
      return { ok: true, excerpt: `suppressed: ${p.suppressorArn} went into ALARM during the wait period` };
    }
    return send(job);
  });
  const ready = engine.load();
  ready.catch((e: unknown) => deps.log.error({ err: e }, 'alarms: loading the alarms failed'));
  deps.metrics.onIngest((notices) => engine.onIngest(notices));
  const handlers = createAlarmHandlers(engine, deps.metrics, deps.store);
  // requests wait until the stored alarms are loaded
  for (const [op, h] of Object.entries(handlers)) {
    handlers[op] = async (input: unknown, ctx: RequestContext) => {
      await ready;
      return h(input, ctx);
    };
  }
  return {
    handlers,
    start: () => {
      void ready.then(() => engine.start());
    },
    stop: async () => {
      await ready.catch(() => undefined);
      await engine.stop();
    },
  };
};
