/**
 * @module server/internal
 * Signalbox's own routes under `/_signalbox/` (never AWS APIs): health, the delivery log, each
 * service's own routes under `/_signalbox/<service>/` (SNS: signing certificate, e-mail
 * confirmation), and later the console. They need no signature, so nothing secret is served here.
 */
import type { DeliveryEngine } from '../core/deliveries/types.js';
import type { WireRequest, WireResponse } from '../protocols/codec.js';
import type { ServiceDefinition } from '../services/service.js';
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

const INT = /^\d+$/;

function isLoopbackAddress(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

export function internalRoutes(facts: HealthFacts, services: readonly ServiceDefinition[] = [], deliveries?: DeliveryEngine): InternalRoutes {
  const byName = new Map(services.map((s) => [s.name, s]));
  return {
    async handle(req: WireRequest, meta: { sourceIp: string }) {
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
      if (req.path === '/_signalbox/deliveries' && req.method === 'GET' && deliveries) {
        // The log names endpoints (chat webhook URLs only masked, but e-mail addresses and http
        // URLs as given) and quotes responses, and this route is unsigned: until the console
        // brings authentication, only this machine reads it.
        if (!isLoopbackAddress(meta.sourceIp)) return json(403, { message: 'the delivery log is served to loopback clients only' });
        // the delivery log: ?source=&target=&ref=&jobId=&limit=
        const q = new URLSearchParams(req.rawQuery);
        const limit = q.get('limit');
        const jobId = q.get('jobId');
        if ((limit && !INT.test(limit)) || (jobId && !INT.test(jobId))) return json(400, { message: 'limit and jobId must be integers' });
        const attempts = await deliveries.attempts({
          source: q.get('source') ?? undefined,
          target: q.get('target') ?? undefined,
          ref: q.get('ref') ?? undefined,
          jobId: jobId ? Number(jobId) : undefined,
          limit: limit ? Number(limit) : undefined,
        });
        const pending = await deliveries.pendingCount({ source: q.get('source') ?? undefined, target: q.get('target') ?? undefined });
        return json(200, { pending, attempts });
      }
      const m = /^\/_signalbox\/([a-z0-9-]+)\//.exec(req.path);
      const service = m ? byName.get(m[1]) : undefined;
      if (service?.route) {
        const out = await service.route(req);
        if (out) return out;
      }
      return json(404, { message: `no such Signalbox route: ${req.method} ${req.path}` });
    },
  };
}
