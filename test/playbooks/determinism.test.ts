/**
 * Replays are deterministic: ten replays of each recording in a row give the same tasks, entries
 * and context. Only values made up on purpose at run time differ, and are masked: GenerateUUID's
 * UUID, a war-room file's ID and the random state of a login URL.
 */
import { expect } from 'chai';
import type { SessionResult } from '../../src/playbook/session.js';
import { RECORDINGS, recordingName } from './catalog.js';
import { replay } from './support.js';

const RUNS = 10;

function observable(outcome: SessionResult): string {
  const { tasks, context } = outcome.result;
  let text = JSON.stringify({ tasks: tasks.map(({ durationMs: _d, ...task }) => task), context });
  const uuid = context.GeneratedUUID;
  if (typeof uuid === 'string') text = text.split(uuid).join('<generated uuid>');
  return text
    .replace(/"FileID":"[^"]*"/g, '"FileID":"<file id>"')
    .replace(/([?&]state=)[\w-]+/g, '$1<state>');
}

describe('sample playbooks: determinism', () => {
  it(`replay every recording ${RUNS} times in a row with the same results`, async function () {
    this.timeout(60_000);
    const differing: string[] = [];
    for (const recording of RECORDINGS) {
      const results = new Set<string>();
      for (let i = 0; i < RUNS; i++) results.add(observable(await replay(recording)));
      if (results.size > 1) differing.push(`${recordingName(recording)}: ${results.size} results`);
    }
    expect(differing).to.deep.equal([]);
  });
});
