/**
 * The engine's log: one JSON object a line (what log collectors parse), every string redacted by
 * the engine's Redactor, so neither an access line nor a runtime message can carry a secret. It is
 * also the runtimes' Logger (their messages become `{"level": ..., "msg": ...}` lines).
 */
import type { Clock } from '../base/clock.js';
import type { Logger, LogLevel } from '../base/log.js';
import type { Redactor } from '../base/redact.js';

export interface EngineLog extends Logger {
  /** A structured line at `level`, with `fields` beside the message. */
  event(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function jsonLog(
  write: (line: string) => void,
  redactor: Redactor,
  clock: Clock,
  level: LogLevel = 'info',
): EngineLog {
  const event = (at: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    const record = { time: new Date(clock.now()).toISOString(), level: at, msg, ...fields };
    write(`${JSON.stringify(redactor.redactValue(record))}\n`);
  };
  return {
    event,
    debug: (msg) => event('debug', msg),
    info: (msg) => event('info', msg),
    warn: (msg) => event('warn', msg),
    error: (msg) => event('error', msg),
  };
}
