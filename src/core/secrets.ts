/**
 * @module core/secrets
 * Encryption of secrets at rest (SecureString values, later connection credentials):
 * AES-256-GCM with a random 96-bit nonce per value. The stored form is
 * `v1:<base64(nonce | ciphertext | tag)>`, so a new scheme can be added beside it.
 *
 * The key comes from the configuration (SIGNALBOX_MASTER_KEY, base64 of 32 bytes) or, failing
 * that, from `<dataDir>/master.key`, created with mode 0600 on first start.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignalboxError } from './errors.js';

const PREFIX = 'v1:';

export class SecretBox {
  private macKey: Buffer | undefined;
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new SignalboxError('ERR_CONFIG', 'the master key must be 32 bytes (base64 of 32 random bytes)');
    return new SecretBox(key);
  }

  /** Uses `masterKeyBase64` when given, else the data dir's key file (created when missing). */
  static open(dataDir: string, masterKeyBase64?: string): SecretBox {
    if (masterKeyBase64) return SecretBox.fromKey(Buffer.from(masterKeyBase64, 'base64'));
    const file = join(dataDir, 'master.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return SecretBox.fromKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  /** `aad` binds the ciphertext to its owner (e.g. the parameter name), so rows cannot be swapped. */
  seal(plaintext: string, aad = ''): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  open(sealed: string, aad = ''): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const nonce = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  }

  /**
   * A keyed fingerprint of a secret (hex HMAC-SHA256 under a key derived from the master key):
   * equal secrets give equal fingerprints, so a sealed value can still be looked up or grouped
   * by, yet the fingerprint reveals nothing without the master key. `purpose` separates uses.
   */
  fingerprint(plaintext: string, purpose: string): string {
    this.macKey ??= Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), 'signalbox fingerprint v1', 32));
    return createHmac('sha256', this.macKey).update(purpose).update('\0').update(plaintext, 'utf8').digest('hex');
  }
}
