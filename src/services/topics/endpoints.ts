/**
 * @module services/topics/endpoints
 * Which protocols Subscribe accepts, what a valid endpoint is for each, and which subscriptions
 * need the endpoint owner's confirmation.
 *
 * AWS protocols Signalbox delivers: http, https, email, email-json, sqs, lambda, firehose.
 * Signalbox's own: slack, teams, discord, webhook, whose endpoint is an http(s) URL (the
 * incoming-webhook URL of the chat, or any receiver for `webhook`). `sms` and `application`
 * (mobile push) are AWS protocols Signalbox cannot deliver: Subscribe refuses them rather than
 * accepting a subscription that would never receive anything.
 */
import { parseArn } from '../../core/arn.js';
import type { SnsProtocol } from './delivery-payload.js';
import { invalid, type TopicRecord } from './model.js';

export const PROTOCOLS: ReadonlySet<string> = new Set<SnsProtocol>([
  'http', 'https', 'email', 'email-json', 'sqs', 'lambda', 'firehose', 'slack', 'teams', 'discord', 'webhook',
]);

const NATIVE = new Set(['slack', 'teams', 'discord', 'webhook']);
// a pragmatic address check: something@host.tld, no spaces, one @
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isUrl(v: string, schemes: string[]): boolean {
  try {
    const u = new URL(v);
    return schemes.includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Checks protocol and endpoint; answers the endpoint to store. */
export function checkEndpoint(protocol: string, endpoint: string | undefined, topic: TopicRecord): string {
  if (protocol === 'sms' || protocol === 'application') {
    throw invalid(`Protocol Reason: Signalbox does not deliver the ${protocol} protocol`);
  }
  if (!PROTOCOLS.has(protocol)) throw invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (endpoint === undefined || endpoint === '') throw invalid('Endpoint Reason: no value for required parameter');
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`) || !isUrl(endpoint, [`${protocol}:`])) {
        throw invalid('Endpoint must match the specified protocol');
      }
      break;
    case 'email':
    case 'email-json':
      if (!EMAIL.test(endpoint)) throw invalid('Email address');
      break;
    case 'sqs': {
      const a = parseArn(endpoint);
      if (!a || a.service !== 'sqs' || !a.resource || a.resource.includes(':')) throw invalid('SQS endpoint ARN');
      if (a.resource.endsWith('.fifo') && !topic.fifo) {
        throw invalid('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      }
      break;
    }
    case 'lambda': {
      const a = parseArn(endpoint);
      if (!a || a.service !== 'lambda' || !a.resource.startsWith('function:')) throw invalid('Lambda endpoint ARN');
      break;
    }
    case 'firehose': {
      const a = parseArn(endpoint);
      if (!a || a.service !== 'firehose' || !a.resource.startsWith('deliverystream/')) throw invalid('Firehose endpoint ARN');
      break;
    }
    default:
      if (NATIVE.has(protocol) && !isUrl(endpoint, ['http:', 'https:'])) {
        throw invalid(`Endpoint Reason: the ${protocol} protocol needs an http(s) URL`);
      }
  }
  // FIFO topics deliver to SQS queues only
  if (topic.fifo && protocol !== 'sqs') throw invalid(`Invalid protocol type: ${protocol} Reason: FIFO topics only support the sqs protocol`);
  return endpoint;
}

/**
 * Whether the endpoint's owner must confirm: always for http/https/email/email-json; for sqs,
 * lambda and firehose only when the endpoint lives in another account; never for the native
 * chat and webhook protocols, whose URL is itself the subscriber's secret.
 */
export function needsConfirmation(protocol: string, endpoint: string, topicAccount: string): boolean {
  if (protocol === 'http' || protocol === 'https' || protocol === 'email' || protocol === 'email-json') return true;
  if (protocol === 'sqs' || protocol === 'lambda' || protocol === 'firehose') return parseArn(endpoint)?.accountId !== topicAccount;
  return false;
}

/** Protocols that receive a SubscriptionConfirmation / UnsubscribeConfirmation message. */
export function receivesConfirmations(protocol: string): boolean {
  return protocol !== 'slack' && protocol !== 'teams' && protocol !== 'discord' && protocol !== 'webhook';
}
