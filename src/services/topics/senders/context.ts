/**
 * @module services/topics/senders/context
 * What every SNS sender shares: the installation's dependencies, its signing identity and the
 * certificate URL built on the public URL, plus the checks and conversions all of them need
 * (reading a job's payload, rendering the signed envelope, turning a TargetResult into an
 * Outcome). Kept apart from index.ts so each protocol file imports only this.
 */
import type { Job, Outcome } from '../../../core/deliveries/types.js';
import type { TargetResult } from '../../../core/targets/index.js';
import type { ServiceDeps } from '../../service.js';
import type { SnsDelivery } from '../delivery-payload.js';
import { renderEnvelope, snsEnvelope, type EnvelopeContext } from '../formats/envelope.js';
import type { SigningIdentity } from './signing.js';

export const CERT_PATH_PREFIX = '/_signalbox/sns/';

export interface SenderContext {
  deps: ServiceDeps;
  /** the public URL without a trailing slash (links in chat messages and mails; no key needed) */
  publicUrl: string;
  identity: SigningIdentity;
  /** `<publicUrl>/_signalbox/sns/SimpleNotificationService-<hash>.pem` */
  signingCertUrl: string;
  envelope: EnvelopeContext;
}

/**
 * The identity may be given, or a loader that runs on first use: creating the RSA key of a new
 * installation takes a noticeable part of a second, which is better spent after the server is
 * ready than before it.
 */
export function senderContext(deps: ServiceDeps, identity: SigningIdentity | (() => SigningIdentity)): SenderContext {
  const publicUrl = deps.config.publicUrl.replace(/\/+$/, '');
  let loaded: Omit<SenderContext, 'deps' | 'publicUrl'> | undefined;
  const get = () => {
    if (!loaded) {
      const id = typeof identity === 'function' ? identity() : identity;
      const signingCertUrl = `${publicUrl}${CERT_PATH_PREFIX}${id.certificateFile}`;
      loaded = { identity: id, signingCertUrl, envelope: { publicUrl, signingCertUrl, sign: id.sign } };
    }
    return loaded;
  };
  return {
    deps,
    publicUrl,
    get identity() {
      return get().identity;
    },
    get signingCertUrl() {
      return get().signingCertUrl;
    },
    get envelope() {
      return get().envelope;
    },
  };
}

export type Checked = { ok: true; d: SnsDelivery } | { ok: false; outcome: Outcome };

/**
 * The job's payload as an SnsDelivery, or a permanent failure: a payload without these fields
 * was written by a bug, and retrying it cannot help.
 */
export function readPayload(job: Job): Checked {
  const d = job.payload as Partial<SnsDelivery> | null;
  const missing = !d || typeof d !== 'object'
    ? ['payload']
    : (['type', 'endpoint', 'topicArn', 'messageId', 'message', 'timestamp'] as const).filter((k) => typeof d[k] !== 'string');
  if (missing.length) return { ok: false, outcome: { ok: false, retryable: false, error: `malformed SNS delivery job ${job.id}: missing ${missing.join(', ')}` } };
  return { ok: true, d: d as SnsDelivery };
}

/**
 * Renders with every signature computed in libuv's thread pool: an RSA-2048 signature is ~0.7 ms
 * of CPU, which on the event loop would cap deliveries of distinct messages near 1,400/s. The
 * renderers are pure and synchronous, so they run twice: once to learn what they sign, once with
 * the signatures.
 */
export async function signedRender<T>(ctx: SenderContext, render: (env: EnvelopeContext) => T): Promise<T> {
  const wanted: [string, '1' | '2'][] = [];
  const first = render({ ...ctx.envelope, sign: (text, version) => (wanted.push([text, version]), '') });
  if (wanted.length === 0) return first; // unsigned (FIFO topics)
  const sigs = await Promise.all(wanted.map(([text, version]) => ctx.identity.signAsync(text, version)));
  let i = 0;
  return render({ ...ctx.envelope, sign: () => sigs[i++] });
}

/** The signed JSON envelope as AWS renders it. */
export function envelopeBody(ctx: SenderContext, d: SnsDelivery): Promise<string> {
  return signedRender(ctx, (env) => renderEnvelope(snsEnvelope(d, env)));
}

/**
 * The URL to send to. For the protocols whose URL is a secret the job holds it sealed (bound to
 * the subscription); one that does not open (another master key) fails for good.
 */
export function destination(ctx: SenderContext, d: SnsDelivery): { ok: true; url: string } | { ok: false; outcome: Outcome } {
  if (!d.endpointSealed) return { ok: true, url: d.endpoint };
  try {
    return { ok: true, url: ctx.deps.secrets.open(d.endpointSealed, d.subscriptionArn ?? '') };
  } catch (e) {
    return { ok: false, outcome: { ok: false, retryable: false, error: `the endpoint cannot be opened: ${(e as Error).message}` } };
  }
}

/** Raw delivery applies to notifications only: confirmations always travel as envelopes. */
export function isRaw(d: SnsDelivery): boolean {
  return d.raw && d.type === 'Notification';
}

export function targetOutcome(r: TargetResult): Outcome {
  if (r.ok) return r.id ? { ok: true, excerpt: r.id } : { ok: true };
  return { ok: false, retryable: r.retryable, error: r.code ? `${r.code}: ${r.error}` : r.error };
}
