/**
 * @module config/load
 * The only place that reads configuration: defaults < config file < environment < flags.
 * Every value is validated here, once, with an error that names its source
 * (`--port`, `SIGNALBOX_PORT`, `config.json: port`), so a bad value stops start-up with a clear
 * message instead of surfacing later as a strange failure.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { SignalboxError } from '../core/errors.js';
import { DEFAULT_KEY, DEFAULTS, type AccessKey, type Config, type LogLevel, type SmtpConfig } from './schema.js';

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** What `signalbox start` accepts on the command line (already split by the CLI). */
export interface StartFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  publicUrl?: string;
  config?: string;
  logLevel?: string;
  allowInsecureBind?: boolean;
}

/** The config file (JSON). All keys optional. */
interface FileConfig {
  host?: unknown;
  port?: unknown;
  dataDir?: unknown;
  publicUrl?: unknown;
  logLevel?: unknown;
  region?: unknown;
  accountId?: unknown;
  keys?: unknown;
  disableDefaultKey?: unknown;
  allowInsecureBind?: unknown;
  maxBodyBytes?: unknown;
  functionRetryDelaySeconds?: unknown;
  smtp?: unknown;
}

type Raw = { value: unknown; source: string };

function bad(source: string, why: string): never {
  throw new SignalboxError('ERR_CONFIG', `${source}: ${why}`);
}

function pick(...candidates: Raw[]): Raw | undefined {
  // last defined wins: callers list sources from lowest to highest precedence
  let found: Raw | undefined;
  for (const c of candidates) if (c.value !== undefined && c.value !== '') found = c;
  return found;
}

function str(r: Raw | undefined, fallback: string): string {
  if (!r) return fallback;
  if (typeof r.value !== 'string') bad(r.source, `must be a string, got ${JSON.stringify(r.value)}`);
  return r.value;
}

function int(r: Raw | undefined, fallback: number, min: number, max: number): number {
  if (!r) return fallback;
  const n = typeof r.value === 'number' ? r.value : typeof r.value === 'string' && /^\d+$/.test(r.value.trim()) ? Number(r.value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) bad(r.source, `must be an integer from ${min} to ${max}, got ${JSON.stringify(r.value)}`);
  return n;
}

function bool(r: Raw | undefined, fallback: boolean): boolean {
  if (!r) return fallback;
  if (typeof r.value === 'boolean') return r.value;
  if (typeof r.value === 'string' && /^(1|true|yes)$/i.test(r.value)) return true;
  if (typeof r.value === 'string' && /^(0|false|no)$/i.test(r.value)) return false;
  return bad(r.source, `must be true or false, got ${JSON.stringify(r.value)}`);
}

const FILE_KEYS: readonly (keyof FileConfig)[] = [
  'host', 'port', 'dataDir', 'publicUrl', 'logLevel', 'region', 'accountId', 'keys', 'disableDefaultKey', 'allowInsecureBind', 'maxBodyBytes', 'smtp',
];

function readFileConfig(path: string): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SignalboxError('ERR_CONFIG_FILE', `cannot read config file ${path}: ${(e as Error).message}`);
  }
  let config: FileConfig;
  try {
    const parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be an object');
    config = parsed as FileConfig;
  } catch (e) {
    throw new SignalboxError('ERR_CONFIG_FILE', `config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  // a misspelt key would otherwise be ignored without a word
  const unknown = Object.keys(config).filter((k) => !(FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length) bad(path, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${FILE_KEYS.join(', ')})`);
  return config;
}

function parseKeys(r: Raw | undefined, accountId: string): AccessKey[] {
  if (!r) return [];
  if (!Array.isArray(r.value)) bad(r.source, 'must be a list of {accessKeyId, secretAccessKey[, accountId]}');
  return r.value.map((k, i) => {
    const where = `${r.source}[${i}]`;
    if (!k || typeof k !== 'object') bad(where, 'must be an object');
    const { accessKeyId, secretAccessKey, accountId: acct } = k as Record<string, unknown>;
    if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(accessKeyId)) bad(`${where}.accessKeyId`, 'must be 1–128 letters or digits');
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length < 1) bad(`${where}.secretAccessKey`, 'must be a non-empty string');
    if (acct !== undefined && (typeof acct !== 'string' || !/^\d{12}$/.test(acct))) bad(`${where}.accountId`, 'must be 12 digits');
    return { accessKeyId, secretAccessKey, accountId: (acct as string | undefined) ?? accountId };
  });
}

