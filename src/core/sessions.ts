/**
 * @module core/sessions
 * Temporary credentials Signalbox issues itself. A function's SDK calls sign with a session of its
 * execution role — an `ASIA…` key, a secret and a session token, as Lambda hands a function its
 * role's STS credentials — so the gateway knows the call came from that function's role
 * (`arn:aws:sts::<account>:assumed-role/<role>/<function>` in the audit trail) rather than from
 * the account's root key. The gateway accepts a session key only with its token
 * (X-Amz-Security-Token) and before it expires.
 *
 * Sessions live in memory: they end with the process, as the function instances holding them do.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  principalArn: string;
  /** epoch ms */
  expiresAt: number;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(): string {
  let id = 'ASIA';
  for (const b of randomBytes(16)) id += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return id;
}

export class SessionKeys {
  private readonly byKey = new Map<string, Session>();

  /** A new session for `principalArn`, valid `ttlMs`. */
  issue(accountId: string, principalArn: string, ttlMs: number, nowMs = Date.now()): Session {
    this.sweep(nowMs);
    const s: Session = {
      accessKeyId: accessKeyId(),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      accountId,
      principalArn,
      expiresAt: nowMs + ttlMs,
    };
    this.byKey.set(s.accessKeyId, s);
    return s;
  }

  /** The live session of a key, or undefined. */
  find(accessKeyId: string, nowMs = Date.now()): Session | undefined {
    const s = this.byKey.get(accessKeyId);
    if (!s) return undefined;
    if (s.expiresAt <= nowMs) {
      this.byKey.delete(accessKeyId);
      return undefined;
    }
    return s;
  }

  /** Forgets a session before it expires (its instance has ended). */
  revoke(accessKeyId: string): void {
    this.byKey.delete(accessKeyId);
  }

  private sweep(nowMs: number): void {
    if (this.byKey.size < 1024) return;
    for (const [k, s] of this.byKey) if (s.expiresAt <= nowMs) this.byKey.delete(k);
  }
}
