'use strict';
/**
 * Errors in the shapes Lambda's Node runtimes use: the invoke response carries
 * `{ errorType, errorMessage, trace }`, the log line carries the same with `stack`.
 */

/** An error the runtime raises about user code (Runtime.ImportModuleError, Runtime.HandlerNotFound…). */
class RuntimeError extends Error {
  constructor(errorType, message) {
    super(message);
    this.name = errorType;
  }
}

function isErrorLike(e) {
  return e instanceof Error || (e !== null && typeof e === 'object' && typeof e.message === 'string' && typeof e.stack === 'string');
}

function describe(e) {
  if (isErrorLike(e)) {
    return { errorType: String(e.name || 'Error'), errorMessage: String(e.message), lines: String(e.stack || '').split('\n') };
  }
  let message;
  try {
    message = typeof e === 'string' ? e : JSON.stringify(e);
  } catch {
    message = String(e);
  }
  return { errorType: typeof e, errorMessage: message === undefined ? String(e) : message, lines: [] };
}

/** The body posted to /invocation/{id}/error or /init/error. */
function errorPayload(e) {
  const d = describe(e);
  return { errorType: d.errorType, errorMessage: d.errorMessage, trace: d.lines };
}

/** The JSON logged next to "Invoke Error" / "Uncaught Exception". */
function loggedError(e) {
  const d = describe(e);
  return JSON.stringify({ errorType: d.errorType, errorMessage: d.errorMessage, stack: d.lines });
}

module.exports = { RuntimeError, errorPayload, loggedError };
