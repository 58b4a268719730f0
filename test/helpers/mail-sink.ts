/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps every mail it accepts:
 * what the e-mail tests deliver to. Addresses `refuse` picks are refused with 550.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  /** the Subject header, unfolded and with RFC 2047 encoded words decoded */
  subject: string;
}

export interface MailSink {
  mails: Mail[];
  /** Signalbox's `smtp` configuration for this sink */
  smtp: { host: string; port: number; secure: false; from: string };
  /** a config file holding only that `smtp` section, for `signalbox start --config` */
  configFile(): string;
  close(): Promise<void>;
}

/** RFC 2047 encoded words (nodemailer encodes subjects with quotes and brackets) → text */
function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

export async function startMailSink(opts: { from?: string; refuse?: (address: string) => boolean } = {}): Promise<MailSink> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.refuse?.(address.address)) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeWords(/^Subject: (.*)$/m.exec(head)?.[1] ?? ''),
        });
        cb();
      });
    },
  });
  // a client cut off mid-session (a SIGKILLed server's pooled connection) is a reset, not a failure
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const smtp = { host: '127.0.0.1', port: (server.server.address() as AddressInfo).port, secure: false as const, from: opts.from ?? 'alerts@signalbox.test' };
  return {
    mails,
    smtp,
    configFile() {
      const file = join(mkdtempSync(join(tmpdir(), 'sbx-smtp-cfg-')), 'config.json');
      writeFileSync(file, JSON.stringify({ smtp }));
      return file;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
