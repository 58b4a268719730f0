/**
 * The Runtime API as a custom runtime sees it: headers of /next, and the status codes and error
 * bodies Lambda answers a runtime that calls out of turn. The bootstrap here is a Node script
 * that probes the API and reports what it heard.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './harness.test.js';

const PROBING_BOOTSTRAP = `#!${process.execPath}
const http = require('node:http');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const base = '/2018-06-01/runtime';
const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, method, path: base + path, headers }, (res) => {
    let text = '';
    res.on('data', (d) => (text += d));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
  });
  req.on('error', reject);
  req.end(body);
});
const brief = (r) => ({ status: r.status, body: r.body ? JSON.parse(r.body) : undefined });
(async () => {
  const next = await call('GET', '/invocation/next');
  const id = next.headers['lambda-runtime-aws-request-id'];
  const probes = {
    initErrorAfterInit: brief(await call('POST', '/init/error', '{}', { 'Lambda-Runtime-Function-Error-Type': 'X' })),
    wrongRequestId: brief(await call('POST', '/invocation/not-' + id + '/response', '{}')),
    nextWhileBusy: brief(await call('GET', '/invocation/next')),
    unknownRoute: brief(await call('GET', '/nowhere')),
  };
  const h = next.headers;
  const first = await call('POST', '/invocation/' + id + '/response', JSON.stringify({
    probes, event: JSON.parse(next.body),
    headers: { contentType: h['content-type'], deadline: Number(h['lambda-runtime-deadline-ms']), arn: h['lambda-runtime-invoked-function-arn'], trace: h['lambda-runtime-trace-id'], clientContext: h['lambda-runtime-client-context'] },
  }));
  const again = await call('POST', '/invocation/' + id + '/response', '{}');
  const second = await call('GET', '/invocation/next');
  await call('POST', '/invocation/' + second.headers['lambda-runtime-aws-request-id'] + '/response', JSON.stringify({ first: brief(first), again: brief(again) }));
  for (;;) {
    const n = await call('GET', '/invocation/next');
    // an error with no body: Lambda builds the document from the header
    await call('POST', '/invocation/' + n.headers['lambda-runtime-aws-request-id'] + '/error', '', { 'Lambda-Runtime-Function-Error-Type': 'Custom.NoBody' });
  }
})();
`;

describe('Runtime API', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  it('serves /next with the invocation headers and answers calls out of turn as Lambda does', async () => {
    const codeDir = h.code({ '!bootstrap': PROBING_BOOTSTRAP });
    const spec = h.spec({ runtime: 'provided.al2023', handler: 'probe', codeDir, timeoutSeconds: 9 });
    const clientContext = Buffer.from(JSON.stringify({ custom: { café: 'crème' } }, null, 2)).toString('base64');
    const before = Date.now();
    const out = await h.invoke(spec, { ping: 1 }, { clientContext, traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' });
    assert.equal(out.functionError, undefined, out.payload.toString());
    const { probes, event, headers } = out.json;
    assert.deepEqual(event, { ping: 1 });
    assert.equal(headers.contentType, 'application/json');
    assert.ok(headers.deadline >= before + 9000 && headers.deadline <= Date.now() + 9000, String(headers.deadline - before));
    assert.equal(headers.arn, `arn:aws:lambda:eu-west-1:111122223333:function:${spec.functionName}`);
    assert.equal(headers.trace, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
    assert.deepEqual(JSON.parse(headers.clientContext), { custom: { café: 'crème' } });
    assert.equal(probes.initErrorAfterInit.status, 403);
    assert.equal(probes.initErrorAfterInit.body.errorType, 'InvalidStateTransition');
    assert.deepEqual(probes.wrongRequestId, { status: 400, body: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' } });
    assert.equal(probes.nextWhileBusy.status, 403);
    assert.equal(probes.nextWhileBusy.body.errorType, 'InvalidStateTransition');
    assert.equal(probes.unknownRoute.status, 404);

    const second = await h.invoke(spec, {});
    assert.deepEqual(second.json.first, { status: 202, body: { status: 'OK' } });
    assert.equal(second.json.again.status, 403, 'a second response to the same invocation');
    assert.equal(second.json.again.body.errorType, 'InvalidStateTransition');

    const third = await h.invoke(spec, {});
    assert.equal(third.functionError, 'Unhandled');
    assert.equal(third.errorType, 'Custom.NoBody');
    assert.deepEqual(third.json, { errorType: 'Custom.NoBody', errorMessage: '' });
  });
});
