/**
 * A webhook receiver for tests, the way a real SNS subscriber behaves: it records every request,
 * confirms SNS subscriptions by GETting SubscribeURL, and verifies SNS signatures against the
 * certificate fetched from SigningCertURL (the check AWS's own validators make, minus the
 * amazonaws.com host rule). Behaviour per path prefix, counted per path and SNS message type (so
 * a subscription confirmation does not use up a notification's planned failures):
 *   /fail-N/…       answers 500 to its first N requests, then 200
 *   /429-N-S/…      answers 429 with Retry-After: S to its first N requests, then 200
 *   /slow-MS/…      answers after MS milliseconds
 *   /always-500/…   always 500
 */
import { createVerify } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** epoch ms (fractional) */
  t: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json?: any;
  status: number;
  /** SNS messages: their type, signature check, and the SubscribeURL confirmation status */
  sns?: { type: string; signature: 'valid' | 'invalid' | 'unsigned' | string; confirm?: number | string };
}

const SIGNED: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

export class Receiver {
  readonly received: Received[] = [];
  private readonly counts = new Map<string, number>();
  private readonly certs = new Map<string, string>();
  private server!: Server;
  url = '';
  /** set false to record SubscriptionConfirmation messages without confirming them */
  autoConfirm = true;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const t = performance.timeOrigin + performance.now();
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const rec: Received = { t, method: req.method ?? '', path, headers: req.headers, body, status: 200 };
        try {
          rec.json = JSON.parse(body);
        } catch {
          /* not JSON */
        }
        const m = rec.json;
        if (m && typeof m === 'object' && typeof m.Type === 'string' && m.TopicArn) {
          rec.sns = { type: m.Type, signature: await this.verify(m) };
          if (m.Type === 'SubscriptionConfirmation' && m.SubscribeURL && this.autoConfirm) {
            try {
              rec.sns.confirm = (await fetch(m.SubscribeURL)).status;
            } catch (e) {
              rec.sns.confirm = `error:${(e as Error).message}`;
            }
          }
        }
        const counter = `${path}#${rec.sns?.type ?? ''}`;
        const seen = (this.counts.get(counter) ?? 0) + 1;
        this.counts.set(counter, seen);
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        const fail = /^\/fail-(\d+)\//.exec(path);
        const limited = /^\/429-(\d+)-(\d+)\//.exec(path);
        const slow = /^\/slow-(\d+)\//.exec(path);
        if (fail && seen <= Number(fail[1])) rec.status = 500;
        if (path.startsWith('/always-500/')) rec.status = 500;
        if (limited && seen <= Number(limited[1])) {
          rec.status = 429;
          headers['retry-after'] = limited[2];
        }
        if (slow) await new Promise((r) => setTimeout(r, Number(slow[1])));
        this.received.push(rec);
        res.writeHead(rec.status, headers);
        res.end(rec.status === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async verify(m: Record<string, string>): Promise<string> {
    const fields = SIGNED[m.Type];
    if (!fields || !m.Signature || !m.SigningCertURL) return 'unsigned';
    let pem = this.certs.get(m.SigningCertURL);
    if (!pem) {
      const r = await fetch(m.SigningCertURL);
      if (!r.ok) return `cert-fetch-${r.status}`;
      pem = await r.text();
      this.certs.set(m.SigningCertURL, pem);
    }
    const text = fields.filter((f) => m[f] !== undefined && m[f] !== null).map((f) => `${f}\n${m[f]}\n`).join('');
    try {
      const v = createVerify(m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
      v.update(text);
      return v.verify(pem, m.Signature, 'base64') ? 'valid' : 'invalid';
    } catch (e) {
      return `error:${(e as Error).message}`;
    }
  }

  /** requests to `path` (exact or prefix), in arrival order */
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path || r.path.startsWith(path));
  }

  /** waits until `pred` holds over what was received (polling), or throws after `ms` */
  async waitFor(pred: (r: Received[]) => boolean, ms = 20_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this.received)) {
      if (Date.now() > deadline) throw new Error(`receiver: ${what} not met in ${ms} ms; got ${this.received.length} requests: ${this.received.slice(-3).map((r) => `${r.path} ${r.body.slice(0, 120)}`).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
