/**
 * @module services/functions/model/code-location
 * GetFunction's Code.Location and the layers' Content.Location: at AWS a presigned S3 URL valid
 * for ten minutes; here a URL to Signalbox's own route that serves the zip,
 * `/_signalbox/lambda/code/<id>?expires=<epoch s>&signature=<hmac>`. The route is unsigned (it is
 * fetched by plain HTTP clients, as the S3 URL is), so the link carries its own proof: an HMAC of
 * the package id and the expiry under the installation's key.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../../core/secrets.js';
import { CODE_LOCATION_TTL_SECONDS } from './limits.js';

const PURPOSE = 'lambda code location';
export const CODE_ROUTE_PREFIX = '/_signalbox/lambda/code/';

function signature(secrets: SecretBox, codeId: string, expires: number): string {
  return secrets.fingerprint(`${codeId}\n${expires}`, PURPOSE);
}

export function codeLocation(publicUrl: string, secrets: SecretBox, codeId: string, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + CODE_LOCATION_TTL_SECONDS;
  return `${publicUrl}${CODE_ROUTE_PREFIX}${codeId}?expires=${expires}&signature=${signature(secrets, codeId, expires)}`;
}

/** True when the link was made here for this package and has not expired. */
export function verifyCodeLocation(secrets: SecretBox, codeId: string, rawQuery: string, nowMs: number): boolean {
  const q = new URLSearchParams(rawQuery);
  const expires = Number(q.get('expires'));
  const given = q.get('signature') ?? '';
  if (!Number.isInteger(expires) || expires * 1000 < nowMs) return false;
  const expected = signature(secrets, codeId, expires);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
