/**
 * @module server/router
 * Finds the service, protocol and operation of a request, in the order that is unambiguous:
 *   1. Smithy RPC v2 path  `/service/<Service>/operation/<Op>` (+ `smithy-protocol`) → rpcv2-cbor
 *   2. `X-Amz-Target: <Prefix>.<Op>`                                               → json
 *   3. an `Action` form field (POST form body, or GET/POST query string)            → query
 *      (service from the SigV4 credential scope, else `Version`, else the only service with the action)
 *   4. otherwise REST: the scope's service, else every REST service's URI templates  → rest-json / rest-xml
 * A request that names an unknown service or operation still gets a `Route` with the protocol it
 * used, so that the error goes back in a shape its client can read.
 */
import type { ProtocolName, WireRequest } from '../protocols/codec.js';
import type { OperationModel, ServiceModel } from '../protocols/model.js';
import { matchRestOperation } from '../protocols/rest-path.js';
import type { ServiceDefinition } from '../services/service.js';
import { credentialScope, header } from './auth/sigv4.js';

export interface Route {
  protocol: ProtocolName;
  service?: ServiceDefinition;
  /** the operation name as the client sent it ('' when none could be read) */
  operation: string;
  op?: OperationModel;
  pathParams?: Record<string, string>;
  /** set for JSON requests to an unknown service, so the error uses the client's JSON version */
  jsonVersion?: '1.0' | '1.1';
}

const SMITHY_PATH = /^\/service\/([^/]+)\/operation\/([^/?]+)$/;

function isForm(req: WireRequest): boolean {
  return (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

export class Router {
  private readonly byTarget = new Map<string, ServiceDefinition>();
  private readonly bySmithy = new Map<string, ServiceDefinition>();
  private readonly bySigning = new Map<string, ServiceDefinition[]>();
  private readonly queryServices: ServiceDefinition[] = [];
  private readonly restServices: ServiceDefinition[] = [];

  constructor(services: readonly ServiceDefinition[]) {
    for (const s of services) {
      const m = s.model.metadata;
      if (s.protocols.includes('json') && m.targetPrefix) this.byTarget.set(m.targetPrefix, s);
      if (s.protocols.includes('rpcv2-cbor')) this.bySmithy.set(m.smithyServiceName ?? m.targetPrefix ?? s.name, s);
      if (s.protocols.includes('query')) this.queryServices.push(s);
      if (s.protocols.includes('rest-json') || s.protocols.includes('rest-xml')) this.restServices.push(s);
      const list = this.bySigning.get(s.signingName) ?? [];
      list.push(s);
      this.bySigning.set(s.signingName, list);
    }
  }

  /** The request's form fields: body for a form POST, else the query string. */
  static formFields(req: WireRequest): URLSearchParams {
    if (req.method === 'POST' && isForm(req)) return new URLSearchParams(req.body.toString('utf8'));
    return new URLSearchParams(req.rawQuery);
  }

  resolve(req: WireRequest): Route {
    const smithy = req.method === 'POST' ? SMITHY_PATH.exec(req.path) : null;
    if (smithy && (header(req, 'smithy-protocol') !== undefined || (header(req, 'content-type') ?? '').includes('cbor'))) {
      const service = this.bySmithy.get(smithy[1]);
      return this.withOp({ protocol: 'rpcv2-cbor', service, operation: decodeURIComponent(smithy[2]) });
    }

    const target = header(req, 'x-amz-target');
    if (target !== undefined) {
      const dot = target.lastIndexOf('.');
      const prefix = dot < 0 ? target : target.slice(0, dot);
      const operation = dot < 0 ? '' : target.slice(dot + 1);
      const service = this.byTarget.get(prefix);
      const ct = header(req, 'content-type') ?? '';
      const jsonVersion = ct.includes('1.0') ? '1.0' : '1.1';
      return this.withOp({ protocol: 'json', service, operation, jsonVersion });
    }

    const scope = credentialScope(req);
    const scoped = scope ? this.bySigning.get(scope.service) : undefined;

    const hasActionInQuery = /(^|&)Action=/.test(req.rawQuery);
    if ((req.method === 'POST' && isForm(req)) || hasActionInQuery) {
      const fields = Router.formFields(req);
      const operation = fields.get('Action') ?? '';
      const version = fields.get('Version');
      // signed: the scope names the service; unsigned (SubscribeURL links): Version, else the action
      const service = scope
        ? scoped?.find((s) => s.protocols.includes('query'))
        : (this.queryServices.find((s) => version !== null && s.model.metadata.apiVersion === version) ?? this.uniqueWithAction(operation));
      return this.withOp({ protocol: 'query', service, operation });
    }

    const candidates = scoped ? scoped.filter((s) => this.restServices.includes(s)) : this.restServices;
    for (const service of candidates) {
      const hit = matchRestOperation(service.model, req.method, req.path, req.rawQuery, req.headers);
      if (hit) return { protocol: restProtocol(service), service, operation: hit.op.name, op: hit.op, pathParams: hit.pathParams };
    }
    const service = candidates.length === 1 ? candidates[0] : undefined;
    return { protocol: service ? restProtocol(service) : scope?.service === 's3' ? 'rest-xml' : 'rest-json', service, operation: '' };
  }

  private uniqueWithAction(action: string): ServiceDefinition | undefined {
    const having = this.queryServices.filter((s) => s.model.operations[action] !== undefined);
    return having.length === 1 ? having[0] : undefined;
  }

  private withOp(route: Route): Route {
    if (route.service) route.op = route.service.model.operations[route.operation];
    return route;
  }
}

function restProtocol(s: ServiceDefinition): ProtocolName {
  return s.protocols.includes('rest-xml') ? 'rest-xml' : 'rest-json';
}

/** A model for rendering errors when no service could be found. */
export function placeholderModel(route: Route): ServiceModel {
  return {
    metadata: {
      uid: 'unknown',
      apiVersion: '',
      endpointPrefix: '',
      serviceId: 'Unknown',
      protocol: route.protocol === 'rpcv2-cbor' ? 'smithy-rpc-v2-cbor' : route.protocol,
      jsonVersion: route.jsonVersion ?? '1.1',
    },
    operations: {},
  };
}
