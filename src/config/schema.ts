/**
 * @module config/schema
 * The resolved configuration: the one object every part of Signalbox is handed.
 * Nothing outside `config/load.ts` reads `process.env`, flags or the config file.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** account the key belongs to (default: the configured account) */
  accountId: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
}

export interface Config {
  host: string;
  port: number;
  /** base of every URL Signalbox hands out, without a trailing slash */
  publicUrl: string;
  dataDir: string;
  logLevel: LogLevel;
  region: string;
  accountId: string;
  /** accepted SigV4 keys; the default test/test key is first unless disabled */
  keys: AccessKey[];
  /** true when the only key is the well-known default one */
  onlyDefaultKey: boolean;
  /** listen beyond loopback even with only the default key */
  allowInsecureBind: boolean;
  /** base64 AES-256 key for secrets at rest; else a key file in the data dir is used */
  masterKey?: string;
  /** largest request body accepted, in bytes */
  maxBodyBytes: number;
  /** how far a request's X-Amz-Date may be from now, in seconds (AWS: 15 minutes) */
  maxClockSkewSeconds: number;
  /**
   * the wait before an asynchronous invocation's first retry after a function error (AWS: 60 s,
   * then twice that); shorter makes local retry loops quick
   */
  functionRetryDelaySeconds: number;
  smtp?: SmtpConfig;
}

export const DEFAULT_KEY: AccessKey = { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' };

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: './.signalbox',
  logLevel: 'info' as LogLevel,
  region: 'us-east-1',
  accountId: '000000000000',
  maxBodyBytes: 8 * 1024 * 1024,
  maxClockSkewSeconds: 900,
  functionRetryDelaySeconds: 60,
};
