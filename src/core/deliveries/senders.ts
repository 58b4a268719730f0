/**
 * @module core/deliveries/senders
 * The sender the engine brings itself: kind 'target', which hands a message to whatever service
 * owns an ARN (an SQS queue, a function, a topic, a bus) through core/targets. Dead letters use
 * it, and so can any service that delivers to an ARN.
 */
import type { TargetMessage, Targets } from '../targets/index.js';
import type { Job, Outcome, Sender } from './types.js';

export const TARGET_KIND = 'target';

/** The payload of a 'target' job. */
export interface TargetPayload {
  arn: string;
  message: TargetMessage;
}

export function targetSender(targets: Targets): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as Partial<TargetPayload> | null;
    if (!p || typeof p.arn !== 'string' || !p.message || typeof p.message.body !== 'string') {
      return { ok: false, retryable: false, error: 'a target job needs a payload { arn, message: { body } }' };
    }
    const r = await targets.send(p.arn, p.message);
    if (r.ok) return r.id ? { ok: true, excerpt: r.id } : { ok: true };
    return { ok: false, retryable: r.retryable, error: r.code ? `${r.code}: ${r.error}` : r.error };
  };
}
