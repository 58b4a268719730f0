/**
 * @module server/auth/errors
 * Which AWS error a client expects for each way authentication can fail. AWS's services grew up
 * in different eras and answer differently: Query-era services (SNS, SQS, CloudWatch, also
 * over JSON) say `SignatureDoesNotMatch` / `InvalidClientTokenId` with 403; JSON-era services
 * (SSM, EventBridge, Logs, Firehose) say `InvalidSignatureException` /
 * `UnrecognizedClientException` with 400; Lambda uses the JSON names with 403; S3 its own.
 */
import { awsError, type ErrorCode, type ServiceError } from '../../core/errors.js';
import type { ServiceMetadata } from '../../protocols/model.js';
import type { AuthFailure } from './sigv4.js';

export type AuthFamily = 'query' | 'json' | 'rest-json' | 'rest-xml';

export function authFamily(meta: Pick<ServiceMetadata, 'protocol' | 'awsQueryCompatible'> | undefined): AuthFamily {
  if (!meta) return 'json';
  if (meta.protocol === 'query' || meta.awsQueryCompatible) return 'query';
  if (meta.protocol === 'rest-json') return 'rest-json';
  if (meta.protocol === 'rest-xml') return 'rest-xml';
  return 'json';
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

type Table = Record<AuthFailure['kind'], ErrorCode>;

const JSON_ERA: Table = {
  missing: 'MissingAuthenticationTokenException',
  incomplete: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  'bad-signature': 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
  'payload-hash': 'InvalidSignatureException',
};

const CODES: Record<AuthFamily, Table> = {
  query: {
    missing: 'MissingAuthenticationToken',
    incomplete: 'IncompleteSignature',
    'unknown-key': 'InvalidClientTokenId',
    'bad-signature': 'SignatureDoesNotMatch',
    expired: 'SignatureDoesNotMatch',
    'payload-hash': 'SignatureDoesNotMatch',
  },
  json: JSON_ERA,
  'rest-json': JSON_ERA,
  'rest-xml': {
    missing: 'AccessDenied',
    incomplete: 'AccessDenied',
    'unknown-key': 'InvalidAccessKeyId',
    'bad-signature': 'SignatureDoesNotMatch',
    expired: 'RequestTimeTooSkewed',
    'payload-hash': 'XAmzContentSHA256Mismatch',
  },
};

function message(f: AuthFailure, family: AuthFamily): string {
  switch (f.kind) {
    case 'missing':
      return family === 'rest-xml' ? 'Anonymous access is forbidden for this operation' : 'Request is missing Authentication Token';
    case 'incomplete':
      return f.message;
    case 'unknown-key':
      return family === 'rest-xml' ? 'The AWS Access Key Id you provided does not exist in our records.' : INVALID_TOKEN;
    case 'bad-signature':
      return SIGNATURE_MISMATCH;
    case 'expired':
      return f.message;
    case 'payload-hash':
      return family === 'rest-xml'
        ? "The provided 'x-amz-content-sha256' header does not match what was computed."
        : `The request signature we calculated does not match the signature you provided: x-amz-content-sha256 ${f.claimed} is not the hash of the body.`;
  }
}

export function authError(f: AuthFailure, family: AuthFamily): ServiceError {
  // Lambda answers every authentication failure with 403.
  return awsError(CODES[family][f.kind], message(f, family), undefined, family === 'rest-json' ? { status: 403 } : undefined);
}
