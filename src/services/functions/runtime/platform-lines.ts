/**
 * @module services/functions/runtime/platform-lines
 * The lines Lambda itself writes to a function's log stream (START, END, REPORT, INIT_REPORT,
 * the timeout notice) and the error documents it answers with when the runtime cannot: a
 * timeout, a runtime that exited, one killed for its memory, a response over 6 MB.
 *
 * REPORT uses the current format: tab-separated fields, `Billed Duration` rounding up the
 * duration plus any init duration (init is billed since 2025), and `Status` / `Error Type` when
 * the environment crashed or timed out.
 */

/** Lambda's synchronous response limit (6 MB as AWS counts it). */
export const MAX_RESPONSE_BYTES = 6_291_556;

export const startLine = (requestId: string, version: string): string => `START RequestId: ${requestId} Version: ${version}`;

export const endLine = (requestId: string): string => `END RequestId: ${requestId}`;

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** set when the environment failed: 'timeout' or 'error' */
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(r: ReportFields): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\t` +
    `Memory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  if (r.status === 'error' && r.errorType) line += `Error Type: ${r.errorType}\t`;
  return line;
}

export function initReportLine(initDurationMs: number, status: 'timeout' | 'error', errorType?: string): string {
  const error = status === 'error' && errorType ? `\tError Type: ${errorType}` : '';
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}${error}`;
}

export function billedDuration(durationMs: number, initDurationMs = 0): number {
  return Math.max(1, Math.ceil(durationMs + initDurationMs));
}

/** "<ISO time> <request id> Task timed out after 3.00 seconds": the log line and the errorMessage. */
export function timeoutMessage(requestId: string, timeoutSeconds: number, at = new Date()): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/** How Lambda words a runtime's end: "exit status 1", "signal: killed". */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_NAMES[signal] ?? signal}`;
  return `exit status ${code ?? 0}`;
}

/** The error message for a runtime that ended mid-invocation (also the log line, with the type). */
export function exitMessage(requestId: string, code: number | null, signal: NodeJS.Signals | null): string {
  if (!signal && code === 0) return `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
  return `RequestId: ${requestId} Error: Runtime exited with error: ${exitDescription(code, signal)}`;
}

export function errorDocument(errorType: string | undefined, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify(errorType ? { errorType, errorMessage } : { errorMessage }));
}

export function responseTooLargeMessage(size: number): string {
  return `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
}
