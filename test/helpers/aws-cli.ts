/**
 * Runs the real AWS CLIs against a test server:
 * - `aws1`: `aws` on PATH, CLI v1 with botocore 1.43 (JSON 1.0 for CloudWatch and SQS)
 * - `aws2`: `/usr/bin/aws`, Debian's awscli 2.9 (Query for CloudWatch, SQS and SNS)
 * Each call costs about a second of Python start-up: use them for smoke paths, the SDK for breadth.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON */
  json?: any;
}

export const AWS2_PATH = '/usr/bin/aws';
export const hasAws2 = existsSync(AWS2_PATH);

function run(bin: string, url: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      bin,
      ['--endpoint-url', url, '--output', 'json', ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_REGION: 'us-east-1',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
          AWS_RETRY_MODE: 'standard',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          ...env,
        },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
        let json: any;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

export const aws1 = (server: { url: string }, args: string[], env?: Record<string, string>) => run('aws', server.url, args, env);
export const aws2 = (server: { url: string }, args: string[], env?: Record<string, string>) => run(AWS2_PATH, server.url, args, env);

/** The result of a call that must succeed (the assertion quotes the CLI's stderr). */
export function cliOk(r: CliResult): CliResult {
  assert.equal(r.code, 0, `CLI failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
}

/** Both CLIs, for tests that run one path on each side by side (v2 skipped where not installed). */
export const BOTH_CLIS = [
  { label: 'CLI v1 (JSON 1.0)', run: aws1, cli: 'v1', skip: false },
  { label: 'Debian CLI v2.9 (Query)', run: aws2, cli: 'v2', skip: !hasAws2 },
] as const;
