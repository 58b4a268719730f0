/**
 * @module core/log
 * Structured logs (pino, JSON lines on stderr). Secret-bearing fields are redacted by path so
 * that a careless `log.info({ input })` cannot leak a SecureString or a key.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config/schema.js';

export type Logger = PinoLogger;

const REDACT = [
  'secretAccessKey', '*.secretAccessKey', 'masterKey', '*.masterKey', 'pass', '*.pass',
  'input.Value', 'input.Values', '*.Value', 'authorization', 'headers.authorization',
];

export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, destination as pino.DestinationStream);
}
