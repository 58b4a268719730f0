/**
 * @module server/gateway
 * One AWS request, end to end:
 *   route (service, protocol, operation) → SigV4 → codec.parse → handler → audit → codec.serialize
 * Every failure on the way becomes a `ServiceError` rendered by the request's own codec, so a
 * client always gets an error it can parse (never a bare 500 or a hang). Anything else thrown is
 * a bug: it is logged with the request id and answered as InternalFailure.
 */
import type { Config, AccessKey } from '../config/schema.js';
import type { AuditTrail } from '../core/audit/trail.js';
import type { Clock } from '../core/clock.js';
import { awsError, isServiceError, type ServiceError } from '../core/errors.js';
import { newRequestId } from '../core/ids.js';
import type { Logger } from '../core/log.js';
import type { SessionKeys } from '../core/sessions.js';
import type { CodecContext, WireRequest, WireResponse } from '../protocols/codec.js';
import { getCodec } from '../protocols/index.js';
import { defaultIsReadOnly, type RequestContext, type ServiceDefinition, type UndecodedInput } from '../services/service.js';
import { authError, authFamily } from './auth/errors.js';
import { decodeQuery, header, isSigned, verifySigV4 } from './auth/sigv4.js';
import { placeholderModel, Router, type Route } from './router.js';

export interface GatewayDeps {
  config: Config;
  services: readonly ServiceDefinition[];
  audit: AuditTrail;
  /** temporary keys Signalbox issued (functions' role sessions) */
  sessions?: SessionKeys;
  clock: Clock;
  log: Logger;
}

export interface RequestMeta {
  sourceIp: string;
}

export class Gateway {
  private readonly router: Router;
  private readonly keys: Map<string, AccessKey>;

  /** the access log is per request: decided once, not paid for on every request when off */
  private readonly debug: boolean;

  constructor(private readonly deps: GatewayDeps) {
    this.debug = deps.log.isLevelEnabled('debug');
    this.router = new Router(deps.services);
    this.keys = new Map(deps.config.keys.map((k) => [k.accessKeyId, k]));
  }

  async handle(req: WireRequest, meta: RequestMeta): Promise<WireResponse> {
    const requestId = newRequestId();
    const started = this.deps.clock.ms();
    let route: Route | undefined;
    let response: WireResponse;
    try {
      route = this.router.resolve(req);
      response = await this.dispatch(req, route, requestId, meta);
    } catch (e) {
      response = this.renderError(e, route, requestId, req);
    }
    response.headers['x-amzn-RequestId'] ??= requestId;
    if (response.status >= 500) {
      this.deps.log.error({ requestId, service: route?.service?.name, operation: route?.operation, status: response.status }, 'request failed on the server side');
    } else if (this.debug) {
      this.deps.log.debug({ requestId, service: route?.service?.name, operation: route?.operation, status: response.status, ms: this.deps.clock.ms() - started }, 'request');
    }
    return response;
  }

  private async dispatch(req: WireRequest, route: Route, requestId: string, meta: RequestMeta): Promise<WireResponse> {
    const service = route.service;
    if (!service) {
      if (route.protocol === 'query' && !route.operation) throw awsError('MissingAction', 'The request must contain the parameter Action.');
      throw unknownOperation(route);
    }
    const now = this.deps.clock.now();
    const unsignedOk = !isSigned(req) && (service.unsignedOperations ?? []).includes(route.operation);
    let accessKeyId = '';
    let accountId = this.deps.config.accountId;
    let region = this.deps.config.region;
    let principalArn: string | undefined;
    if (!unsignedOk) {
      const v = await verifySigV4(req, {
        secretFor: (id) => this.keys.get(id)?.secretAccessKey ?? this.deps.sessions?.find(id, now.getTime())?.secretAccessKey,
        nowMs: now.getTime(),
        maxSkewSeconds: this.deps.config.maxClockSkewSeconds,
      });
      if (!v.ok) {
        if (v.failure.kind === 'bad-signature' && v.failure.canonicalRequest) {
          this.deps.log.debug({ requestId, canonicalRequest: v.failure.canonicalRequest }, 'signature mismatch');
        }
        throw authError(v.failure, authFamily(service.model.metadata));
      }
      accessKeyId = v.facts.accessKeyId;
      region = v.facts.region;
      const key = this.keys.get(accessKeyId);
      if (key) accountId = key.accountId;
      else {
        // a session key is good only with its own token
        const session = this.deps.sessions?.find(accessKeyId, now.getTime());
        if (!session || securityToken(req) !== session.sessionToken) throw authError({ kind: 'unknown-key', accessKeyId }, authFamily(service.model.metadata));
        accountId = session.accountId;
        principalArn = session.principalArn;
      }
    }
    if (!route.op) {
      if (route.protocol === 'query' && !route.operation) throw awsError('MissingAction', 'The request must contain the parameter Action.');
      throw unknownOperation(route);
    }
    const op = route.op;
    const codec = getCodec(route.protocol);
    const codecCtx: CodecContext = { requestId, service: service.model, pathParams: route.pathParams };
    const undecoded = service.undecodedOperations?.has(op.name) ?? false;
    const input = undecoded ? undecodedInput(req, route, () => codec.parse(req, op, codecCtx)) : codec.parse(req, op, codecCtx);
    const handler = service.handlers[op.name];
    if (!handler) throw awsError('NotImplemented', `${op.name} is not implemented by Signalbox yet (see docs/compatibility.md).`);
    const ctx: RequestContext = {
      requestId,
      accountId,
      region,
      accessKeyId,
      principalArn: principalArn ?? `arn:aws:iam::${accountId}:root`,
      sourceIp: meta.sourceIp,
      userAgent: header(req, 'user-agent') ?? '',
      now,
    };
    const audited = !undecoded && !(service.isReadOnly ?? defaultIsReadOnly)(op.name);
    let output: object | void;
    try {
      output = await handler(input, ctx);
    } catch (e) {
      if (audited && isServiceError(e)) await this.audit(service, route, ctx, input, undefined, e);
      throw e;
    }
    if (audited) await this.audit(service, route, ctx, input, output ?? undefined);
    return codec.serialize((output ?? undefined) as Record<string, unknown> | undefined, op, codecCtx);
  }

