/**
 * @module server/app
 * Assembles a running Signalbox from a resolved configuration:
 *   listen (answering 503 until ready) → store + migrations → secrets → services → gateway.
 * The socket is bound first so that a port of 0 resolves to a real port before any URL is built.
 */
import { readFileSync } from 'node:fs';
import { AuditTrail } from '../core/audit/trail.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/log.js';
import { SecretBox } from '../core/secrets.js';
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
  try {
    store = await openStore({ dataDir: config.dataDir });
    const secrets = SecretBox.open(config.dataDir, config.masterKey);
    const services = createServices({ config, store, secrets, clock, log });
    http.internal = internalRoutes({
      version: VERSION,
      startedAt,
      services: services.map((s) => s.name),
      endpoint: config.publicUrl,
      store: store.engine,
    });
    http.gateway = new Gateway({ config, services, audit: new AuditTrail(store), clock, log });
  } catch (e) {
    await http.stop(0);
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
        await http.stop();
        await openedStore.close();
      })()),
  };
}
