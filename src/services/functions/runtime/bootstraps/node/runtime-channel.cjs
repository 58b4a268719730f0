'use strict';
/**
 * The Runtime API client of Signalbox's Node runtime over its private channel: frames over the
 * socket pair Signalbox hands the runtime (the frames are described in runtime-channel.ts). Same
 * calls as runtime-client.cjs (HTTP), but an answer and the next /next go out in one write, and
 * an accepted answer is not acknowledged: a warm invocation is one write and one wake-up each way.
 *
 * The socket is unref'd between calls: a channel at rest never holds the event loop open
 * (callback handlers that wait for an empty event loop rely on that).
 */
const net = require('node:net');

const PREFIX = 10;
const ANSWER = 1;
const T = { next: 0x6e, response: 0x72, tooLarge: 0x62, error: 0x65, initError: 0x69, invocation: 0x76, answer: 0x61 };
/** an answer up to this size is copied into its frame's buffer: one write instead of two */
const COPY_BELOW = 16 * 1024;
const NEXT = frame(T.next, 0, '', undefined);

function frame(type, flags, head, body) {
  const headLength = Buffer.byteLength(head);
  const bodyLength = body ? body.length : 0;
  const out = Buffer.allocUnsafe(PREFIX + headLength + (bodyLength < COPY_BELOW ? bodyLength : 0));
  out[0] = type;
  out[1] = flags;
  out.writeUInt32BE(headLength, 2);
  out.writeUInt32BE(bodyLength, 6);
  out.write(head, PREFIX, 'utf8');
  if (body && bodyLength < COPY_BELOW) body.copy(out, PREFIX + headLength);
  return out;
}

function parseJsonHeader(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function errorType(type) {
  // as a header would carry it (runtime-client.cjs): visible ASCII only
  return String(type || '').replace(/[^\x21-\x7e]/g, '') || 'Unhandled';
}

/** `spec`: "<fd>:<largest response in bytes>", as Signalbox put it in the environment. */
function open(spec) {
  const [fd, limit] = spec.split(':').map(Number);
  const socket = new net.Socket({ fd, readable: true, writable: true });
  socket.unref();
  let chunks = [];
  let buffered = 0;
  let waiting; // { onFrame(type, head, body) → true when done, reject }

  const fail = (err) => {
    const w = waiting;
    waiting = undefined;
    if (w) w.reject(err || new Error('the Runtime API closed the connection'));
  };
  socket.on('error', fail);
  socket.on('close', () => fail());
  socket.on('data', (chunk) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= PREFIX) {
      if (chunks[0].length < PREFIX) chunks = [Buffer.concat(chunks, buffered)];
      const headLength = chunks[0].readUInt32BE(2);
      const total = PREFIX + headLength + chunks[0].readUInt32BE(6);
      if (buffered < total) return;
      if (chunks[0].length < total) chunks = [Buffer.concat(chunks, buffered)];
      const bytes = chunks[0];
      if (bytes.length === total) chunks.shift();
      else chunks[0] = bytes.subarray(total);
      buffered -= total;
      const w = waiting;
      if (w && w.onFrame(bytes[0], bytes.toString('utf8', PREFIX, PREFIX + headLength), bytes.subarray(PREFIX + headLength, total))) {
        waiting = undefined;
        socket.unref();
      }
    }
  });

  /** Writes `frames` (buffers) at once; `written` runs when they are all with the kernel. */
  function send(frames, written) {
    socket.cork();
    for (let i = 0; i < frames.length; i++) socket.write(frames[i], i === frames.length - 1 ? written : undefined);
    socket.uncork();
  }

  function wait(onFrame) {
    return new Promise((resolve, reject) => {
      socket.ref();
      waiting = { onFrame: (type, head, body) => onFrame(type, head, body, resolve, reject), reject };
    });
  }

  /** Refusals the HTTP client would throw on; a response too large (413) is not one of them. */
  function refusal(head, body) {
    const [status, call] = head.split('\n');
    if (status === '413' && call === 'response') return undefined;
    return new Error(`Runtime API ${call} answered ${status}: ${body.toString('utf8').slice(0, 500)}`);
  }

  function untilInvocation() {
    return wait((type, head, body, resolve, reject) => {
      if (type === T.answer) {
        const err = refusal(head, body);
        if (!err) return false;
        reject(err);
        return true;
      }
      const [requestId, deadlineMs, invokedFunctionArn, traceId, clientContext] = head.split('\n');
      resolve({ requestId, deadlineMs: Number(deadlineMs), invokedFunctionArn, traceId, clientContext: parseJsonHeader(clientContext), cognitoIdentity: undefined, body });
      return true;
    });
  }

  /** The frames of a response; its size is checked here, as the HTTP API would check it (413). */
  function responseFrames(requestId, body) {
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length > limit) return [frame(T.tooLarge, 0, `${requestId}\n${bytes.length}`, undefined)];
    const head = frame(T.response, 0, requestId, bytes);
    return bytes.length < COPY_BELOW ? [head] : [head, bytes];
  }

  /** An error document too large for the API arrives without a body, as over HTTP. */
  function errorFrames(type, flags, head, payload) {
    const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
    const body = bytes.length > limit ? Buffer.alloc(0) : bytes;
    const first = frame(type, flags, head, body);
    return body.length < COPY_BELOW ? [first] : [first, body];
  }

  return {
    nextInvocation() {
      const next = untilInvocation();
      send([NEXT]);
      return next;
    },

    /** Answers the invocation and asks for the next one in one write; `posted` runs once the answer is sent. */
    respondAndNext(requestId, body, posted) {
      const next = untilInvocation();
      send([...responseFrames(requestId, body), NEXT], posted);
      return next;
    },

    failAndNext(requestId, payload, posted) {
      const next = untilInvocation();
      send([...errorFrames(T.error, 0, `${requestId}\n${errorType(payload.errorType)}`, payload), NEXT], posted);
      return next;
    },

    /** The error of a crash: waits until Signalbox has it (the process exits next). */
    postError(requestId, payload) {
      const answered = wait((type, head, body, resolve, reject) => {
        if (type !== T.answer) return false;
        if (head.startsWith('202\n')) resolve();
        else reject(refusal(head, body));
        return true;
      });
      send(errorFrames(T.error, ANSWER, `${requestId}\n${errorType(payload.errorType)}`, payload));
      return answered;
    },

    postInitError(payload) {
      const answered = wait((type, head, body, resolve) => {
        if (type !== T.answer) return false;
        resolve();
        return true;
      });
      send(errorFrames(T.initError, ANSWER, errorType(payload.errorType), payload));
      return answered;
    },
  };
}

module.exports = { open };
