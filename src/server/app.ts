/**
 * @module server/app
 * Assembles a running Signalbox from a resolved configuration:
 *   listen (answering 503 until ready) → store + migrations → secrets → delivery engine and
 *   targets → services → gateway → start the engine and the services' background work.
 * Stopping runs the other way: requests in flight and services' background work (together),
 * deliveries in flight, the store.
 * The socket is bound first so that a port of 0 resolves to a real port before any URL is built.
 */
import { readFileSync } from 'node:fs';
import { AuditTrail } from '../core/audit/trail.js';
import { createDeliveryEngine } from '../core/deliveries/index.js';
import type { DeliveryEngine } from '../core/deliveries/types.js';
import { LogsHub } from '../core/logs/index.js';
import { MetricsHub } from '../core/metrics/index.js';
import { Targets } from '../core/targets/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/log.js';
import { SecretBox } from '../core/secrets.js';
import { SessionKeys } from '../core/sessions.js';
import type { Config } from '../config/schema.js';
import { createServices } from '../services/index.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { Gateway } from './gateway.js';
import { HttpFrontend } from './http.js';
import { internalRoutes } from './internal.js';

export interface RunningSignalbox {
  /** the URL clients use (the public URL) */
  url: string;
  /** the address actually bound */
  address: { host: string; port: number };
  config: Config;
  store: Store;
  log: Logger;
  /** finish requests in flight, then close the store */
  stop(): Promise<void>;
}

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export async function startSignalbox(config: Config, opts: { clock?: Clock; log?: Logger } = {}): Promise<RunningSignalbox> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const startedAt = new Date();
  const http = new HttpFrontend({ maxBodyBytes: config.maxBodyBytes, log });
  const bound = await http.listen(config.host, config.port);
  if (config.port === 0) config = { ...config, port: bound.port, publicUrl: config.publicUrl.replace(/:0$/, `:${bound.port}`) };

  let store: Store | undefined;
  let deliveries: DeliveryEngine | undefined;
  let services: ReturnType<typeof createServices> = [];
  try {
    store = await openStore({ dataDir: config.dataDir });
    const secrets = SecretBox.open(config.dataDir, config.masterKey);
    const targets = new Targets();
    deliveries = createDeliveryEngine({ store, clock, log, targets });
    const audit = new AuditTrail(store);
    const sessions = new SessionKeys();
    services = createServices({ config, store, secrets, clock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub(), audit, sessions });
    http.internal = internalRoutes(
      { version: VERSION, startedAt, services: services.map((s) => s.name), endpoint: config.publicUrl, store: store.engine },
      services,
      deliveries,
    );
    http.gateway = new Gateway({ config, services, audit, sessions, clock, log });
    deliveries.start();
    for (const s of services) s.start?.();
  } catch (e) {
    await http.stop(0);
    await deliveries?.stop(0);
    await store?.close();
    throw e;
  }

  const openedStore = store;
  let stopping: Promise<void> | undefined;
  return {
    url: config.publicUrl,
    address: { host: bound.address, port: bound.port },
    config,
    store: openedStore,
    log,
    stop: () =>
      (stopping ??= (async () => {
        // Services stop while the HTTP layer drains: a 20 s SQS long poll in flight is answered
        // (empty) at once instead of holding the shutdown until the grace period ends.
        await Promise.all([http.stop(), ...services.map((s) => s.stop?.())]);
        await deliveries!.stop();
        await openedStore.close();
      })()),
  };
}
