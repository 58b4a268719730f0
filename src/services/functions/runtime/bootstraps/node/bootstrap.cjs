'use strict';
/**
 * Signalbox's runtime for nodejs18.x / nodejs20.x / nodejs22.x: loads the handler, then asks the
 * Runtime API for one invocation after another and answers each with the handler's result or
 * error, as Lambda's managed Node runtimes do. Async handlers, callback handlers
 * (callbackWaitsForEmptyEventLoop honoured) and the legacy context.succeed/fail/done all work.
 *
 * An uncaught exception or unhandled rejection fails the current invocation (or the init) and
 * ends the process, so the next invocation gets a fresh environment.
 */
const client = runtimeClient();
const { patchConsole, setRequestId, logLine, flushOutput } = require('./console-format.cjs');
const { loadHandler } = require('./handler-loader.cjs');
const { createContext } = require('./lambda-context.cjs');
const { RuntimeError, errorPayload, loggedError } = require('./invoke-errors.cjs');

/**
 * The private channel when Signalbox offers one (and it can be opened), else the HTTP Runtime API.
 * Its variable is the runtime's business, not the function's: it leaves the environment here.
 */
function runtimeClient() {
  const channel = process.env._SIGNALBOX_RUNTIME_CHANNEL;
  delete process.env._SIGNALBOX_RUNTIME_CHANNEL;
  if (channel) {
    try {
      return require('./runtime-channel.cjs').open(channel);
    } catch {
      // its fd did not reach us (a wrapper script closed it): HTTP does the same
    }
  }
  return require('./runtime-client.cjs');
}

let current; // the invocation being handled, if any
let initialized = false;
let crashing = false;

patchConsole();
process.on('uncaughtException', (err) => crash(err, 'Uncaught Exception', 129));
process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const err = new RuntimeError('Runtime.UnhandledPromiseRejection', text);
  if (reason instanceof Error) err.stack = `Runtime.UnhandledPromiseRejection: ${text}\n${reason.stack}`;
  crash(err, 'Unhandled Promise Rejection', 128);
});

async function crash(err, label, exitCode) {
  if (crashing) return;
  crashing = true;
  logLine('ERROR', `${label} \t${loggedError(err)}`);
  try {
    await flushOutput();
    if (current) await client.postError(current.requestId, errorPayload(err));
    else if (!initialized) await client.postInitError(errorPayload(err));
  } finally {
    process.exit(exitCode);
  }
}

/** Runs the handler once; resolves { ok, value } or { ok: false, error }, never rejects. */
function runHandler(handler, event, context) {
  return new Promise((resolve) => {
    let settled = false;
    let callbackResult;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      process.removeListener('beforeExit', onEmptyEventLoop);
      resolve(result);
    };
    // The event loop ran dry: a callback result that waited for this is final now, and a handler
    // that neither returned a promise nor called back is answered with null, as on Lambda.
    const onEmptyEventLoop = () => settle(callbackResult || { ok: true, value: null });
    const callback = (error, value) => {
      const result = error === undefined || error === null ? { ok: true, value } : { ok: false, error };
      if (context.callbackWaitsForEmptyEventLoop) callbackResult = callbackResult || result;
      else settle(result);
    };
    context.succeed = (value) => callback(null, value);
    context.fail = (error) => callback(error === undefined || error === null ? 'handled' : error);
    context.done = callback;
    process.on('beforeExit', onEmptyEventLoop);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((value) => settle({ ok: true, value }), (error) => settle({ ok: false, error }));
    }
  });
}

function serialize(value) {
  if (value === undefined) return 'null';
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 'null' : json;
  } catch (err) {
    throw new RuntimeError('Runtime.MarshalError', `Unable to stringify response body: ${err && err.message}`);
  }
}

/** The invocation is answered (or failed): it is no longer the runtime's to report a crash on. */
const posted = () => {
  current = undefined;
};

async function failAndNext(requestId, error) {
  logLine('ERROR', `Invoke Error \t${loggedError(error)}`);
  await flushOutput();
  return client.failAndNext(requestId, errorPayload(error), posted);
}

/** Runs one invocation, answers it, and resolves the next one. */
async function handle(handler, invocation) {
  current = invocation;
  setRequestId(invocation.requestId);
  if (invocation.traceId) process.env._X_AMZN_TRACE_ID = invocation.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  let event;
  try {
    event = invocation.body.length ? JSON.parse(invocation.body.toString('utf8')) : null;
  } catch (err) {
    return failAndNext(invocation.requestId, new RuntimeError('Runtime.UnmarshalError', `Unable to parse event: ${err.message}`));
  }
  const result = await runHandler(handler, event, createContext(invocation));
  if (!result.ok) return failAndNext(invocation.requestId, result.error);
  let body;
  try {
    body = serialize(result.value);
  } catch (err) {
    return failAndNext(invocation.requestId, err);
  }
  await flushOutput();
  return client.respondAndNext(invocation.requestId, body, posted);
}

async function serve(handler) {
  let invocation = await client.nextInvocation();
  for (;;) invocation = await handle(handler, invocation);
}

async function main() {
  let handler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER);
  } catch (err) {
    await crash(err, 'Uncaught Exception', 129);
    return;
  }
  initialized = true;
  await serve(handler);
}

main().catch((err) => {
  // the Runtime API failed us (or answered 500): the sandbox is gone, so is this process
  logLine('ERROR', `Runtime Error \t${loggedError(err)}`);
  process.exit(1);
});
