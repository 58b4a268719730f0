/**
 * @module server/internal
 * Signalbox's own routes under `/_signalbox/` (never AWS APIs): health now, the console and its
 * admin API later. They need no signature, so nothing secret is served here.
 */
import type { WireRequest, WireResponse } from '../protocols/codec.js';
import type { InternalRoutes } from './http.js';

export interface HealthFacts {
  version: string;
  startedAt: Date;
  services: string[];
  endpoint: string;
  store: string;
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function internalRoutes(facts: HealthFacts): InternalRoutes {
  return {
    handle(req: WireRequest) {
      if (req.path === '/_signalbox/health' && (req.method === 'GET' || req.method === 'HEAD')) {
        return json(200, {
          status: 'ok',
          version: facts.version,
          endpoint: facts.endpoint,
          store: facts.store,
          services: facts.services,
          uptimeSeconds: Math.round((Date.now() - facts.startedAt.getTime()) / 1000),
        });
      }
      return json(404, { message: `no such Signalbox route: ${req.method} ${req.path}` });
    },
  };
}
