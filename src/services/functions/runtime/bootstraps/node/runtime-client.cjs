'use strict';
/**
 * The Lambda Runtime API client of Signalbox's Node runtime: HTTP/1.1 over one keep-alive socket
 * to $AWS_LAMBDA_RUNTIME_API. Requests are strictly sequential (next, then response or error),
 * and the server is Signalbox's, which always answers with a Content-Length, so a few lines over
 * `net` do what `http` would, with a quicker start and less work per invocation.
 *
 * The socket is unref'd between requests: a connection at rest never holds the event loop open
 * (callback handlers that wait for an empty event loop rely on that).
 */
const net = require('node:net');

const address = process.env.AWS_LAMBDA_RUNTIME_API || '';
const colon = address.lastIndexOf(':');
const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
const port = Number(address.slice(colon + 1));
const BASE = '/2018-06-01/runtime';
const HEAD_END = Buffer.from('\r\n\r\n');

let socket;
let received = Buffer.alloc(0);
let waiting; // { resolve, reject } of the request in flight

function connection() {
  if (socket && !socket.destroyed) return socket;
  socket = net.connect({ host, port, noDelay: true });
  received = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    parse();
  });
  const fail = (err) => {
    socket = undefined;
    const w = waiting;
    waiting = undefined;
    if (w) w.reject(err || new Error('the Runtime API closed the connection'));
  };
  socket.on('error', fail);
  socket.on('close', () => fail());
  return socket;
}

function parse() {
  if (!waiting) return;
  const headEnd = received.indexOf(HEAD_END);
  if (headEnd === -1) return;
  const lines = received.toString('latin1', 0, headEnd).split('\r\n');
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const at = lines[i].indexOf(':');
    if (at > 0) headers[lines[i].slice(0, at).trim().toLowerCase()] = lines[i].slice(at + 1).trim();
  }
  const length = Number(headers['content-length'] || 0);
  const bodyStart = headEnd + 4;
  if (received.length < bodyStart + length) return;
  const body = received.subarray(bodyStart, bodyStart + length);
  received = received.subarray(bodyStart + length);
  const w = waiting;
  waiting = undefined;
  socket.unref();
  w.resolve({ status: Number(lines[0].split(' ')[1]), headers, body });
}

function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const s = connection();
    s.ref();
    waiting = { resolve, reject };
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    let head = `${method} ${BASE}${path} HTTP/1.1\r\nHost: ${address}\r\nContent-Length: ${payload ? payload.length : 0}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    s.write(payload ? Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), payload]) : `${head}\r\n`);
  });
}

/** Fails loudly: an answer the runtime cannot act on means the sandbox is broken, so the runtime exits. */
function expect(r, status, what) {
  if (r.status !== status) {
    throw new Error(`Runtime API ${what} answered ${r.status}: ${r.body.toString('utf8').slice(0, 500)}`);
  }
  return r;
}

function parseJsonHeader(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

async function nextInvocation() {
  const r = expect(await request('GET', '/invocation/next'), 200, 'next');
  const h = r.headers;
  return {
    requestId: h['lambda-runtime-aws-request-id'],
    deadlineMs: Number(h['lambda-runtime-deadline-ms']),
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    traceId: h['lambda-runtime-trace-id'],
    clientContext: parseJsonHeader(h['lambda-runtime-client-context']),
    cognitoIdentity: parseJsonHeader(h['lambda-runtime-cognito-identity']),
    body: r.body,
  };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

async function postResponse(requestId, body) {
  const r = await request('POST', `/invocation/${requestId}/response`, JSON_HEADERS, body);
  // 413: the response was too large; the invocation already failed with Function.ResponseSizeTooLarge
  // and this environment may serve the next one.
  if (r.status !== 413) expect(r, 202, 'response');
}

function errorHeaders(errorType) {
  // a header carries visible ASCII only; an error's name could hold anything
  const type = String(errorType || '').replace(/[^\x21-\x7e]/g, '') || 'Unhandled';
  return { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': type };
}

async function postError(requestId, payload) {
  const r = await request('POST', `/invocation/${requestId}/error`, errorHeaders(payload.errorType), JSON.stringify(payload));
  expect(r, 202, 'error');
}

async function postInitError(payload) {
  await request('POST', '/init/error', errorHeaders(payload.errorType), JSON.stringify(payload));
}

/** Answers the invocation, then asks for the next one; `posted` runs once the answer is accepted. */
async function respondAndNext(requestId, body, posted) {
  await postResponse(requestId, body);
  posted();
  return nextInvocation();
}

async function failAndNext(requestId, payload, posted) {
  await postError(requestId, payload);
  posted();
  return nextInvocation();
}

module.exports = { nextInvocation, respondAndNext, failAndNext, postError, postInitError };
