/**
 * @module services/topics/senders/kit.test
 * Shared set-up for the sender tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): real dependencies (SQLite store, SecretBox, delivery engine, Targets), a
 * "public URL" server that answers with the senders' own `route` (so SigningCertURL resolves),
 * HTTP receivers on 127.0.0.1 that record what they get, and builders for deliveries and jobs.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DEFAULTS, type Config, type SmtpConfig } from '../../../config/schema.js';
import { systemClock } from '../../../core/clock.js';
import { createDeliveryEngine } from '../../../core/deliveries/index.js';
import type { Job } from '../../../core/deliveries/types.js';
import { createLogger } from '../../../core/log.js';
import { SecretBox } from '../../../core/secrets.js';
import { Targets } from '../../../core/targets/index.js';
import { openSqliteStore } from '../../../store/open.js';
import type { ServiceDeps } from '../../service.js';
import type { SnsDelivery } from '../delivery-payload.js';
import { route } from './index.js';
import { MetricsHub } from '../../../core/metrics/index.js';
import { LogsHub } from '../../../core/logs/index.js';

export const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:alerts';
export const SUB = `${TOPIC}:6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b`;

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** resolves with the next request (or the n-th, counting from 1) */
  next(n?: number): Promise<Received>;
  close(): Promise<void>;
}

export interface Answer { status: number; headers?: Record<string, string>; body?: string }
type Reply = (r: Received) => Answer | Promise<Answer>;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `reply` (default 200 ok). */
export async function receiver(reply: Reply = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: (r: Received) => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      for (const w of waiters.filter((w) => w.n <= received.length)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(received[w.n - 1]);
      }
      const out = await reply(r);
      res.writeHead(out.status, out.headers ?? { 'content-type': 'text/plain' });
      res.end(out.body ?? '');
    });
  });
  const url = await listen(server);
  return {
    url,
    received,
    next: (n = received.length + 1) =>
      n <= received.length ? Promise.resolve(received[n - 1]) : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () => close(server),
  };
}

/** The installation's public URL: serves what `route` serves (the signing certificate), 404 otherwise. */
export async function publicServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const [path, rawQuery = ''] = (req.url ?? '/').split('?');
    const out = route({ method: req.method ?? 'GET', path, rawQuery, headers: req.headers, body: Buffer.alloc(0) });
    if (!out) {
      res.writeHead(404).end('no such route');
      return;
    }
    res.writeHead(out.status, out.headers).end(out.body);
  });
  const url = await listen(server);
  return { url, close: () => close(server) };
}

export function config(over: Partial<Config> = {}): Config {
  return {
    host: DEFAULTS.host,
    port: 0,
    publicUrl: 'http://127.0.0.1:4566',
    dataDir: ':memory:',
    logLevel: 'silent',
    region: 'eu-west-1',
    accountId: '111122223333',
    keys: [],
    onlyDefaultKey: true,
    allowInsecureBind: false,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    maxClockSkewSeconds: DEFAULTS.maxClockSkewSeconds,
    functionRetryDelaySeconds: DEFAULTS.functionRetryDelaySeconds,
    ...over,
  };
}

export interface Kit {
  deps: ServiceDeps;
  close(): Promise<void>;
}

/** Real dependencies over an in-memory store (or the given data dir) and a fresh master key. */
export async function kit(opts: { publicUrl: string; dataDir?: string; smtp?: SmtpConfig; secrets?: SecretBox }): Promise<Kit> {
  const store = await openSqliteStore(opts.dataDir ?? ':memory:');
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock: systemClock, log, targets, tuning: { pollMs: 20 } });
  const deps: ServiceDeps = {
    config: config({ publicUrl: opts.publicUrl, dataDir: opts.dataDir ?? ':memory:', smtp: opts.smtp }),
    store,
    secrets: opts.secrets ?? SecretBox.fromKey(randomBytes(32)),
    clock: systemClock,
    log,
    deliveries,
    targets,
    metrics: new MetricsHub(), logs: new LogsHub(),
  };
  return {
    deps,
    close: async () => {
      await deliveries.stop(0);
      await store.close();
    },
  };
}

/** A notification as the topics service would hand it over; fields replaced by `over`. */
export function delivery(over: Partial<SnsDelivery> = {}): SnsDelivery {
  return {
    type: 'Notification',
    protocol: 'http',
    endpoint: 'http://127.0.0.1:9/',
    subscriptionArn: SUB,
    topicArn: TOPIC,
    region: 'eu-west-1',
    accountId: '111122223333',
    messageId: 'b1946ac9-2f4e-5d7c-9e1a-3f6b8c2d4e5a',
    message: 'Hello from SNS!',
    timestamp: '2024-05-01T10:05:41.123Z',
    raw: false,
    signatureVersion: '1',
    ...over,
  };
}

let jobIds = 0;
export function job(payload: unknown, kind = 'sns.http'): Job {
  const d = payload as Partial<SnsDelivery>;
  return { id: ++jobIds, kind, source: 'sns', target: d.endpoint ?? '', payload, attempt: 1, createdAt: Date.now() };
}

/** The CloudWatch alarm message of aws-behaviour §2.a. */
export const ALARM_MESSAGE = JSON.stringify({
  AlarmName: 'HighCPU',
  AlarmDescription: 'CPU above 80% on the web tier',
  AWSAccountId: '111122223333',
  AlarmConfigurationUpdatedTimestamp: '2024-05-01T10:00:00.123+0000',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [99.5 (01/05/24 10:04:00)] was greater than the threshold (80.0) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2024-05-01T10:05:40.989+0000',
  Region: 'EU (Ireland)',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:HighCPU',
  OldStateValue: 'OK',
  OKActions: [TOPIC],
  AlarmActions: [TOPIC],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: 'CPUUtilization',
    Namespace: 'AWS/EC2',
    StatisticType: 'Statistic',
    Statistic: 'AVERAGE',
    Unit: null,
    Dimensions: [{ value: 'i-0abc', name: 'InstanceId' }],
    Period: 300,
    EvaluationPeriods: 2,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 80.0,
    TreatMissingData: '',
    EvaluateLowSampleCountPercentile: '',
  },
});
