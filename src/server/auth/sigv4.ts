/**
 * @module server/auth/sigv4
 * AWS Signature Version 4 verification, for header-signed and presigned (query) requests.
 *
 * The canonical path and query and the signing key come from `@smithy/signature-v4`, the
 * implementation the AWS SDK itself signs with; the header lines and the canonical request are
 * put together here in the library's own format (it costs a third of a verification there).
 * We only decide what goes in: exactly the headers the client listed in SignedHeaders, the raw
 * path, the decoded query, and the payload hash (the client's `x-amz-content-sha256` when it sent
 * one, after checking it against the body).
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4Base, getCanonicalQuery, getSigningKey } from '@smithy/signature-v4';
import type { WireRequest } from '../../protocols/codec.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA256 = Hash.bind(null, 'sha256') as unknown as new (secret?: unknown) => Hash;
/** paths seen are few (one per function, queue, …): their canonical forms are kept, up to this many */
const MAX_PATHS = 1000;

/** crypto.hash (Node 20.12+) digests in one call, without a Hash object; else createHash */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;
const sha256Hex: (data: string | Buffer) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => createHash('sha256').update(data).digest('hex');

/** Why a request was refused; `server/auth/errors.ts` maps it to each protocol's AWS code. */
export type AuthFailure =
  | { kind: 'missing' }
  | { kind: 'incomplete'; message: string }
  | { kind: 'unknown-key'; accessKeyId: string }
  | { kind: 'bad-signature'; canonicalRequest?: string }
  | { kind: 'expired'; message: string }
  | { kind: 'payload-hash'; claimed: string; computed: string };

export interface SignedRequestFacts {
  accessKeyId: string;
  region: string;
  signingName: string;
  presigned: boolean;
}

export type Verification = { ok: true; facts: SignedRequestFacts } | { ok: false; failure: AuthFailure };

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

interface ParsedAuth {
  credential: Credential;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresSeconds?: number;
}

