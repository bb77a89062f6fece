/**
 * A three-method-and-a-half logger. Every message passes through the runtime's Redactor before it
 * reaches a sink, so no log line can carry a secret.
 */
import type { Redactor } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing `level: message` lines to `write`, at `level` and above, redacted. */
export function createLogger(
  write: (line: string) => void,
  redactor: Redactor,
  level: LogLevel = 'warn',
): Logger {
  const emit = (at: LogLevel) => (message: string) => {
    if (ORDER[at] >= ORDER[level]) write(`${at}: ${redactor.redact(message)}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
