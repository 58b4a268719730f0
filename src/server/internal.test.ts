/** Signalbox's own routes: health for anyone, the delivery log only for this machine. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { createDeliveryEngine } from '../core/deliveries/index.js';
import { createLogger } from '../core/log.js';
import { Targets } from '../core/targets/index.js';
import type { WireRequest } from '../protocols/codec.js';
import { openSqliteStore } from '../store/open.js';
import { internalRoutes } from './internal.js';

const get = (path: string, rawQuery = ''): WireRequest => ({ method: 'GET', path, rawQuery, headers: {}, body: Buffer.alloc(0) });

test('the delivery log answers loopback clients and refuses others; health answers everyone', async () => {
  const store = await openSqliteStore(':memory:');
  const deliveries = createDeliveryEngine({ store, clock: new ManualClock(), log: createLogger('silent'), targets: new Targets() });
  const routes = internalRoutes({ version: 't', startedAt: new Date(), services: [], endpoint: 'http://x', store: 'sqlite' }, [], deliveries);
  try {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const r = await routes.handle(get('/_signalbox/deliveries', 'limit=5'), { sourceIp: ip });
      assert.equal(r?.status, 200, ip);
      assert.deepEqual(JSON.parse(String(r!.body)), { pending: 0, attempts: [] });
    }
    for (const ip of ['10.1.2.3', '192.168.0.7', '::ffff:10.0.0.1', '2001:db8::1']) {
      const r = await routes.handle(get('/_signalbox/deliveries'), { sourceIp: ip });
      assert.equal(r?.status, 403, ip);
    }
    const h = await routes.handle(get('/_signalbox/health'), { sourceIp: '10.1.2.3' });
    assert.equal(h?.status, 200);
    const bad = await routes.handle(get('/_signalbox/deliveries', 'limit=abc'), { sourceIp: '127.0.0.1' });
    assert.equal(bad?.status, 400);
  } finally {
    await deliveries.stop();
    await store.close();
  }
});
