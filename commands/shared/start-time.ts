/**
 * The `start_time` of a Temporary Access Pass: `now`, an ISO 8601 date or time, or a relative time
 * ("2 hours", "in 3 days"). Graph wants `YYYY-MM-DDTHH:MM:SS.000Z` (the reference's format).
 * Parsing happens before any request, so a bad value never creates anything.
 */
import { UserError } from '../../src/base/errors.js';

const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};
const UNIT_ALIASES: Record<string, string> = {
  sec: 'second',
  min: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
};

const RELATIVE = /^(?:in\s+)?(\d+)\s*([a-z]+?)s?(\s+ago)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const LATEST = new Date('9999-12-31T23:59:59.000Z');

/** A pass may not start in the past; this much clock difference is tolerated. */
const PAST_TOLERANCE_MS = 60_000;

function invalid(value: string, why: string): UserError {
  return new UserError(
    `Invalid start_time "${value}": ${why}.`,
    'Use now, an ISO 8601 time such as 2025-03-26T00:00:00Z, or a relative time such as "2 hours" or "in 3 days".',
  );
}

function relative(text: string, now: Date, original: string): Date | undefined {
  const match = RELATIVE.exec(text);
  if (!match) return undefined;
  const [, amount, word, ago] = match;
  const unit = UNIT_ALIASES[word!] ?? word!;
  const months = unit === 'month' ? 1 : unit === 'year' ? 12 : 0;
  const sign = ago ? -1 : 1;
  if (months > 0) {
    const date = new Date(now);
    date.setUTCMonth(date.getUTCMonth() + sign * months * Number(amount));
    return date;
  }
  const step = UNIT_MS[unit];
  if (step === undefined) throw invalid(original, `"${word}" is not a time unit`);
  return new Date(now.getTime() + sign * step * Number(amount));
}

function absolute(text: string): Date | undefined {
  if (!ISO.test(text)) return undefined;
  // A time without a zone is taken as UTC, like every other time Graph deals in.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const zoned = dateOnly || /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const date = new Date(zoned.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const graphTime = (date: Date): string => `${date.toISOString().slice(0, 19)}.000Z`;

/**
 * The startDateTime to send, or undefined for `now` (Graph then starts the pass at once, which no
 * client clock can get wrong).
 */
export function tapStartDateTime(value: string, now: Date): string | undefined {
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'now') return undefined;
  const date = absolute(value.trim()) ?? relative(text, now, value);
  if (!date) throw invalid(value, 'it is not a time this command understands');
  // Graph's format has a four-digit year; later times (or none at all) cannot be sent.
  if (!(date.getTime() <= LATEST.getTime())) {
    throw invalid(value, 'it is too far in the future (the latest is 9999-12-31)');
  }
  if (date.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw invalid(value, 'a Temporary Access Pass cannot start in the past');
  }
  return graphTime(date);
}
