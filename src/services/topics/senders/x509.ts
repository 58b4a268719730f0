/**
 * @module services/topics/senders/x509
 * A minimal self-signed X.509 v3 certificate for the SNS signing key.
 *
 * Why: SNS receivers verify a notification by fetching `SigningCertURL` and checking the
 * signature with the public key of the certificate found there. Node can read certificates
 * (`crypto.X509Certificate`) but cannot build one, and no certificate builder is installed, so
 * this file writes the few DER structures RFC 5280 needs and signs them with the key itself.
 * It is not a general ASN.1 library: only what one RSA, SHA-256, self-signed certificate uses.
 */
import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

// --- DER primitives (X.690) -------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const nul = (): Buffer => Buffer.from([0x05, 0x00]);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
/** a BIT STRING of whole bytes (no unused bits) */
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
/** context-specific, constructed: [n] EXPLICIT */
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** A non-negative INTEGER from big-endian bytes, in DER's minimal two's-complement form. */
function uint(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let b = bytes.subarray(i);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2024-01-01T00:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // 20240101000000Z
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

// --- The certificate --------------------------------------------------------------------------

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
};

function name(cn: string, org: string): Buffer {
  return seq(set(seq(oid(OID.organization), utf8(org))), set(seq(oid(OID.commonName), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

export interface SelfSignedOptions {
  commonName: string;
  organization?: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Builds and signs a v3 certificate whose subject and issuer are the same name, for the RSA
 * `privateKey`. Returns the PEM text. Extensions: basicConstraints cA=false (critical),
 * keyUsage digitalSignature (critical), subjectKeyIdentifier.
 */
export function selfSignedCertificate(privateKey: KeyObject, opts: SelfSignedOptions): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const algorithm = seq(oid(OID.sha256WithRSA), nul());
  const subject = name(opts.commonName, opts.organization ?? 'Signalbox');
  // RFC 5280: a positive serial of at most 20 octets; 16 random bytes with the top bit clear
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  // the key identifier: SHA-1 of the whole SPKI (RFC 7093 method 4 style); any unique value works
  const keyId = createHash('sha1').update(spki).digest();
  const extensions = seq(
    extension(OID.basicConstraints, true, seq()),
    // KeyUsage BIT STRING: digitalSignature is bit 0 → 0x80 with 7 unused bits
    extension(OID.keyUsage, true, tlv(0x03, Buffer.from([0x07, 0x80]))),
    extension(OID.subjectKeyId, false, octets(keyId)),
  );
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))), // version v3
    uint(serial),
    algorithm,
    subject, // issuer
    seq(time(opts.notBefore), time(opts.notAfter)),
    subject,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, bits(signature));
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}
