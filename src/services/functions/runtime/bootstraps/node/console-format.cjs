'use strict';
/**
 * console.* in the shape Lambda's Node runtimes write: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.
 * Newlines inside one message become '\r' so the message stays one log event (Signalbox turns
 * them back into '\n' when it reads the line), as the managed runtimes do on a plain stdout pipe.
 * Everything goes to stdout, so lines keep their order.
 */
const util = require('node:util');

let requestId = 'undefined';

function setRequestId(id) {
  requestId = id;
}

function logLine(level, message) {
  process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${message.replace(/\n/g, '\r')}\n`);
}

function patchConsole() {
  const levelled = (level) => (...args) => logLine(level, util.format(...args));
  console.log = levelled('INFO');
  console.info = levelled('INFO');
  console.warn = levelled('WARN');
  console.error = levelled('ERROR');
  console.debug = levelled('DEBUG');
  console.trace = (...args) => {
    const holder = { name: 'Trace', message: util.format(...args) };
    Error.captureStackTrace(holder, console.trace);
    logLine('TRACE', holder.stack);
  };
}

/** Waits until everything written to stdout/stderr has reached the pipe (before a response is posted). */
function flushOutput() {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  return Promise.all(pending.map((s) => new Promise((resolve) => s.once('drain', resolve))));
}

module.exports = { patchConsole, setRequestId, logLine, flushOutput };
