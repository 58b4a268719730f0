/** Configuration: precedence (defaults < file < env < flags) and clear errors for bad values. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SignalboxError } from '../core/errors.js';
import { loadConfig } from './load.js';

const tmp = mkdtempSync(join(tmpdir(), 'sbx-config-'));
function file(content: unknown): string {
  const p = join(tmp, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
function fails(fn: () => unknown, code: string, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof SignalboxError && e.code === code && pattern.test(e.message));
}

test('defaults: loopback, 4566, the default key, public URL = listening address', () => {
  const c = loadConfig({}, {});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 4566);
  assert.equal(c.publicUrl, 'http://127.0.0.1:4566');
  assert.equal(c.accountId, '000000000000');
  assert.equal(c.region, 'us-east-1');
  assert.deepEqual(c.keys, [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' }]);
  assert.equal(c.onlyDefaultKey, true);
});

test('flags beat environment, environment beats the file', () => {
  const cfg = file({ port: 1111, host: '127.0.0.2', dataDir: '/tmp/from-file' });
  const c = loadConfig({ config: cfg, port: '3333' }, { SIGNALBOX_PORT: '2222', SIGNALBOX_HOST: '127.0.0.3' });
  assert.equal(c.port, 3333);
  assert.equal(c.host, '127.0.0.3');
  assert.equal(c.dataDir, '/tmp/from-file');
  assert.equal(c.publicUrl, 'http://127.0.0.3:3333');
});

test('an explicit public URL is used as given, without a trailing slash', () => {
  assert.equal(loadConfig({ publicUrl: 'https://sbx.example.com/' }, {}).publicUrl, 'https://sbx.example.com');
  assert.equal(loadConfig({}, { SIGNALBOX_PUBLIC_URL: 'http://10.0.0.5:4566' }).publicUrl, 'http://10.0.0.5:4566');
});

test('bad values name their source', () => {
  fails(() => loadConfig({ port: 'abc' }, {}), 'ERR_CONFIG', /^--port: must be an integer from 0 to 65535/);
  fails(() => loadConfig({}, { SIGNALBOX_PORT: '70000' }), 'ERR_CONFIG', /^SIGNALBOX_PORT:/);
  fails(() => loadConfig({ publicUrl: 'not a url' }, {}), 'ERR_CONFIG', /^--public-url: not a URL/);
  fails(() => loadConfig({ publicUrl: 'ftp://x' }, {}), 'ERR_CONFIG', /must be an http\(s\) URL/);
  fails(() => loadConfig({ logLevel: 'loud' }, {}), 'ERR_CONFIG', /--log-level: must be one of/);
  fails(() => loadConfig({}, { SIGNALBOX_MASTER_KEY: 'c2hvcnQ=' }), 'ERR_CONFIG', /SIGNALBOX_MASTER_KEY/);
  fails(() => loadConfig({ config: file({ keys: [{ accessKeyId: 'AK', secretAccessKey: '' }] }) }, {}), 'ERR_CONFIG', /keys\[0\]\.secretAccessKey/);
  fails(() => loadConfig({ config: file('{ nope') }, {}), 'ERR_CONFIG_FILE', /is not valid JSON/);
  fails(() => loadConfig({ config: file({ prot: 1 }) }, {}), 'ERR_CONFIG', /unknown key prot \(known: host, port/);
  fails(() => loadConfig({ config: join(tmp, 'missing.json') }, {}), 'ERR_CONFIG_FILE', /cannot read config file/);
});

test('refuses a non-loopback address while only the default key exists, unless told', () => {
  fails(() => loadConfig({ host: '0.0.0.0' }, {}), 'ERR_INSECURE_BIND', /only the well-known default key/);
  assert.equal(loadConfig({ host: '0.0.0.0', allowInsecureBind: true }, {}).host, '0.0.0.0');
  assert.equal(loadConfig({ host: '0.0.0.0' }, { SIGNALBOX_ALLOW_INSECURE_BIND: 'true' }).publicUrl, 'http://localhost:4566');
  const withKeys = file({ keys: [{ accessKeyId: 'AKIAPROD', secretAccessKey: 's3cret' }], disableDefaultKey: true });
  const c = loadConfig({ host: '0.0.0.0', config: withKeys }, {});
  assert.deepEqual(c.keys.map((k) => k.accessKeyId), ['AKIAPROD']);
  assert.equal(c.onlyDefaultKey, false);
});
