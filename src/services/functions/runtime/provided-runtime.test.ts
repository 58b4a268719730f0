/**
 * Custom runtimes (provided.al2, provided.al2023): the function's own `bootstrap`, written in
 * bash here, speaks the Runtime API itself, with curl or with nothing but bash's /dev/tcp.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './harness.test.js';

const CURL_BOOTSTRAP = `#!/bin/bash
set -euo pipefail
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "bootstrap up in $(pwd) for $_HANDLER"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  rm -f "$HEADERS"
  echo "handling $REQUEST_ID"
  RESPONSE="{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\",\\"exec\\":\\"\${AWS_EXECUTION_ENV:-unset}\\",\\"root\\":\\"$LAMBDA_TASK_ROOT\\",\\"pid\\":$$}"
  curl -sS -X POST "$API/invocation/$REQUEST_ID/response" -d "$RESPONSE" > /dev/null
done
`;

const DEV_TCP_BOOTSTRAP = `#!/bin/bash
HOST="\${AWS_LAMBDA_RUNTIME_API%:*}"
PORT="\${AWS_LAMBDA_RUNTIME_API##*:}"
call() { # method, path, body: sets REQUEST_ID and BODY
  exec 3<>"/dev/tcp/$HOST/$PORT"
  printf '%s /2018-06-01/runtime/%s HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\nContent-Length: %s\\r\\n\\r\\n%s' "$1" "$2" "$AWS_LAMBDA_RUNTIME_API" "\${#3}" "$3" >&3
  IFS= read -r status <&3
  while IFS= read -r line <&3; do
    line="\${line%$'\\r'}"
    [ -z "$line" ] && break
    case "\${line,,}" in lambda-runtime-aws-request-id:*) REQUEST_ID="\${line#*: }" ;; esac
  done
  BODY="$(cat <&3)"
  exec 3<&-
}
while true; do
  call GET invocation/next ""
  echo "tcp handling $REQUEST_ID"
  if [ "$BODY" = '{"fail":true}' ]; then
    call POST "invocation/$REQUEST_ID/error" '{"errorMessage":"asked to fail","errorType":"BashError"}'
  else
    call POST "invocation/$REQUEST_ID/response" "{\\"tcp\\":$BODY}"
  fi
done
`;

describe('custom runtime (provided.*)', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  it('runs a bash bootstrap that uses curl, warm across invocations', async (t) => {
    const hasCurl = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((p) => existsSync(p));
    if (!hasCurl) return t.skip('curl is not installed');
    const codeDir = h.code({ '!bootstrap': CURL_BOOTSTRAP });
    const spec = h.spec({ runtime: 'provided.al2023', handler: 'function.handler', codeDir });
    const first = await h.invoke(spec, { n: 1 });
    assert.equal(first.functionError, undefined, first.payload.toString());
    assert.deepEqual(first.json.echo, { n: 1 });
    assert.equal(first.json.handler, 'function.handler');
    assert.equal(first.json.exec, 'unset', 'custom runtimes get no AWS_EXECUTION_ENV');
    assert.equal(first.json.root, codeDir);
    assert.match(first.logText, new RegExp(`^bootstrap up in ${codeDir} for function.handler\\nSTART RequestId: `));
    assert.match(first.logText, /\nhandling req-\S+\nEND RequestId: /);
    const second = await h.invoke(spec, { n: 2 });
    assert.equal(second.json.pid, first.json.pid);
  });

  it('runs a bootstrap with bash /dev/tcp only, from a layer, and reports its errors', async () => {
    const layer = h.code({ '!bootstrap': DEV_TCP_BOOTSTRAP });
    const codeDir = h.code({ 'README': 'no bootstrap here: the layer has it' });
    const spec = h.spec({ runtime: 'provided.al2', handler: 'x', codeDir, layerDirs: [layer] });
    const ok = await h.invoke(spec, { hi: true });
    assert.deepEqual(ok.json, { tcp: { hi: true } }, ok.payload.toString());
    const failed = await h.invoke(spec, { fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.errorType, 'BashError');
    assert.deepEqual(failed.json, { errorMessage: 'asked to fail', errorType: 'BashError' });
  });

  it('fails with Runtime.InvalidEntrypoint when there is no bootstrap', async () => {
    const codeDir = h.code({ 'main.sh': 'echo hi' });
    const out = await h.invoke(h.spec({ runtime: 'provided.al2023', handler: 'x', codeDir }));
    assert.equal(out.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(out.json.errorMessage, /^RequestId: req-\S+ Error: Couldn't find valid bootstrap\(s\): \[.*\/bootstrap\]$/);
  });
});
