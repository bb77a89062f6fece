import { expect } from 'chai';
import { terminalProgress } from '../../src/base/progress.js';

describe('terminal progress', () => {
  it('counts against a total learned after the start (Graph’s $count on the first page)', () => {
    const written: string[] = [];
    let now = 0;
    const progress = terminalProgress({ isTTY: true, write: (t) => written.push(t) }, 100, () => {
      now += 100;
      return now;
    });
    const task = progress.begin('Listing users');
    task.total?.(100_000);
    task.advance(999, 'page 1');
    task.end();
    expect(written).to.deep.equal(['\r\x1b[2KListing users: 999/100000 (page 1)', '\r\x1b[2K']);
  });

  it('stays silent when stderr is not a terminal', () => {
    const written: string[] = [];
    terminalProgress({ write: (t) => written.push(t) })
      .begin('Listing users')
      .advance(5);
    expect(written).to.deep.equal([]);
  });
});
