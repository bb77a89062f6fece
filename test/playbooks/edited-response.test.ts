/**
 * A recording is evidence: change one recorded response (in a temporary copy) and exactly the check
 * that depends on it fails, with a message naming the task and the value.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PlaybookReplayError } from '../../src/playbook/testing.js';
import { RECORDINGS } from './catalog.js';
import { fixturePath, readRecording, replay } from './support.js';

const admin = RECORDINGS.find((r) => r.playbook === 'playbooks/admin.yml')!;

describe('sample playbooks: an edited recording', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-edited-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("fails the manager check, and only it, when the manager's name is changed", async () => {
    const fixture = await readRecording(admin);
    const exchange = fixture.exchanges.find((e) => e.task === '10 Get the new manager')!;
    (exchange.response.body as Record<string, unknown>).displayName = 'Patricia Fernandez';
    await writeFile(join(dir, basename(await fixturePath(admin))), JSON.stringify(fixture));

    const error = await replay(admin, dir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PlaybookReplayError);
    const { result } = (error as PlaybookReplayError).outcome;
    const check = result.tasks.find((t) => t.id === '11')!;
    expect(check).to.include({ name: 'Is Patti Fernandez the manager now?', branch: '#default#' });
    expect(result.tasks.filter((t) => t.status !== 'completed').map((t) => t.id)).to.deep.equal([
      '92',
    ]);
    expect(result.error).to.equal(
      'task 92 (Fail: the manager was not assigned) failed: VerifyContext: MSGraphUserManager.Manager.DisplayName is "Patricia Fernandez", expected "Patti Fernandez".',
    );
    expect((error as Error).message).to.include(
      'the playbook failed at [92] Fail: the manager was not assigned',
    );
  });
});
