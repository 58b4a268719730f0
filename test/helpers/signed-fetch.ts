/**
 * Sends a raw HTTP request signed with SigV4 by the SDK's signer, for tests that need bytes no
 * SDK would send (broken bodies, unknown operations, odd headers).
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawRequest {
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  secretAccessKey?: string;
  accessKeyId?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

export async function signedFetch(server: { url: string; port: number }, r: RawRequest): Promise<RawResponse> {
  const signer = new SignatureV4({
    service: r.service,
    region: 'us-east-1',
    credentials: { accessKeyId: r.accessKeyId ?? 'test', secretAccessKey: r.secretAccessKey ?? 'test' },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: r.service !== 's3',
    applyChecksum: false,
  });
  const body = r.body ?? '';
  const req = {
    method: r.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: r.path ?? '/',
    query: r.query ?? {},
    headers: { host: `127.0.0.1:${server.port}`, ...r.headers },
    body,
  };
  const signed = (await signer.sign(req as never)) as unknown as typeof req;
  const qs = new URLSearchParams(signed.query).toString();
  const res = await fetch(`${server.url}${signed.path}${qs ? `?${qs}` : ''}`, {
    method: signed.method,
    headers: Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host')),
    body: signed.method === 'GET' || signed.method === 'HEAD' ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: buf, text: buf.toString('utf8') };
}