function parseSmtp(r: Raw | undefined): SmtpConfig | undefined {
  if (!r) return undefined;
  const v = r.value as Record<string, unknown>;
  if (!v || typeof v !== 'object') bad(r.source, 'must be an object {host, port, secure?, user?, pass?, from}');
  if (typeof v.host !== 'string' || !v.host) bad(`${r.source}.host`, 'must be a host name');
  const port = int({ value: v.port ?? 25, source: `${r.source}.port` }, 25, 1, 65535);
  return {
    host: v.host,
    port,
    secure: bool(v.secure === undefined ? undefined : { value: v.secure, source: `${r.source}.secure` }, port === 465),
    user: v.user === undefined ? undefined : str({ value: v.user, source: `${r.source}.user` }, ''),
    pass: v.pass === undefined ? undefined : str({ value: v.pass, source: `${r.source}.pass` }, ''),
    from: str(v.from === undefined ? undefined : { value: v.from, source: `${r.source}.from` }, 'signalbox@localhost'),
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * Resolves the configuration for `signalbox start`.
 * @param env usually `process.env`; passed in so tests need not mutate the process
 */
export function loadConfig(flags: StartFlags, env: NodeJS.ProcessEnv): Config {
  const configPath = flags.config ?? env.SIGNALBOX_CONFIG;
  const file: FileConfig = configPath ? readFileConfig(configPath) : {};
  const f = (k: keyof FileConfig): Raw => ({ value: file[k], source: `${configPath}: ${k}` });
  const e = (k: string): Raw => ({ value: env[k], source: k });
  const fl = (k: keyof StartFlags, name: string): Raw => ({ value: flags[k], source: `--${name}` });

  const host = str(pick(f('host'), e('SIGNALBOX_HOST'), fl('host', 'host')), DEFAULTS.host);
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) bad('host', `not a host name or address: ${host}`);
  const port = int(pick(f('port'), e('SIGNALBOX_PORT'), fl('port', 'port')), DEFAULTS.port, 0, 65535);
  const dataDir = resolve(str(pick(f('dataDir'), e('SIGNALBOX_DATA_DIR'), fl('dataDir', 'data-dir')), DEFAULTS.dataDir));

  const logRaw = pick(f('logLevel'), e('SIGNALBOX_LOG_LEVEL'), fl('logLevel', 'log-level'));
  const logLevel = str(logRaw, DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) bad(logRaw!.source, `must be one of ${LOG_LEVELS.join(', ')}, got ${logLevel}`);

  const regionRaw = pick(f('region'), e('SIGNALBOX_REGION'));
  const region = str(regionRaw, DEFAULTS.region);
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) bad(regionRaw!.source, `not an AWS region name: ${region}`);
  const acctRaw = pick(f('accountId'), e('SIGNALBOX_ACCOUNT_ID'));
  const accountId = str(acctRaw, DEFAULTS.accountId);
  if (!/^\d{12}$/.test(accountId)) bad(acctRaw!.source, `must be 12 digits, got ${accountId}`);

  const publicRaw = pick(f('publicUrl'), e('SIGNALBOX_PUBLIC_URL'), fl('publicUrl', 'public-url'));
  let publicUrl: string;
  if (publicRaw) {
    const s = str(publicRaw, '');
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      bad(publicRaw.source, `not a URL: ${s}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') bad(publicRaw.source, `must be an http(s) URL, got ${s}`);
    publicUrl = s.replace(/\/+$/, '');
  } else {
    // the listening address; a wildcard bind is reachable from this machine as localhost
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    publicUrl = `http://${shown}:${port}`;
  }

  const extraKeys = parseKeys(pick(f('keys')), accountId);
  const disableDefault = bool(pick(f('disableDefaultKey'), e('SIGNALBOX_DISABLE_DEFAULT_KEY')), false);
  const keys = [...(disableDefault ? [] : [{ ...DEFAULT_KEY, accountId }]), ...extraKeys];
  if (keys.length === 0) bad('keys', 'no access key is left: add keys to the config file or keep the default one');
  const onlyDefaultKey = extraKeys.length === 0;

  const allowInsecureBind = bool(pick(f('allowInsecureBind'), e('SIGNALBOX_ALLOW_INSECURE_BIND'), { value: flags.allowInsecureBind, source: '--allow-insecure-bind' }), false);
  if (!isLoopback(host) && onlyDefaultKey && !allowInsecureBind) {
    throw new SignalboxError(
      'ERR_INSECURE_BIND',
      `refusing to listen on ${host}: only the well-known default key test/test is configured, so anyone who can reach this address could use Signalbox. ` +
        'Add keys in the config file ("keys": [...]) and set "disableDefaultKey": true, or pass --allow-insecure-bind if you really mean it.',
    );
  }

  const masterKey = env.SIGNALBOX_MASTER_KEY || undefined;
  if (masterKey !== undefined && Buffer.from(masterKey, 'base64').length !== 32) bad('SIGNALBOX_MASTER_KEY', 'must be the base64 of 32 bytes');

  return {
    host,
    port,
    publicUrl,
    dataDir,
    logLevel,
    region,
    accountId,
    keys,
    onlyDefaultKey,
    allowInsecureBind,
    masterKey,
    maxBodyBytes: int(pick(f('maxBodyBytes')), DEFAULTS.maxBodyBytes, 1024, 1024 * 1024 * 1024),
    maxClockSkewSeconds: DEFAULTS.maxClockSkewSeconds,
    functionRetryDelaySeconds: int(pick(f('functionRetryDelaySeconds'), e('SIGNALBOX_FUNCTION_RETRY_DELAY_SECONDS')), DEFAULTS.functionRetryDelaySeconds, 0, 3600),
    smtp: parseSmtp(pick(f('smtp'))),
  };
}
