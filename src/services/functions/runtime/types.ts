/**
 * @module services/functions/runtime/types
 * The contract between the Lambda API (which stores functions and versions) and the runtime
 * (which runs them as child processes that speak the Lambda Runtime API).
 */

/** Everything needed to start an instance of one function version. */
export interface FunctionSpec {
  /** unique per function version and configuration: instances are pooled (and retired) by it */
  key: string;
  accountId: string;
  region: string;
  functionName: string;
  /** '$LATEST' or '1', '2', … */
  version: string;
  /** nodejs18.x | nodejs20.x | nodejs22.x | python3.9 … python3.13 | provided.al2 | provided.al2023 */
  runtime: string;
  handler: string;
  /**
   * the unpacked deployment package (AWS's /var/task), read-only to the function. Where the
   * runtime cannot mount it read-only (no mount namespace), it takes the write bits off this tree
   * and the layers' (chmod a-w): restore them with `makeTreeWritable` before deleting the tree.
   */
  codeDir: string;
  /** unpacked layers in the function's order (each AWS's /opt content); later ones win */
  layerDirs: string[];
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMb: number;
  /** /aws/lambda/<name> unless the function's LoggingConfig says otherwise */
  logGroupName: string;
  /** the execution role: instances' SDK calls act as its session */
  roleArn?: string;
}

/** Credentials an instance's SDK calls sign with, and where they go. */
export interface InstanceAccess {
  endpointUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  /** the ARN the caller used (qualified or not): Lambda-Runtime-Invoked-Function-Arn */
  invokedFunctionArn: string;
  /** base64 JSON, as the Invoke API's X-Amz-Client-Context */
  clientContext?: string;
  /** X-Ray trace header (Lambda-Runtime-Trace-Id, _X_AMZN_TRACE_ID); one is made up when absent */
  traceId?: string;
}

export interface InvokeOutcome {
  /** the handler's response, or AWS's error JSON ({ errorMessage, errorType, stackTrace? }) */
  payload: Buffer;
  /** set when the payload is an error: AWS answers X-Amz-Function-Error: Unhandled */
  functionError?: 'Unhandled';
  /** errorType when functionError is set (Runtime.ExitError, Sandbox.Timedout…) */
  errorType?: string;
  /**
   * this invocation's log lines as written to the log stream, START … REPORT (on a cold start the
   * init output before START too), one per line; only the last `logTailBytes` (4 KB by default:
   * what Invoke's X-Amz-Log-Result carries) are kept
   */
  logText: string;
  logStreamName: string;
  durationMs: number;
  billedDurationMs: number;
  /** set on a cold start */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
}

export interface LogSink {
  /** lines of one instance's log stream, called as they are written (batched) */
  (spec: FunctionSpec, logStreamName: string, lines: Array<{ timestamp: number; message: string }>): void;
}
