/**
 * @module services/topics/secret-endpoints
 * The endpoint of a slack, teams, discord or webhook subscription is a URL that carries its own
 * credential (anyone holding a Slack incoming-webhook URL can post to the channel), so it is a
 * secret and is kept like one:
 * - at rest (the subscription row, every delivery job) it is sealed by the installation's
 *   SecretBox, bound to the subscription ARN;
 * - everywhere it is only named (the subscription row's lookup column, a job's throttle target,
 *   the delivery log, the audit trail, logs) it appears masked: scheme and host, then a keyed
 *   fingerprint, `https://hooks.slack.com/…#3f9a0c21d7e4b5a6`. The fingerprint keeps Subscribe
 *   idempotent and gives each webhook its own throttle without revealing the URL;
 * - the API (ListSubscriptions, GetSubscriptionAttributes) answers the real URL to the signed
 *   caller, as AWS answers any endpoint, so tools that read a subscription back see no drift.
 */
import type { SecretBox } from '../../core/secrets.js';
import type { Store } from '../../store/store.js';
import { clearSecretEndpoints, setSealedEndpoint } from './store.js';

const SECRET_PROTOCOL_LIST = ['slack', 'teams', 'discord', 'webhook'] as const;
const SECRET_PROTOCOLS: ReadonlySet<string> = new Set(SECRET_PROTOCOL_LIST);
const FINGERPRINT_PURPOSE = 'sns endpoint';

function hasSecretEndpoint(protocol: string): boolean {
  return SECRET_PROTOCOLS.has(protocol);
}

/** The form that names a secret URL without revealing it; stable for one URL and master key. */
export function maskEndpoint(secrets: SecretBox, url: string): string {
  let origin = '';
  try {
    const u = new URL(url);
    origin = `${u.protocol}//${u.host}`;
  } catch {
    // not a URL (a row written before validation existed): the fingerprint alone names it
  }
  return `${origin}/…#${secrets.fingerprint(url, FINGERPRINT_PURPOSE).slice(0, 16)}`;
}

/** What the subscription row stores in `endpoint` (the lookup column) for this protocol. */
export function storedEndpoint(secrets: SecretBox, protocol: string, endpoint: string): string {
  return hasSecretEndpoint(protocol) ? maskEndpoint(secrets, endpoint) : endpoint;
}

/** The sealed URL for a secret protocol (AAD = the subscription ARN), else null. */
export function sealEndpoint(secrets: SecretBox, protocol: string, endpoint: string, subscriptionArn: string): string | null {
  return hasSecretEndpoint(protocol) ? secrets.seal(endpoint, subscriptionArn) : null;
}

/** The endpoint a subscriber gave, opened when it is sealed. */
export function realEndpoint(secrets: SecretBox, s: { arn: string; endpoint: string; endpointSealed: string | null }): string {
  return s.endpointSealed ? secrets.open(s.endpointSealed, s.arn) : s.endpoint;
}

/** Subscribe's audit record: the Endpoint of a secret protocol is masked like everywhere else. */
export function maskSubscribeInput(secrets: SecretBox, input: Record<string, unknown>): Record<string, unknown> {
  const { Protocol: protocol, Endpoint: endpoint } = input;
  if (typeof protocol !== 'string' || typeof endpoint !== 'string' || !hasSecretEndpoint(protocol)) return input;
  return { ...input, Endpoint: maskEndpoint(secrets, endpoint) };
}

/**
 * Seals the endpoints of subscriptions written before they were sealed; answers the topics
 * whose cached subscriptions changed. Idempotent: a sealed row is never selected again.
 */
export async function sealClearEndpoints(store: Store, secrets: SecretBox): Promise<string[]> {
  return store.transaction(async (tx) => {
    const rows = await clearSecretEndpoints(tx, SECRET_PROTOCOL_LIST);
    for (const s of rows) await setSealedEndpoint(tx, s.arn, maskEndpoint(secrets, s.endpoint), secrets.seal(s.endpoint, s.arn));
    return [...new Set(rows.map((s) => s.topicArn))];
  });
}
