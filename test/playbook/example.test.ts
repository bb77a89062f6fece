/**
 * The committed example recording, replayed as a content developer would replay theirs: one line.
 * Re-record it (after a deliberate change of the requests) with:
 *   MSGRAPH_USER_RERECORD=1 npx mocha
 */
import { recordPlaybook, replayPlaybook } from '../../src/playbook/testing.js';
import { CANARY, startMiniTenant, testCreateRuntime } from './support.js';

const PLAYBOOK = 'test/playbook/fixtures/offboarding.yml';
const RECORDINGS = 'test/playbook/fixtures/recordings';
const options = { createRuntime: testCreateRuntime, inputs: { new_password: CANARY.password } };

describe('the committed example recording', () => {
  before(async () => {
    if (!process.env.MSGRAPH_USER_RERECORD) return;
    const tenant = await startMiniTenant();
    try {
      await recordPlaybook(PLAYBOOK, RECORDINGS, {
        ...options,
        params: tenant.params(),
        runtime: { ca: tenant.ca },
      });
    } finally {
      await tenant.close();
    }
  });

  it('offboards a user', () => replayPlaybook(PLAYBOOK, RECORDINGS, options));
});
