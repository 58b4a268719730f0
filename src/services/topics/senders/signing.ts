/**
 * @module services/topics/senders/signing
 * The installation's SNS signing identity: one RSA 2048 key and a self-signed certificate,
 * created on first start and reused after every restart, so that receivers which cache the
 * certificate by its URL (as AWS's validators do) keep verifying.
 *
 * The private key is never written in clear: the file `<dataDir>/sns-signing.json` holds the key
 * sealed with the installation's SecretBox (AES-256-GCM, AAD = this file's purpose) next to the
 * public certificate. A data dir of ':memory:' (tests) keeps the identity in memory only.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../core/log.js';
import type { SecretBox } from '../../../core/secrets.js';
import { selfSignedCertificate } from './x509.js';

export const SIGNING_FILE = 'sns-signing.json';
/** binds the sealed key to its use, so no other sealed value can be swapped in */
const AAD = 'sns-signing-key';
const YEAR_MS = 365 * 24 * 3600 * 1000;

interface StoredIdentity {
  version: 1;
  createdAt: string;
  /** PKCS#8 PEM of the private key, sealed */
  keySealed: string;
  certificatePem: string;
}

export interface SigningIdentity {
  /** the PEM served at the certificate URL */
  readonly certificatePem: string;
  /** `SimpleNotificationService-<32 hex of SHA-256(cert DER)>.pem`: changes when the key does */
  readonly certificateFile: string;
  /** base64 signature of `text`: version 1 = SHA1withRSA, 2 = SHA256withRSA (PKCS#1 v1.5) */
  sign(text: string, version: '1' | '2'): string;
  /** the same, computed in libuv's thread pool so the event loop keeps serving */
  signAsync(text: string, version: '1' | '2'): Promise<string>;
}

/** signatures remembered: one message fanned out to many subscribers is signed once */
const MEMO_SIZE = 4096;

function identity(key: KeyObject, certificatePem: string): SigningIdentity {
  const der = new X509Certificate(certificatePem).raw;
  const hash = createHash('sha256').update(der).digest('hex').slice(0, 32);
  // An RSA-2048 signature costs ~0.7 ms of CPU; the string to sign holds no subscription field,
  // so every subscriber of a message shares it. PKCS#1 v1.5 is deterministic, so reusing one is
  // exactly what signing again would give. Keyed by a digest to keep large messages out of memory.
  // Promises are remembered, so concurrent deliveries of one message wait for one signature.
  const memo = new Map<string, Promise<string>>();
  const remember = (id: string, p: Promise<string>): Promise<string> => {
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    memo.set(id, p);
    p.catch(() => memo.delete(id));
    return p;
  };
  const memoId = (text: string, version: string) => version + createHash('sha256').update(text, 'utf8').digest('base64');
  const algorithm = (version: '1' | '2') => (version === '2' ? 'sha256' : 'sha1');
  let lastSync: { id: string; sig: string } | undefined;
  return {
    certificatePem,
    certificateFile: `SimpleNotificationService-${hash}.pem`,
    sign(text, version) {
      const id = memoId(text, version);
      if (lastSync?.id === id) return lastSync.sig;
      const sig = sign(algorithm(version), Buffer.from(text, 'utf8'), key).toString('base64');
      lastSync = { id, sig };
      remember(id, Promise.resolve(sig));
      return sig;
    },
    signAsync(text, version) {
      const id = memoId(text, version);
      const hit = memo.get(id);
      if (hit) return hit;
      return remember(
        id,
        new Promise<string>((resolve, reject) =>
          sign(algorithm(version), Buffer.from(text, 'utf8'), key, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64')))),
        ),
      );
    },
  };
}

function generate(now: Date): { key: KeyObject; certificatePem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = selfSignedCertificate(privateKey, {
    commonName: 'sns.signalbox.local',
    // a day of slack for receivers whose clock is behind; long-lived because it is never rotated
    notBefore: new Date(now.getTime() - 24 * 3600 * 1000),
    notAfter: new Date(now.getTime() + 30 * YEAR_MS),
  });
  return { key: privateKey, certificatePem };
}

/** Reads the stored identity; undefined when there is none or it cannot be opened. */
function load(file: string, secrets: SecretBox, log: Logger): SigningIdentity | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredIdentity;
    const key = createPrivateKey(secrets.open(stored.keySealed, AAD));
    const cert = new X509Certificate(stored.certificatePem);
    if (!cert.checkPrivateKey(key)) throw new Error('the certificate does not match the key');
    return identity(key, stored.certificatePem);
  } catch (e) {
    // a changed master key or a damaged file: a new identity is better than no notifications
    // (receivers fetch the new certificate from its new URL); say so loudly
    log.warn({ err: (e as Error).message, file }, 'the SNS signing key could not be opened; creating a new one');
    return undefined;
  }
}

/**
 * The identity of the installation whose data dir is `dataDir`: loaded, else generated and
 * stored (written to a temporary file then renamed, so a crash never leaves half a file).
 */
export function loadOrCreateSigningIdentity(dataDir: string, secrets: SecretBox, log: Logger, now = new Date()): SigningIdentity {
  if (dataDir === ':memory:') {
    const g = generate(now);
    return identity(g.key, g.certificatePem);
  }
  const file = join(dataDir, SIGNING_FILE);
  const existing = load(file, secrets, log);
  if (existing) return existing;
  const g = generate(now);
  const stored: StoredIdentity = {
    version: 1,
    createdAt: now.toISOString(),
    keySealed: secrets.seal(g.key.export({ type: 'pkcs8', format: 'pem' }).toString(), AAD),
    certificatePem: g.certificatePem,
  };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  log.info({ file }, 'created the SNS signing key and certificate');
  return identity(g.key, g.certificatePem);
}
