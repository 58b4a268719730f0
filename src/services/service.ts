/**
 * @module services/service
 * What a service is to the gateway: a model, the protocols it is reached by, and one handler per
 * AWS operation. Every folder under `services/` exports a `ServiceFactory` and nothing else that
 * other services may import.
 */
import type { Config } from '../config/schema.js';
import type { AuditFeed } from '../core/audit/trail.js';
import type { Logger } from '../core/log.js';
import type { SecretBox } from '../core/secrets.js';
import type { SessionKeys } from '../core/sessions.js';
import type { Clock } from '../core/clock.js';
import type { DeliveryEngine } from '../core/deliveries/types.js';
import type { LogsHub } from '../core/logs/index.js';
import type { MetricsHub } from '../core/metrics/index.js';
import type { Targets } from '../core/targets/index.js';
import type { ProtocolName, WireRequest, WireResponse } from '../protocols/codec.js';
import type { ServiceModel } from '../protocols/model.js';
import type { Store } from '../store/store.js';

/** Who is calling and from where; handed to every handler. */
export interface RequestContext {
  requestId: string;
  accountId: string;
  /** from the SigV4 credential scope, else the configured default */
  region: string;
  /** '' for the few operations AWS accepts unsigned */
  accessKeyId: string;
  /** e.g. arn:aws:iam::000000000000:root */
  principalArn: string;
  sourceIp: string;
  userAgent: string;
  /** the time the request arrived */
  now: Date;
}

/** The input of an operation listed in `undecodedOperations`. */
export interface UndecodedInput {
  wire: WireRequest;
  protocol: ProtocolName;
  /** decodes here and now, exactly as the gateway would have */
  decode(): Record<string, unknown>;
}

// Handlers take the decoded input of their operation (see protocols/codec.ts for value types).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: RequestContext) => Promise<object | void> | object | void;

export interface ServiceDefinition {
  /** short name used in logs and docs: 'ssm' */
  name: string;
  /** SigV4 signing name (credential scope): 'ssm', 'monitoring', 'sns'… */
  signingName: string;
  /** CloudTrail eventSource: 'ssm.amazonaws.com' */
  eventSource: string;
  model: ServiceModel;
  /** protocols this service answers on; the first renders errors when nothing else is known */
  protocols: ProtocolName[];
  /** operation name (AWS spelling) → handler. Operations without one answer NotImplemented. */
  handlers: Record<string, Handler>;
  /** operations that change nothing and are therefore not audited (default: Get/List/Describe…) */
  isReadOnly?(operation: string): boolean;
  /**
   * What the audit trail records of a request's input, when the model's `sensitive` traits are
   * not enough (an SNS chat endpoint is a secret URL in a member AWS does not mark sensitive).
   */
  auditInput?(operation: string, input: Record<string, unknown>): Record<string, unknown>;
  /**
   * Operations whose handler decodes its own request: the input it receives is an
   * `UndecodedInput`. PutMetricData decodes large bodies on a worker thread, so that parsing them
   * does not hold up every other request. Only for operations that are not audited (the audit
   * trail records decoded input).
   */
  undecodedOperations?: ReadonlySet<string>;
  /** operations AWS accepts without a signature (SNS ConfirmSubscription via SubscribeURL) */
  unsignedOperations?: readonly string[];
  /**
   * Signalbox's own unsigned routes for this service, under `/_signalbox/<name>/` (SNS serves its
   * signing certificate and the e-mail confirmation page there). Answer undefined to pass.
   */
  route?(req: WireRequest): Promise<WireResponse | undefined> | WireResponse | undefined;
  /** background work (timers, pollers) begins after every service exists … */
  start?(): void;
  /** … and ends before the store closes */
  stop?(): Promise<void>;
}

/** What a service may use; nothing else is reachable from a service. */
export interface ServiceDeps {
  config: Config;
  store: Store;
  secrets: SecretBox;
  clock: Clock;
  log: Logger;
  /** the one durable path for every asynchronous side effect */
  deliveries: DeliveryEngine;
  /** hand a payload to whichever service owns an ARN */
  targets: Targets;
  /** the metric store's port: read metrics, hear what arrives, put the service's own metrics */
  metrics: MetricsHub;
  /** the logs service's port: append lines to a log group's stream */
  logs: LogsHub;
  /** the audit trail, read in order (the event bus publishes it as CloudTrail events); absent in unit harnesses */
  audit?: AuditFeed;
  /** issues temporary keys the gateway accepts (a function's role session); absent in unit harnesses */
  sessions?: SessionKeys;
}

export type ServiceFactory = (deps: ServiceDeps) => ServiceDefinition;

const READ_ONLY = /^(Get|List|Describe|Head|Test|Filter|Search|Lookup|Select|Query|Scan|BatchGet)/;

export function defaultIsReadOnly(operation: string): boolean {
  return READ_ONLY.test(operation);
}

/** An operation written against its service's own dependencies. */
export type BoundOperation<D> = (deps: D, input: Record<string, unknown>, ctx: RequestContext) => Promise<object | void> | object | void;

/**
 * The handler table of a service whose operations take their dependencies first. A missing body
 * decodes to undefined for some codecs; every operation reads an object.
 */
export function bindOperations<D>(deps: D, operations: Record<string, BoundOperation<D>>): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [name, op] of Object.entries(operations)) {
    handlers[name] = (input: unknown, ctx) => op(deps, (input ?? {}) as Record<string, unknown>, ctx);
  }
  return handlers;
}
