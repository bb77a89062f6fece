import { createClock } from '../../src/base/clock.js';
import { testClock } from '../helpers/clock.js';
import { expect } from 'chai';
import {
  createRetryPolicy,
  defaultRetryMode,
  isRetryableStatus,
  parseRetryAfter,
} from '../../src/http/retry.js';

describe('http retry policy', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads Retry-After as seconds, fractional seconds or an HTTP date', () => {
    expect(parseRetryAfter('10', now)).to.equal(10_000);
    expect(parseRetryAfter('2.128', now)).to.equal(2_128);
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:07 GMT', now)).to.equal(7_000);
  });

  it('treats a Retry-After date in the past as no wait, and garbage as absent', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:59:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter('-3', now)).to.equal(undefined);
  });

  it('retries 429 in every mode but never, and 503/504 only when idempotent', () => {
    expect(isRetryableStatus('idempotent', 429)).to.equal(true);
    expect(isRetryableStatus('throttle-only', 429)).to.equal(true);
    expect(isRetryableStatus('never', 429)).to.equal(false);
    expect(isRetryableStatus('idempotent', 503)).to.equal(true);
    expect(isRetryableStatus('idempotent', 504)).to.equal(true);
    expect(isRetryableStatus('throttle-only', 503)).to.equal(false);
    expect(isRetryableStatus('idempotent', 500)).to.equal(false);
    expect(defaultRetryMode('POST')).to.equal('throttle-only');
    expect(defaultRetryMode('PATCH')).to.equal('idempotent');
  });

  it('backs off exponentially with full jitter, capped per step', () => {
    const budget = createRetryPolicy({
      baseDelayMs: 1000,
      maxDelayMs: 3000,
      maxAttempts: 10,
      random: () => 0.5,
    }).begin();
    const waits = [1, 2, 3, 4].map(() => budget.next());
    expect(waits).to.deep.equal([500, 1000, 1500, 1500]);
    expect(budget.retries).to.equal(4);
  });

  it('stops after maxAttempts including the first', () => {
    const budget = createRetryPolicy({ maxAttempts: 3, random: () => 0 }).begin();
    expect(budget.next()).to.equal(0);
    expect(budget.next()).to.equal(0);
    expect(budget.next()).to.equal(undefined);
  });

  it('gives up when the next wait would exceed the total, and counts time lost to timeouts', () => {
    const budget = createRetryPolicy({ maxTotalWaitMs: 10_000, maxAttempts: 10 }).begin();
    expect(budget.next('6')).to.equal(6_000);
    expect(budget.next('5')).to.equal(undefined);
    expect(budget.next('4')).to.equal(4_000);
    budget.spend(1);
    expect(budget.next('0')).to.equal(undefined);
  });

  it('waits on the clock it was given', async () => {
    const clock = testClock();
    const policy = createRetryPolicy({ clock });
    await policy.sleep(2000);
    expect(clock.sleeps).to.deep.equal([2000]);
    expect(policy.clock).to.equal(clock);
  });

  it('stops sleeping when the signal aborts', async () => {
    const controller = new AbortController();
    const policy = createRetryPolicy({ clock: createClock() });
    const wait = policy.sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await wait.then(
      () => expect.fail('should reject'),
      (error: Error) => expect(error.message).to.equal('stop'),
    );
  });
});