  private async audit(service: ServiceDefinition, route: Route, ctx: RequestContext, input: Record<string, unknown>, output?: object, error?: ServiceError): Promise<void> {
    await this.deps.audit.record({
      eventSource: service.eventSource,
      eventName: route.operation,
      time: ctx.now,
      region: ctx.region,
      accountId: ctx.accountId,
      accessKeyId: ctx.accessKeyId,
      principalArn: ctx.principalArn,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
      input: service.auditInput ? service.auditInput(route.operation, input) : input,
      inputShape: route.op?.input,
      output,
      outputShape: route.op?.output,
      error: error ? { code: error.code, message: error.message } : undefined,
    });
  }

  /** Renders anything thrown as the AWS error of the request's protocol. */
  renderError(e: unknown, route: Route | undefined, requestId: string, req?: WireRequest): WireResponse {
    let err: ServiceError;
    if (isServiceError(e)) {
      err = e;
    } else {
      this.deps.log.error({ requestId, err: e, path: req?.path }, 'unexpected error');
      err = awsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.');
    }
    const r: Route = route ?? { protocol: guessProtocol(req), operation: '' };
    const model = r.service?.model ?? placeholderModel(r);
    try {
      return getCodec(r.protocol).serializeError(err, r.op, { requestId, service: model });
    } catch (renderFailure) {
      this.deps.log.error({ requestId, err: renderFailure }, 'cannot render error');
      return { status: err.status, headers: { 'content-type': 'text/plain' }, body: `${err.code}: ${err.message}` };
    }
  }
}

function unknownOperation(route: Route): ServiceError {
  const what = route.operation || '(none)';
  if (route.protocol === 'query') return awsError('InvalidAction', `The action ${what} is not valid for this web service.`);
  if (!route.service) return awsError('UnknownOperationException', `Signalbox does not serve this service or operation (${what}).`);
  return awsError('UnknownOperationException', `Unknown operation ${what} for ${route.service.model.metadata.serviceId}.`);
}

/** For errors raised before routing (a body over the size limit): the protocol the headers suggest. */
export function guessProtocol(req: WireRequest | undefined): Route['protocol'] {
  if (!req) return 'rest-json';
  if (header(req, 'x-amz-target') !== undefined) return 'json';
  if (req.path.startsWith('/service/')) return 'rpcv2-cbor';
  const ct = (header(req, 'content-type') ?? '').toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded') || /(^|&)Action=/.test(req.rawQuery)) return 'query';
  return 'rest-json';
}

function undecodedInput(wire: WireRequest, route: Route, decode: () => Record<string, unknown>): Record<string, unknown> & UndecodedInput {
  return { wire, protocol: route.protocol, decode };
}

/** The session token of a request: the X-Amz-Security-Token header, or the presigned query's. */
function securityToken(req: WireRequest): string | undefined {
  const h = header(req, 'x-amz-security-token');
  if (h !== undefined) return h;
  if (!req.rawQuery.includes('X-Amz-Security-Token=')) return undefined;
  const v = decodeQuery(req.rawQuery)['X-Amz-Security-Token'];
  return Array.isArray(v) ? v[0] : v;
}
