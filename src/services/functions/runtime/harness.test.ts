/**
 * @module services/functions/runtime/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): a real FunctionRuntime over a temporary folder, code folders written straight
 * to disk (no zip), and the log lines the runtime hands its sink.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '../../../core/log.js';
import { makeTreeWritable } from './isolation.js';
import { FunctionRuntime, type FunctionRuntimeOptions } from './function-runtime.js';
import type { FunctionSpec, InvokeOutcome, InvokeRequest } from './types.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export interface LoggedLine {
  stream: string;
  group: string;
  message: string;
}

export interface Invoked extends InvokeOutcome {
  /** the payload parsed as JSON (undefined when it is not JSON) */
  json: any;
}

export interface Harness {
  runtime: FunctionRuntime;
  root: string;
  logs: LoggedLine[];
  /** writes files (path → content; a leading '!' marks an executable) into a new folder */
  code(files: Record<string, string>): string;
  spec(overrides: Partial<FunctionSpec> & Pick<FunctionSpec, 'runtime' | 'handler' | 'codeDir'>): FunctionSpec;
  invoke(spec: FunctionSpec, event?: unknown, extra?: Partial<InvokeRequest>): Promise<Invoked>;
  close(): Promise<void>;
}

let counter = 0;

export function harness(options: Partial<FunctionRuntimeOptions> & { base?: string } = {}): Harness {
  const root = mkdtempSync(join(options.base ?? tmpdir(), 'sbx-fn-'));
  const logs: LoggedLine[] = [];
  const runtime = new FunctionRuntime({
    scratchDir: join(root, 'scratch'),
    access: () => ({ endpointUrl: 'http://127.0.0.1:4566', accessKeyId: 'AKIDSIGNALBOXTEST', secretAccessKey: 'test-secret', sessionToken: 'test-token' }),
    onLog: (spec, stream, lines) => {
      for (const l of lines) logs.push({ stream, group: spec.logGroupName, message: l.message });
    },
    log: createLogger('warn'),
    logFlushMs: 5,
    ...options,
  });
  const codeDirs: string[] = [];
  return {
    runtime,
    root,
    logs,
    code(files) {
      const dir = join(root, `code-${++counter}`);
      codeDirs.push(dir);
      for (const [name, content] of Object.entries(files)) {
        const executable = name.startsWith('!');
        const path = join(dir, executable ? name.slice(1) : name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
        if (executable) chmodSync(path, 0o755);
      }
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    spec(o) {
      const n = ++counter;
      const functionName = o.functionName ?? `fn-${n}`;
      return {
        key: `key-${n}`,
        accountId: ACCOUNT,
        region: REGION,
        functionName,
        version: '$LATEST',
        layerDirs: [],
        environment: {},
        timeoutSeconds: 5,
        memorySizeMb: 256,
        logGroupName: `/aws/lambda/${functionName}`,
        ...o,
      };
    },
    async invoke(spec, event = {}, extra = {}) {
      const outcome = await runtime.invoke(spec, {
        requestId: `req-${++counter}-${Math.random().toString(16).slice(2, 10)}`,
        payload: Buffer.from(JSON.stringify(event)),
        invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${spec.functionName}`,
        ...extra,
      });
      let json: unknown;
      try {
        json = JSON.parse(outcome.payload.toString('utf8'));
      } catch {
        json = undefined;
      }
      return { ...outcome, json };
    },
    async close() {
      await runtime.stop();
      for (const d of codeDirs) makeTreeWritable(d);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Lines of one stream, in order. */
export const streamLines = (h: Harness, stream: string): string[] => h.logs.filter((l) => l.stream === stream).map((l) => l.message);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (log lines arrive in batches). */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
