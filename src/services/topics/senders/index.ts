/**
 * @module services/topics/senders
 * The SNS delivery senders: one per protocol kind (`sns.http` … `sns.webhook`), registered on
 * the delivery engine with the throttle each destination tolerates, plus the unsigned route
 * that serves the installation's signing certificate at the path its `SigningCertURL` names.
 *
 * The topics service creates the jobs (payload: `SnsDelivery`, see ../delivery-payload.ts);
 * everything here only turns one job into one attempt. Throttles queue, never drop:
 * - http/https and webhook: 48 requests in flight per endpoint URL (AWS's own default
 *   throttle policy is unlimited; this keeps one slow receiver from taking every socket);
 * - Slack: 1 message/s per webhook (its documented posting rate), one at a time so the order of
 *   ALARM → OK is kept;
 * - Discord: 5 requests per 2 s per webhook (its observed webhook bucket), one at a time;
 * - Teams: at most 4 requests in a second and 60 in 30 s per webhook (the documented connector /
 *   webhook limits) → 2/s with a burst of 2; longer-window limits are met through 429s;
 * - e-mail: 4 mails in flight per address (the SMTP pool itself allows 5 connections);
 * - sqs / lambda / firehose: in-process hand-offs, 64 in flight per ARN.
 */
import type { Throttle } from '../../../core/deliveries/types.js';
import type { WireRequest, WireResponse } from '../../../protocols/codec.js';
import type { ServiceDeps } from '../../service.js';
import { deliveryKind, type SnsProtocol } from '../delivery-payload.js';
import { discordSender, slackSender, teamsSender } from './chat.js';
import { CERT_PATH_PREFIX, senderContext } from './context.js';
import { emailSender, smtpMailer } from './email.js';
import { httpSender, webhookSender } from './http.js';
import { loadOrCreateSigningIdentity, type SigningIdentity } from './signing.js';
import { firehoseSender, lambdaSender, sqsSender } from './targets.js';

export const THROTTLES: Record<string, Throttle> = {
  http: { concurrency: 48 },
  https: { concurrency: 48 },
  webhook: { concurrency: 48 },
  slack: { concurrency: 1, ratePerSecond: 1, burst: 1 },
  discord: { concurrency: 1, ratePerSecond: 2.5, burst: 5 },
  teams: { concurrency: 1, ratePerSecond: 2, burst: 2 },
  email: { concurrency: 4 },
  'email-json': { concurrency: 4 },
  sqs: { concurrency: 64 },
  lambda: { concurrency: 64 },
  firehose: { concurrency: 64 },
};

/** certificate file name → PEM, for every installation registered in this process */
const certificates = new Map<string, string>();
/** the identity loaders of those installations: a certificate request loads them */
const loaders: (() => SigningIdentity)[] = [];

export interface SnsSenders {
  /** the URL every signed message names; what `route` serves */
  signingCertUrl: string;
  certificatePem: string;
  /** releases the SMTP pool (the HTTP pools belong to the delivery engine) */
  close(): void;
}

/**
 * Registers the SNS senders on `deps.deliveries` and loads (or creates, once per installation)
 * the signing key. Callers that ignore the returned handle lose nothing but `close()`.
 */
export function registerSnsSenders(deps: ServiceDeps): SnsSenders {
  // loaded (or created) on first use, not at start-up: see senderContext
  let identity: SigningIdentity | undefined;
  const load = (): SigningIdentity => {
    if (!identity) {
      identity = loadOrCreateSigningIdentity(deps.config.dataDir, deps.secrets, deps.log, deps.clock.now());
      certificates.set(identity.certificateFile, identity.certificatePem);
    }
    return identity;
  };
  loaders.push(load);
  const ctx = senderContext(deps, load);
  const mailer = smtpMailer(deps.config.smtp);
  const senders: Partial<Record<SnsProtocol, ReturnType<typeof httpSender>>> = {
    http: httpSender(ctx),
    https: httpSender(ctx),
    'email': emailSender(ctx, mailer, false),
    'email-json': emailSender(ctx, mailer, true),
    sqs: sqsSender(ctx),
    lambda: lambdaSender(ctx),
    firehose: firehoseSender(ctx),
    slack: slackSender(ctx),
    teams: teamsSender(ctx),
    discord: discordSender(ctx),
    webhook: webhookSender(ctx),
  };
  for (const [protocol, sender] of Object.entries(senders) as Array<[SnsProtocol, NonNullable<(typeof senders)[SnsProtocol]>]>) {
    const throttle = THROTTLES[protocol];
    deps.deliveries.register(deliveryKind(protocol), sender, { throttle: () => throttle });
  }
  return {
    get signingCertUrl() {
      return ctx.signingCertUrl;
    },
    get certificatePem() {
      return load().certificatePem;
    },
    close: () => mailer.close(),
  };
}

const CERT_PATH = /^\/_signalbox\/sns\/(SimpleNotificationService-[0-9a-f]{32}\.pem)$/;

/**
 * Serves the signing certificate (public, unsigned: receivers fetch it to verify signatures).
 * Answers undefined for every other path, so the topics service can handle its own routes.
 */
export function route(req: WireRequest): WireResponse | undefined {
  if (!req.path.startsWith(CERT_PATH_PREFIX)) return undefined;
  const m = CERT_PATH.exec(req.path);
  // after a restart a receiver may fetch the certificate before anything was sent
  if (m && !certificates.has(m[1])) for (const load of loaders) load();
  const pem = m ? certificates.get(m[1]) : undefined;
  if (!pem || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  return {
    status: 200,
    // the name holds the certificate's hash: it never changes under the same URL
    headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=31536000, immutable' },
    body: req.method === 'HEAD' ? '' : pem,
  };
}
