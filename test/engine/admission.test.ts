import { expect } from 'chai';
import { AdmissionQueue, Overloaded } from '../../src/engine/admission.js';
import { testClock } from '../helpers/clock.js';

/** A task that runs until released. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: () => done, release };
}

const settled = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ran',
    (error: unknown) => (error instanceof Overloaded ? `overloaded: ${error.message}` : 'failed'),
  );

describe('admission per instance', () => {
  it('runs up to its concurrency, queues up to its depth, and turns the rest away', async () => {
    const queue = new AdmissionQueue(
      'contoso',
      { concurrency: 2, depth: 1, maxWaitMs: 60_000 },
      testClock(),
    );
    const blocker = gate();
    const started: number[] = [];
    const calls = [0, 1, 2, 3].map((i) =>
      settled(queue.run(async () => (started.push(i), blocker.task()))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([0, 1]);
    expect([queue.inFlight, queue.queued]).to.deep.equal([2, 1]);
    blocker.release();
    const outcomes = await Promise.all(calls);
    expect(outcomes.slice(0, 3)).to.deep.equal(['ran', 'ran', 'ran']);
    expect(outcomes[3]).to.equal(
      'overloaded: Instance "contoso" is busy: 2 commands are running and 1 waiting. Try again shortly.',
    );
    expect(started).to.deep.equal([0, 1, 2]);
    expect([queue.inFlight, queue.queued]).to.deep.equal([0, 0]);
  });

  it('turns a waiting call away after its longest wait', async () => {
    const queue = new AdmissionQueue(
      'contoso',
      { concurrency: 1, depth: 5, maxWaitMs: 5 },
      testClock(),
    );
    const blocker = gate();
    const first = queue.run(blocker.task);
    const second = settled(queue.run(async () => undefined));
    expect(await second).to.match(/^overloaded: Instance "contoso" did not have a free slot/);
    expect(queue.queued).to.equal(0);
    blocker.release();
    await first;
  });

  it('turns every waiting call away when draining, and lets the running one finish', async () => {
    const queue = new AdmissionQueue(
      'contoso',
      { concurrency: 1, depth: 5, maxWaitMs: 60_000 },
      testClock(),
    );
    const blocker = gate();
    const running = settled(queue.run(blocker.task));
    const waiting = [
      settled(queue.run(async () => undefined)),
      settled(queue.run(async () => undefined)),
    ];
    queue.drain('stopping');
    blocker.release();
    expect(await running).to.equal('ran');
    expect(await Promise.all(waiting)).to.deep.equal([
      'overloaded: stopping',
      'overloaded: stopping',
    ]);
  });

  it('frees its slot when a task fails', async () => {
    const queue = new AdmissionQueue(
      'contoso',
      { concurrency: 1, depth: 0, maxWaitMs: 1000 },
      testClock(),
    );
    expect(await settled(queue.run(() => Promise.reject(new Error('boom'))))).to.equal('failed');
    expect(await settled(queue.run(async () => undefined))).to.equal('ran');
  });
});
