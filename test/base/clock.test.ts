/**
 * The clock seam: the system clock, a clock pinned to another moment (replays), and one that skips
 * waits while counting them (tests, benchmarks, replays).
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { createClock, nowSeconds, systemClock } from '../../src/base/clock.js';

describe('the clock', () => {
  afterEach(() => sinon.restore());

  it('reads the system time by default', () => {
    const before = Date.now();
    const read = systemClock.now();
    expect(read).to.be.within(before, Date.now());
  });

  it('starts at its origin and moves on from there', async () => {
    const origin = Date.UTC(2026, 10, 26, 12, 0, 0);
    const clock = createClock({ origin, scale: 0 });
    expect(clock.now()).to.be.within(origin, origin + 1_000);
    expect(nowSeconds(clock)).to.equal(Math.floor(clock.now() / 1000));
  });

  it('skips a wait with scale 0 but counts it, so Retry-After dates still pass', async () => {
    const origin = Date.UTC(2026, 10, 26, 12, 0, 0);
    const clock = createClock({ origin, scale: 0 });
    const timers = sinon.spy(globalThis, 'setTimeout');
    await clock.sleep(90_000);
    expect(timers.called, 'no real timer for a skipped wait').to.equal(false);
    expect(clock.now() - origin).to.be.within(90_000, 91_000);
  });

  it('really waits with scale 1, and a wait ends when its signal aborts', async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const clock = createClock();
    let done = false;
    const wait = clock.sleep(5_000).then(() => (done = true));
    await fake.tickAsync(4_999);
    expect(done).to.equal(false);
    await fake.tickAsync(1);
    await wait;
    expect(done).to.equal(true);
    const controller = new AbortController();
    const aborted = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('stopped'));
    await aborted.then(
      () => expect.fail('the wait should end with the signal'),
      (err: Error) => expect(err.message).to.equal('stopped'),
    );
  });

  it('fires a timer longer than setTimeout allows at its time, not at once', async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = createClock();
    const day = 24 * 3600_000;
    let fired = false;
    clock.timer(30 * day, () => (fired = true));
    await fake.tickAsync(29 * day);
    expect(fired).to.equal(false);
    await fake.tickAsync(day);
    expect(fired).to.equal(true);
  });

  it('does not fire a cancelled timer', async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let fired = false;
    createClock()
      .timer(1_000, () => (fired = true))
      .cancel();
    await fake.tickAsync(2_000);
    expect(fired).to.equal(false);
  });
});