/** Returns the first value of a header. */
export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Decodes a raw query string into the object shape the signer canonicalises (repeats → arrays). */
export function decodeQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseCredential(s: string): Credential | undefined {
  const parts = s.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

/** The credential scope of a request, when it carries one (used by the router too). */
export function credentialScope(req: WireRequest): Credential | undefined {
  const auth = header(req, 'authorization');
  if (auth) {
    const m = /Credential=([^,\s]+)/.exec(auth);
    return m ? parseCredential(m[1]) : undefined;
  }
  if (req.rawQuery.includes('X-Amz-Credential=')) {
    const c = decodeQuery(req.rawQuery)['X-Amz-Credential'];
    return typeof c === 'string' ? parseCredential(c) : undefined;
  }
  return undefined;
}

/** true when the request carries any SigV4 material at all. */
export function isSigned(req: WireRequest): boolean {
  return header(req, 'authorization') !== undefined || req.rawQuery.includes('X-Amz-Signature=');
}

function parseAuth(req: WireRequest): ParsedAuth | AuthFailure {
  const auth = header(req, 'authorization');
  if (auth !== undefined) {
    if (!auth.startsWith(ALGORITHM + ' ')) {
      return { kind: 'incomplete', message: `Unsupported Authorization header: only ${ALGORITHM} is accepted.` };
    }
    const fields: Record<string, string> = {};
    for (const part of auth.slice(ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields[f]);
    if (missing.length) {
      return { kind: 'incomplete', message: `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s). Authorization=${auth.slice(0, 200)}` };
    }
    const credential = parseCredential(fields.Credential);
    if (!credential) return { kind: 'incomplete', message: `Credential should be scoped to a valid region and service: ${fields.Credential}` };
    const amzDate = header(req, 'x-amz-date') ?? '';
    if (!amzDate) return { kind: 'incomplete', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
    return { credential, signedHeaders: fields.SignedHeaders.split(';'), signature: fields.Signature, amzDate, presigned: false };
  }
  const q = decodeQuery(req.rawQuery);
  const get = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  if (get('X-Amz-Signature') === undefined) return { kind: 'missing' };
  if (get('X-Amz-Algorithm') !== ALGORITHM) return { kind: 'incomplete', message: `X-Amz-Algorithm must be ${ALGORITHM}.` };
  const credential = parseCredential(get('X-Amz-Credential') ?? '');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const amzDate = get('X-Amz-Date');
  if (!credential || !signedHeaders || !amzDate) {
    return { kind: 'incomplete', message: 'Presigned requests need X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Date.' };
  }
  const expires = Number(get('X-Amz-Expires') ?? '900');
  return { credential, signedHeaders: signedHeaders.split(';'), signature: get('X-Amz-Signature')!, amzDate, presigned: true, expiresSeconds: expires };
}

/** YYYYMMDDTHHMMSSZ → epoch ms, NaN when malformed */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The signer from the SDK, opened just enough to compute the signature of a given request: path
 * escaping, query ordering and the signing key derivation are the library's. The digests are
 * node:crypto's, called synchronously: the library's async hash wrapper costs a promise per step.
 */
class Recomputer extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({ credentials: { accessKeyId: '', secretAccessKey: '' }, region: '', service: '', sha256: SHA256, uriEscapePath, applyChecksum: false });
  }

  // Signing keys change once a day per key, region and service: derive each once. (Secrets come
  // from the configuration, which does not change while the server runs.)
  private readonly keys = new Map<string, KeyObject>();
  private readonly paths = new Map<string, string>();

  /** the cached key when there is one (no await on the hot path), else its derivation */
  private signingKey(c: Credential, secretAccessKey: string): KeyObject | Promise<KeyObject> {
    const id = `${c.accessKeyId}/${c.date}/${c.region}/${c.service}`;
    const hit = this.keys.get(id);
    if (hit) return hit;
    return getSigningKey(SHA256, { accessKeyId: c.accessKeyId, secretAccessKey }, c.date, c.region, c.service).then((bytes) => {
      if (this.keys.size > 1000) this.keys.clear();
      const key = createSecretKey(bytes);
      this.keys.set(id, key);
      return key;
    });
  }

  private canonicalPath(path: string): string {
    let canonical = this.paths.get(path);
    if (canonical === undefined) {
      // private in the library's typings, but the very method its canonical request calls
      canonical = (this as unknown as { getCanonicalPath(r: { path: string }): string }).getCanonicalPath({ path });
      if (this.paths.size >= MAX_PATHS) this.paths.clear();
      this.paths.set(path, canonical);
    }
    return canonical;
  }

  /** The library's createCanonicalRequest over the signed headers (names lower case, as HTTP hands them over). */
  canonicalRequest(method: string, path: string, query: Record<string, string | string[]>, headers: Array<[string, string]>, payloadHash: string): string {
    headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let lines = '';
    let names = '';
    for (const [name, value] of headers) {
      lines += `${name}:${canonicalHeaderValue(value)}\n`;
      names += names ? `;${name}` : name;
    }
    return `${method}\n${this.canonicalPath(path)}\n${getCanonicalQuery({ query } as never)}\n${lines}\n${names}\n${payloadHash}`;
  }

  async signature(canonicalRequest: string, p: ParsedAuth, secretAccessKey: string): Promise<string> {
    const c = p.credential;
    const scope = `${c.date}/${c.region}/${c.service}/${c.terminator}`;
    const stringToSign = `${ALGORITHM}\n${p.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const cached = this.signingKey(c, secretAccessKey);
    const key = cached instanceof Promise ? await cached : cached;
    return createHmac('sha256', key).update(stringToSign).digest('hex');
  }
}

/** A header value as SigV4 canonicalises it: line breaks and runs of blanks become one space, ends trimmed. */
function canonicalHeaderValue(value: string): string {
  if (!/[\r\n\t]| {2}|^ | $/.test(value)) return value;
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

const RECOMPUTE = { escaped: new Recomputer(true), raw: new Recomputer(false) };

export interface VerifyOptions {
  /** secret for an access key id, undefined when unknown */
  secretFor(accessKeyId: string): string | undefined;
  nowMs: number;
  maxSkewSeconds: number;
}

export async function verifySigV4(req: WireRequest, opts: VerifyOptions): Promise<Verification> {
  const parsed = parseAuth(req);
  if ('kind' in parsed) return { ok: false, failure: parsed };
  const c = parsed.credential;
  if (c.terminator !== 'aws4_request' || !/^\d{8}$/.test(c.date)) {
    return { ok: false, failure: { kind: 'incomplete', message: `Credential should be scoped with a valid terminator: 'aws4_request', not '${c.terminator}'.` } };
  }
  const secret = opts.secretFor(c.accessKeyId);
  if (secret === undefined) return { ok: false, failure: { kind: 'unknown-key', accessKeyId: c.accessKeyId } };

  const signedAt = parseAmzDate(parsed.amzDate);
  if (Number.isNaN(signedAt)) return { ok: false, failure: { kind: 'incomplete', message: `Invalid X-Amz-Date: ${parsed.amzDate}` } };
  if (!parsed.amzDate.startsWith(c.date)) {
    return { ok: false, failure: { kind: 'bad-signature' } };
  }
  const skew = opts.maxSkewSeconds * 1000;
  const nowStr = () => formatAmzDate(opts.nowMs);
  if (parsed.presigned) {
    const expires = parsed.expiresSeconds ?? 900;
    if (!Number.isFinite(expires) || expires < 1 || expires > 604800) {
      return { ok: false, failure: { kind: 'incomplete', message: 'X-Amz-Expires must be between 1 and 604800 seconds.' } };
    }
    if (signedAt + expires * 1000 < opts.nowMs) {
      return { ok: false, failure: { kind: 'expired', message: `Request has expired: signed ${parsed.amzDate}, valid ${expires} s, now ${nowStr()}.` } };
    }
    if (signedAt - skew > opts.nowMs) {
      return { ok: false, failure: { kind: 'expired', message: `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(opts.nowMs + skew)} (${nowStr()} + 15 min.)` } };
    }
  } else if (signedAt < opts.nowMs - skew) {
    return { ok: false, failure: { kind: 'expired', message: `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(opts.nowMs - skew)} (${nowStr()} - 15 min.)` } };
  } else if (signedAt > opts.nowMs + skew) {
    return { ok: false, failure: { kind: 'expired', message: `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(opts.nowMs + skew)} (${nowStr()} + 15 min.)` } };
  }

  // Payload hash: the client's claim, checked against the body, unless it chose not to sign it.
  // SigV4 signs the bytes sent: a gzip body is hashed as it came, not as it was decoded
  const claimed = header(req, 'x-amz-content-sha256');
  const sent = req.rawBody ?? req.body;
  let payloadHash: string;
  if (parsed.presigned) {
    payloadHash = claimed ?? (c.service === 's3' ? UNSIGNED_PAYLOAD : sha256Hex(sent));
  } else if (claimed !== undefined && (claimed === UNSIGNED_PAYLOAD || claimed.startsWith('STREAMING-'))) {
    payloadHash = claimed;
  } else {
    const computed = sent.length === 0 ? EMPTY_SHA256 : sha256Hex(sent);
    if (claimed !== undefined && claimed.toLowerCase() !== computed) {
      return { ok: false, failure: { kind: 'payload-hash', claimed, computed } };
    }
    payloadHash = computed;
  }

  const headers: Array<[string, string]> = [];
  const named = new Set<string>();
  for (const name of parsed.signedHeaders) {
    const v = req.headers[name];
    if (v === undefined) return { ok: false, failure: { kind: 'bad-signature' } };
    // a name listed twice is one header, as it was to the signer
    if (named.has(name)) continue;
    named.add(name);
    headers.push([name, Array.isArray(v) ? v.join(',') : v]);
  }
  const query = req.rawQuery ? decodeQuery(req.rawQuery) : {};
  if (parsed.presigned) delete query['X-Amz-Signature'];
  const recomputer = c.service === 's3' ? RECOMPUTE.raw : RECOMPUTE.escaped;
  const canonicalRequest = recomputer.canonicalRequest(req.method, req.path, query, headers, payloadHash);
  const signature = await recomputer.signature(canonicalRequest, parsed, secret);

  const a = Buffer.from(signature);
  const b = Buffer.from(parsed.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, failure: { kind: 'bad-signature', canonicalRequest } };
  return { ok: true, facts: { accessKeyId: c.accessKeyId, region: c.region, signingName: c.service, presigned: parsed.presigned } };
}
