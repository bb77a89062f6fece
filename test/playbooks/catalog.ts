/**
 * The sample playbooks and how each is recorded: one table read by `npm run record`
 * (scripts/record-playbooks.ts) and by the replay suite, so the two cannot drift apart.
 */
import { fileURLToPath } from 'node:url';
import type { Flow } from '../../sim/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = 'test/playbooks/fixtures';

export interface PlaybookRecording {
  /** The playbook file, relative to the repository root. */
  playbook: string;
  /** Where its recording lives, relative to the repository root. */
  fixtureDir: string;
  /** The simulated tenant's instance parameters it is recorded with. */
  flow: Flow;
  /** Parameters added to the flow's. */
  params?: Record<string, unknown>;
  /** Faults the tenant injects while recording. */
  faults?: { p429: number; retryAfter: number };
  /** The playbook's Sleep tasks expire every token the tenant issued (instead of waiting). */
  expireTokensOnSleep?: boolean;
}

export const RECORDINGS: readonly PlaybookRecording[] = [
  { playbook: 'playbooks/offboarding.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  { playbook: 'playbooks/reference-test.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  { playbook: 'playbooks/auth-methods.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  {
    playbook: 'playbooks/mfa.yml',
    fixtureDir: FIXTURES,
    flow: 'client-credentials',
    params: { allow_secret_generators: true },
  },
  {
    playbook: 'playbooks/passwords-delegated.yml',
    fixtureDir: FIXTURES,
    flow: 'authorization-code',
  },
  { playbook: 'playbooks/passwords-refused.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  {
    playbook: 'playbooks/throttled.yml',
    fixtureDir: FIXTURES,
    flow: 'client-credentials',
    faults: { p429: 0.3, retryAfter: 1 },
  },
  {
    playbook: 'playbooks/token-expiry.yml',
    fixtureDir: FIXTURES,
    flow: 'client-credentials',
    expireTokensOnSleep: true,
  },
  {
    playbook: 'playbooks/token-expiry.yml',
    fixtureDir: `${FIXTURES}/authorization-code`,
    flow: 'authorization-code',
    expireTokensOnSleep: true,
  },
  { playbook: 'playbooks/bulk.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  { playbook: 'playbooks/admin.yml', fixtureDir: FIXTURES, flow: 'client-credentials' },
  {
    playbook: 'playbooks/connection.yml',
    fixtureDir: `${FIXTURES}/certificate`,
    flow: 'certificate',
  },
  { playbook: 'playbooks/connection.yml', fixtureDir: `${FIXTURES}/xsoar-app`, flow: 'xsoar-app' },
];

/** `playbooks/token-expiry.yml (authorization-code)`: a recording's name in test titles. */
export const recordingName = (r: PlaybookRecording): string =>
  r.fixtureDir === FIXTURES ? r.playbook : `${r.playbook} (${r.fixtureDir.split('/').pop()})`;
