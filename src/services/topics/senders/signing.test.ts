/**
 * The signing identity: a valid self-signed certificate for a 2048-bit RSA key, the same after a
 * restart of the senders, the private key never on disk in clear, and the certificate served
 * (unsigned) at the path SigningCertURL names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../../core/secrets.js';
import { createLogger } from '../../../core/log.js';
import { registerSnsSenders, route } from './index.js';
import { loadOrCreateSigningIdentity, SIGNING_FILE } from './signing.js';
import { kit } from './kit.test.js';

const log = createLogger('silent');

test('the certificate: X.509 v3, self-signed, RSA 2048, matching the key, valid now', () => {
  const id = loadOrCreateSigningIdentity(':memory:', SecretBox.fromKey(randomBytes(32)), log);
  const cert = new X509Certificate(id.certificatePem);
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  assert.equal(cert.issuer, cert.subject);
  assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(cert.ca, false);
  assert.ok(new Date(cert.validFrom) < new Date() && new Date(cert.validTo) > new Date(Date.now() + 10 * 365 * 24 * 3600_000));
  assert.match(id.certificateFile, /^SimpleNotificationService-[0-9a-f]{32}\.pem$/);
  for (const v of ['1', '2'] as const) {
    const sig = Buffer.from(id.sign('Message\nhi\n', v), 'base64');
    assert.ok(verify(v === '1' ? 'RSA-SHA1' : 'RSA-SHA256', Buffer.from('Message\nhi\n'), id.certificatePem, sig));
  }
});

test('the key persists across a restart of the senders, sealed: no PEM private key anywhere in the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-sns-signing-'));
  try {
    const first = await kit({ publicUrl: 'https://sbx.example.com', dataDir: dir, secrets: SecretBox.open(dir) });
    const a = registerSnsSenders(first.deps);
    a.close();
    await first.close();

    const second = await kit({ publicUrl: 'https://sbx.example.com', dataDir: dir, secrets: SecretBox.open(dir) });
    const b = registerSnsSenders(second.deps);
    b.close();
    await second.close();
    assert.equal(b.certificatePem, a.certificatePem, 'the same certificate after the restart');
    assert.equal(b.signingCertUrl, a.signingCertUrl);

    // neither the identity file nor the database nor anything else holds the key in clear
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      assert.ok(!bytes.includes('PRIVATE KEY'), `${f} holds no PEM private key`);
      // base64 of PKCS#8's rsaEncryption + OCTET STRING, and the start of a PKCS#1 key: DER keys without PEM armour
      assert.ok(!bytes.includes('BgkqhkiG9w0BAQEFAASC') && !bytes.includes('IBAAKCAQEA'), `${f} holds no base64 DER key`);
    }
    const stored = JSON.parse(readFileSync(join(dir, SIGNING_FILE), 'utf8'));
    assert.match(stored.keySealed, /^v1:/);
    assert.equal(stored.certificatePem, a.certificatePem);
    assert.equal(statSync(join(dir, SIGNING_FILE)).mode & 0o077, 0, 'readable by the owner only');

    // another master key cannot open it: a new identity replaces it rather than stopping delivery
    const other = loadOrCreateSigningIdentity(dir, SecretBox.fromKey(randomBytes(32)), log);
    assert.notEqual(other.certificatePem, a.certificatePem);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('route: serves the certificate at its SigningCertURL path, unsigned; passes everything else', async () => {
  const k = await kit({ publicUrl: 'https://sbx.example.com/' });
  const s = registerSnsSenders(k.deps);
  try {
    const path = new URL(s.signingCertUrl).pathname;
    assert.equal(s.signingCertUrl, `https://sbx.example.com${path}`, 'no double slash from a trailing one');
    const req = (method: string, p: string) => ({ method, path: p, rawQuery: '', headers: {}, body: Buffer.alloc(0) });
    const got = route(req('GET', path));
    assert.equal(got?.status, 200);
    assert.equal(got?.headers['content-type'], 'application/x-pem-file');
    assert.equal(got?.body, s.certificatePem);
    assert.equal(route(req('HEAD', path))?.status, 200);
    assert.equal(route(req('POST', path)), undefined);
    assert.equal(route(req('GET', '/_signalbox/sns/SimpleNotificationService-00000000000000000000000000000000.pem')), undefined);
    assert.equal(route(req('GET', '/_signalbox/sns/confirm')), undefined);
    assert.equal(route(req('GET', '/_signalbox/health')), undefined);
  } finally {
    s.close();
    await k.close();
  }
});
