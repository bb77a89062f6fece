/**
 * The sim's notion of time. Tests move it forward to expire authorization codes, refresh tokens
 * and temporary access passes without sleeping; msal keeps using the real clock for its cache.
 */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

/** "2016-01-09 02:02:12Z": the timestamp format of identity-platform errors. */
export function aadTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** "2021-05-18T19:03:10": the date format of Graph's innerError. */
export function graphErrorDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, '');
}

/** ISO 8601 without milliseconds, as Graph prints most dateTimeOffset values. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
