/**
 * @module core/logs
 * The logs port: how a service writes to CloudWatch Logs without importing the logs service.
 *
 * The logs service provides the implementation (`hub.provide`); functions write each
 * invocation's START / END / REPORT lines and the process's output to `/aws/lambda/<name>`
 * through `append`, which creates the group and stream when they are missing, as Lambda's
 * execution role does on AWS.
 */

export interface LogScope {
  accountId: string;
  region: string;
}

export interface LogLine {
  /** epoch ms */
  timestamp: number;
  message: string;
}

export interface LogsProvider {
  append(scope: LogScope, group: string, stream: string, lines: readonly LogLine[]): Promise<void>;
}

export class LogsHub {
  private provider: LogsProvider | undefined;

  provide(p: LogsProvider): void {
    this.provider = p;
  }

  /** Appends lines to a group's stream, creating both if needed; without a logs service they are dropped. */
  async append(scope: LogScope, group: string, stream: string, lines: readonly LogLine[]): Promise<void> {
    if (this.provider && lines.length > 0) await this.provider.append(scope, group, stream, lines);
  }
}
