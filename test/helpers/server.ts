/**
 * Starts the built Signalbox (`dist/cli/main.js start`) as a real child process on a free
 * loopback port with its own data dir, and stops it again. Run `npm run build` first
 * (scripts/test.sh does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const REGION = 'us-east-1';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  /** everything the process wrote to stdout and stderr so far */
  output(): string;
  /** SIGTERM (default) and wait for exit; resolves to the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** stop, then start again on the same port and data dir */
  restart(): Promise<void>;
  /** stop and remove the data dir */
  dispose(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

async function waitHealthy(url: string, proc: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`signalbox exited with ${proc.exitCode}:\n${out()}`);
    try {
      const r = await fetch(`${url}/_signalbox/health`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`signalbox not healthy after 20 s:\n${out()}`);
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sbx-test-'));
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  let proc!: ChildProcess;

  const launch = async () => {
    proc = spawn(process.execPath, [MAIN, 'start', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...(opts.args ?? [])], {
      env: { ...process.env, SIGNALBOX_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (log += d));
    proc.stderr!.on('data', (d) => (log += d));
    await waitHealthy(url, proc, () => log);
  };

  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill(signal);
    });

  await launch();
  return {
    url,
    port,
    dataDir,
    output: () => log,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    dispose: async () => {
      await stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Client configuration for any @aws-sdk/client-* against `server`. */
export function clientConfig(server: { url: string }) {
  return { endpoint: server.url, region: REGION, credentials, maxAttempts: 1 };
}
