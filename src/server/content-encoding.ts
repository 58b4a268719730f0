/**
 * @module server/content-encoding
 * Request bodies sent with `Content-Encoding: gzip`: the AWS SDKs and CLIs compress the bodies of
 * operations with the `requestCompression` trait (CloudWatch PutMetricData) once they pass
 * 10 KiB.
 *
 * - Only the RPC protocols (JSON, RPC v2 CBOR, Query) are decoded: there no model member is bound
 *   to the header, so it can only describe the transfer. On the REST protocols it is data
 *   (S3's object `Content-Encoding`), and the body is the caller's bytes as they are.
 * - SigV4 signs the bytes that were sent, so the compressed body is kept as `rawBody` for the
 *   payload hash; routing and the codecs read the decoded `body`.
 * - The body limit applies to the decoded size too: a small body that inflates past it (a zip
 *   bomb) is refused with 413 without being inflated any further.
 * - A body that is not valid gzip is a 400 in the client's protocol.
 * - Other encodings (`identity` aside) are left alone: the codec then fails on the bytes.
 */
import { gunzip } from 'node:zlib';
import { awsError, type ServiceError } from '../core/errors.js';
import type { WireRequest } from '../protocols/codec.js';
import { header } from './auth/sigv4.js';
import { guessProtocol } from './gateway.js';

const GZIP = new Set(['gzip', 'x-gzip']);

function inflate(body: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(body, { maxOutputLength: maxBytes }, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Decodes `wire.body` in place when it is gzip-encoded (`rawBody` keeps the bytes as sent).
 * Resolves to the ServiceError to answer with when the body cannot be decoded, else undefined.
 */
export async function decodeRequestBody(wire: WireRequest, maxBytes: number): Promise<ServiceError | undefined> {
  const encoding = header(wire, 'content-encoding');
  if (encoding === undefined || wire.body.length === 0) return undefined;
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0 || !codings.every((c) => GZIP.has(c))) return undefined;
  const protocol = guessProtocol(wire);
  if (protocol === 'rest-json' || protocol === 'rest-xml') return undefined;
  let body = wire.body;
  try {
    // applied in the order listed, so undone in reverse (each step bounded by the limit)
    for (let i = codings.length - 1; i >= 0; i--) body = await inflate(body, maxBytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return awsError('RequestEntityTooLargeException', `Request body is larger than the limit of ${maxBytes} bytes once decompressed.`);
    }
    const message = `The request body is not valid gzip (Content-Encoding: ${encoding}).`;
    return protocol === 'query' ? awsError('MalformedQueryString', message) : awsError('SerializationException', message);
  }
  wire.rawBody = wire.body;
  wire.body = body;
  return undefined;
}
