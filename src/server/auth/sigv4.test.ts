/**
 * SigV4 verification against requests signed by the AWS SDK's own signer: accepted as signed,
 * refused (with the right failure kind) when the secret, key, time, body or path differ.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { WireRequest } from '../../protocols/codec.js';
import { verifySigV4 } from './sigv4.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const SECRETS: Record<string, string> = { test: 'test', AKIDOTHER: 'other-secret' };
const opts = (nowMs = NOW) => ({ secretFor: (id: string) => SECRETS[id], nowMs, maxSkewSeconds: 900 });

interface ToSign {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  service?: string;
  secret?: string;
  keyId?: string;
  at?: number;
}

function signer(service: string, keyId: string, secret: string) {
  return new SignatureV4({
    service,
    region: 'us-east-1',
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
}

function toWire(r: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }): WireRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const rawQuery = Object.entries(r.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { method: r.method, path: r.path, rawQuery, headers, body: Buffer.from((r.body as string | undefined) ?? '') };
}

async function signed(t: ToSign = {}): Promise<WireRequest> {
  const body = t.body ?? '{"Name":"/a/b"}';
  const req = {
    method: t.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: t.path ?? '/',
    query: t.query ?? {},
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter', ...t.headers },
    body,
  };
  const s = await signer(t.service ?? 'ssm', t.keyId ?? 'test', t.secret ?? 'test').sign(req as never, { signingDate: new Date(t.at ?? NOW) });
  return toWire(s as never);
}

test('a request signed by the SDK verifies, with key, region and signing name', async () => {
  const v = await verifySigV4(await signed(), opts());
  assert.deepEqual(v, { ok: true, facts: { accessKeyId: 'test', region: 'us-east-1', signingName: 'ssm', presigned: false } });
});

test('a wrong secret is a bad signature', async () => {
  const v = await verifySigV4(await signed({ secret: 'wrong' }), opts());
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.failure.kind, 'bad-signature');
});

test('an unknown access key is reported as such', async () => {
  const v = await verifySigV4(await signed({ keyId: 'AKIANOBODY' }), opts());
  assert.deepEqual(!v.ok && v.failure, { kind: 'unknown-key', accessKeyId: 'AKIANOBODY' });
});

test('a second configured key works with its own secret only', async () => {
  assert.equal((await verifySigV4(await signed({ keyId: 'AKIDOTHER', secret: 'other-secret' }), opts())).ok, true);
  assert.equal((await verifySigV4(await signed({ keyId: 'AKIDOTHER', secret: 'test' }), opts())).ok, false);
});

test('a body changed after signing fails', async () => {
  const w = await signed();
  w.body = Buffer.from('{"Name":"/a/c"}');
  const v = await verifySigV4(w, opts());
  assert.equal(!v.ok && v.failure.kind, 'bad-signature');
});

test('clock skew over 15 minutes is refused both ways, 14 minutes is accepted', async () => {
  const w = await signed();
  const past = await verifySigV4(w, opts(NOW + 16 * 60_000));
  assert.equal(!past.ok && past.failure.kind, 'expired');
  assert.match(!past.ok && past.failure.kind === 'expired' ? past.failure.message : '', /^Signature expired: 20240101T120000Z is now earlier than 20240101T120100Z/);
  const future = await verifySigV4(w, opts(NOW - 16 * 60_000));
  assert.match(!future.ok && future.failure.kind === 'expired' ? future.failure.message : '', /^Signature not yet current/);
  assert.equal((await verifySigV4(w, opts(NOW + 14 * 60_000))).ok, true);
});

test('no signature at all is "missing"; a garbled Authorization header is "incomplete"', async () => {
  const w = await signed();
  delete w.headers.authorization;
  assert.deepEqual((await verifySigV4(w, opts())) as unknown, { ok: false, failure: { kind: 'missing' } });
  w.headers.authorization = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ssm/aws4_request';
  const v = await verifySigV4(w, opts());
  assert.equal(!v.ok && v.failure.kind, 'incomplete');
});

test('x-amz-content-sha256 that does not match the body is refused; UNSIGNED-PAYLOAD is honoured', async () => {
  const lying = await signed({ headers: { 'x-amz-content-sha256': 'a'.repeat(64) } });
  const v = await verifySigV4(lying, opts());
  assert.equal(!v.ok && v.failure.kind, 'payload-hash');
  const unsigned = await signed({ service: 's3', method: 'PUT', path: '/bucket/key', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'anything' });
  assert.equal((await verifySigV4(unsigned, opts())).ok, true);
});

test('S3 signs the path as is; other services double-encode it (reserved characters in a label)', async () => {
  const s3 = await signed({ service: 's3', method: 'PUT', path: '/bucket/a%20b/c%2Bd.txt', body: 'x' });
  assert.equal((await verifySigV4(s3, opts())).ok, true);
  const lambda = await signed({ service: 'lambda', path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af1/invocations', body: '{}' });
  assert.equal((await verifySigV4(lambda, opts())).ok, true);
});

test('query parameters are part of the signature', async () => {
  const w = await signed({ method: 'GET', path: '/', query: { Action: 'ListTopics', Version: '2010-03-31' }, body: '' });
  assert.equal((await verifySigV4(w, opts())).ok, true);
  w.rawQuery = w.rawQuery.replace('ListTopics', 'DeleteTopic');
  assert.equal((await verifySigV4(w, opts())).ok, false);
});

test('presigned URLs verify until they expire', async () => {
  const s = signer('sns', 'test', 'test');
  const req = { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', query: { Action: 'ListTopics' }, headers: { host: '127.0.0.1:4566' } };
  const pre = await s.presign(req as never, { signingDate: new Date(NOW), expiresIn: 300 });
  const w = toWire(pre as never);
  const ok = await verifySigV4(w, opts(NOW + 60_000));
  assert.equal(ok.ok && ok.facts.presigned, true);
  const late = await verifySigV4(w, opts(NOW + 301_000));
  assert.equal(!late.ok && late.failure.kind, 'expired');
  const tampered = { ...w, rawQuery: w.rawQuery.replace('ListTopics', 'CreateTopic') };
  assert.equal((await verifySigV4(tampered, opts(NOW))).ok, false);
});

test('header values are canonicalised as the SDK signs them: blanks folded, ends trimmed, line breaks', async () => {
  const odd = { 'x-amz-meta-a': '  two  spaces\there ', 'x-amz-meta-b': 'plain', 'x-amz-meta-c': ' x', 'x-amz-meta-d': 'line\r\nbreak' };
  const w = await signed({ headers: odd });
  assert.equal((await verifySigV4(w, opts())).ok, true);
  w.headers['x-amz-meta-a'] = 'two spaces here';
  assert.equal((await verifySigV4(w, opts())).ok, true, 'the same canonical value');
  w.headers['x-amz-meta-b'] = 'plain ';
  assert.equal((await verifySigV4(w, opts())).ok, true, 'a trailing blank is trimmed');
  w.headers['x-amz-meta-b'] = 'pl ain';
  assert.equal((await verifySigV4(w, opts())).ok, false);
});

test('paths with dot segments verify, and a request on another path with the same signature does not', async () => {
  const w = await signed({ service: 'lambda', path: '/2015-03-31/functions/./f1/../f1/invocations', body: '{}' });
  assert.equal((await verifySigV4(w, opts())).ok, true);
  assert.equal((await verifySigV4(w, opts())).ok, true, 'again, from the remembered canonical path');
  assert.equal((await verifySigV4({ ...w, path: '/2015-03-31/functions/f2/invocations' }, opts())).ok, false);
});

test("a header listed twice in SignedHeaders counts once, as the SDK's canonicaliser counts it", async () => {
  const w = await signed();
  const auth = String(w.headers.authorization);
  w.headers.authorization = auth.replace(/SignedHeaders=([^,]+)/, (_, list: string) => `SignedHeaders=${list};host`);
  assert.equal((await verifySigV4(w, opts())).ok, true);
});
