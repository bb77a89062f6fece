/**
 * The sample playbooks (playbooks/*.yml), replayed offline from their recordings, one line each, as
 * a content developer would write them. `npm run record` remakes the recordings (catalog.ts says
 * with which instance flow and faults).
 */
import { replayPlaybook } from '../../src/playbook/testing.js';
import { FIXTURES } from './catalog.js';

describe('sample playbooks, replayed offline', () => {
  it('offboards a user', () => replayPlaybook('playbooks/offboarding.yml', FIXTURES));
  it("runs the reference integration's test flow", () =>
    replayPlaybook('playbooks/reference-test.yml', FIXTURES));
  it('lists and deletes every kind of authentication method', () =>
    replayPlaybook('playbooks/auth-methods.yml', FIXTURES));
  it('pushes an MFA request', () => replayPlaybook('playbooks/mfa.yml', FIXTURES));
  it('changes passwords with delegated permissions', () =>
    replayPlaybook('playbooks/passwords-delegated.yml', FIXTURES));
  it('refuses password changes and secret generators to an application instance', () =>
    replayPlaybook('playbooks/passwords-refused.yml', FIXTURES));
  it('waits out throttling', () => replayPlaybook('playbooks/throttled.yml', FIXTURES));
  it('gets a new token when Graph rejects the old one', () =>
    replayPlaybook('playbooks/token-expiry.yml', FIXTURES));
  it('refreshes a delegated token when Graph rejects it', () =>
    replayPlaybook('playbooks/token-expiry.yml', `${FIXTURES}/authorization-code`));
  it('disables several users in one command', () => replayPlaybook('playbooks/bulk.yml', FIXTURES));
  it('administers the instance and the directory', () =>
    replayPlaybook('playbooks/admin.yml', FIXTURES));
  it('connects with a certificate', () =>
    replayPlaybook('playbooks/connection.yml', `${FIXTURES}/certificate`));
  it('connects through the Cortex XSOAR app', () =>
    replayPlaybook('playbooks/connection.yml', `${FIXTURES}/xsoar-app`));
});
