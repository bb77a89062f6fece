/**
 * Bulk commands through the built CLI: a comma-separated `user` runs through Graph $batch in one
 * process, with one war-room table, and a user that does not exist neither stops the others nor
 * goes unreported.
 */
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  Cli,
  configuredSecrets,
  ensureBuilt,
  expectNoLeaks,
  printed,
  recordIssuedTokens,
  removeTempDirs,
  stats,
  tempDir,
  tokensInState,
  writeParams,
  type CliResult,
  type Stats,
} from './support.js';

const upn = (n: number) => `user${n}@msgraphsim.onmicrosoft.com`;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => upn(from + i));
const UNKNOWN = 'no-such-user@msgraphsim.onmicrosoft.com';

/** The first 20 users, a batch's worth; the sim disables every 50th user itself, so 50 is avoided. */
const FIRST = range(1, 20);
/** 19 users with the unknown one in the middle. */
const WITH_UNKNOWN = [...range(21, 30), UNKNOWN, ...range(31, 39)];
const WITH_UNKNOWN_SUPPRESSED = [...range(60, 69), UNKNOWN, ...range(70, 78)];
const THROTTLED = range(101, 120);

interface Entry {
  Type: number;
  Contents: unknown;
  HumanReadable: string | null;
}

describe('e2e: bulk commands through the CLI against the simulated tenant', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let cli: Cli;
  let issued: ReturnType<typeof recordIssuedTokens>;
  let params: string;
  let strictParams: string;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    issued = recordIssuedTokens();
    sim = await startSimulator({ users: 200, outDir: tempDir() });
    cli = new Cli(sim, tempDir());
    params = sim.paramsFiles['client-credentials'] ?? '';
    strictParams = writeParams(tempDir(), 'client-credentials-strict', {
      ...sim.paramsFor('client-credentials'),
      handle_error: false,
    });
  });
  after(async () => {
    issued?.restore();
    await sim?.close();
    removeTempDirs();
  });

  /** accountEnabled of each user, read in one bulk msgraph-user-get. */
  async function accountEnabled(users: string[]): Promise<Record<string, boolean>> {
    const result = await cli.run(
      'msgraph-user-get',
      `user=${users.join(',')}`,
      'properties=accountEnabled,userPrincipalName',
      '--params',
      params,
      '--output',
      'context',
    );
    expect(result.code, printed(result)).to.equal(0);
    const found = (JSON.parse(result.stdout) as { MSGraphUser: unknown }).MSGraphUser;
    const list = (Array.isArray(found) ? found : [found]) as {
      UserPrincipalName: string;
      AccountEnabled: boolean;
    }[];
    return Object.fromEntries(list.map((u) => [u.UserPrincipalName, u.AccountEnabled]));
  }

  /** The bulk disable, printing the war-room markdown unless another output is given. */
  const disable = (users: string[], paramsFile: string, ...options: string[]) =>
    cli.run(
      'msgraph-user-account-disable',
      `user=${users.join(',')}`,
      '--params',
      paramsFile,
      ...(options.length > 0 ? options : ['--output', 'markdown']),
    );

  const delta = (before: Stats, after: Stats) => ({
    batches:
      (after.requests['POST /v1.0/$batch'] ?? 0) - (before.requests['POST /v1.0/$batch'] ?? 0),
    patches:
      (after.requests['PATCH /v1.0/users/{id}'] ?? 0) -
      (before.requests['PATCH /v1.0/users/{id}'] ?? 0),
    batchedPatches:
      (after.batchItems['PATCH /v1.0/users/{id}'] ?? 0) -
      (before.batchItems['PATCH /v1.0/users/{id}'] ?? 0),
    faults: after.throttled + after.unavailable - before.throttled - before.unavailable,
  });

  /** The bulk table's rows: user → result. */
  function tableRows(result: CliResult): Record<string, string> {
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[1], printed(result)).to.equal('|User|Result|');
    return Object.fromEntries(
      lines.slice(3).map((line) => {
        const [user, outcome] = line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim());
        return [user, outcome];
      }),
    );
  }

  it('every user of the runs below starts enabled', async () => {
    const all = [...FIRST, ...WITH_UNKNOWN, ...WITH_UNKNOWN_SUPPRESSED, ...THROTTLED].filter(
      (u) => u !== UNKNOWN,
    );
    const enabled = await accountEnabled(all);
    expect(Object.keys(enabled)).to.have.length(all.length);
    expect(Object.values(enabled).every(Boolean), JSON.stringify(enabled)).to.equal(true);
  });

  it('disables 20 users in one run: one war-room table, exit 0, one $batch call instead of 20 PATCHes', async () => {
    const before = stats(sim);
    const result = await disable(FIRST, params);
    expect(result.code, printed(result)).to.equal(0);
    expect(result.stderr).to.equal('');
    expect(result.stdout.match(/^### /gm), 'tables printed').to.have.length(1);
    expect(result.stdout).to.match(/^### msgraph-user-account-disable for 20 users\n/);
    const rows = tableRows(result);
    expect(Object.keys(rows)).to.deep.equal(FIRST);
    expect(new Set(Object.values(rows))).to.deep.equal(new Set(['Disabled']));

    const d = delta(before, stats(sim));
    expect(d.patches, 'PATCH requests outside $batch').to.equal(0);
    expect(d.batchedPatches).to.be.at.least(20);
    expect(d.batches).to.be.at.least(1);
    expect(d.batches, '$batch calls: one, plus one per retry').to.be.at.most(1 + d.faults);

    const enabled = await accountEnabled(FIRST);
    expect(Object.values(enabled)).to.deep.equal(FIRST.map(() => false));
  });

  it('with an unknown user among them and "Suppress Errors for Non Found Users" cleared: exit 3, an error entry naming that user, the others disabled', async () => {
    const before = stats(sim);
    const result = await disable(WITH_UNKNOWN, strictParams, '--output', 'entries');
    expect(result.code, printed(result)).to.equal(3);
    const entries = JSON.parse(result.stdout) as Entry[];
    const errors = entries.filter((e) => e.Type === 4);
    const notes = entries.filter((e) => e.Type !== 4);
    expect(errors, printed(result)).to.have.length(1);
    expect(String(errors[0]?.Contents)).to.contain(UNKNOWN);
    for (const user of WITH_UNKNOWN.filter((u) => u !== UNKNOWN)) {
      expect(String(errors[0]?.Contents)).to.not.contain(user);
    }
    expect(notes, 'one table for the users that were disabled').to.have.length(1);
    expect(notes[0]?.HumanReadable).to.match(
      /^### msgraph-user-account-disable for 20 users, 1 failed\n/,
    );
    expect(delta(before, stats(sim)).patches, 'PATCH requests outside $batch').to.equal(0);

    const known = WITH_UNKNOWN.filter((u) => u !== UNKNOWN);
    const enabled = await accountEnabled(known);
    expect(Object.values(enabled)).to.deep.equal(known.map(() => false));
  });

  it('in markdown output, prints the error naming the unknown user on stderr and the table of the others on stdout (exit 3: it does not exist)', async () => {
    const result = await disable([upn(40), UNKNOWN], strictParams);
    expect(result.code, printed(result)).to.equal(3);
    expect(result.stderr).to.contain(UNKNOWN);
    expect(result.stdout).to.contain(`| ${upn(40)} | Disabled |`);
  });

  it('with "Suppress Errors for Non Found Users" (the default), reports the unknown user as a row "Does not exist", exits 3 and disables the others', async () => {
    const result = await disable(WITH_UNKNOWN_SUPPRESSED, params);
    expect(result.code, printed(result)).to.equal(3);
    expect(result.stderr).to.equal('');
    const rows = tableRows(result);
    expect(Object.keys(rows)).to.deep.equal(WITH_UNKNOWN_SUPPRESSED);
    expect(rows[UNKNOWN]).to.equal('Does not exist');
    const known = WITH_UNKNOWN_SUPPRESSED.filter((u) => u !== UNKNOWN);
    expect(known.map((u) => rows[u])).to.deep.equal(known.map(() => 'Disabled'));
    const enabled = await accountEnabled(known);
    expect(Object.values(enabled)).to.deep.equal(known.map(() => false));
  });

  it('under throttling (429 on a quarter of the batch items), still disables all 20, retrying only what was throttled', async () => {
    sim.setFaults({ p429: 0.25, retryAfter: 0, seed: 'e2e-bulk' });
    const before = stats(sim);
    let result: CliResult;
    try {
      result = await disable(THROTTLED, params);
    } finally {
      sim.setFaults({ p429: 0 });
    }
    const d = delta(before, stats(sim));
    expect(result.code, printed(result)).to.equal(0);
    expect(d.faults, 'faults injected').to.be.greaterThan(0);
    expect(d.patches, 'PATCH requests outside $batch').to.equal(0);
    expect(d.batches, '$batch calls: one, plus one per retry').to.be.at.most(1 + d.faults);
    expect(d.batchedPatches, 'PATCH items sent: 20 plus the retried ones').to.be.at.most(
      20 + d.faults,
    );
    const enabled = await accountEnabled(THROTTLED);
    expect(Object.values(enabled)).to.deep.equal(THROTTLED.map(() => false));
  });

  describe('secrets', () => {
    it('prints no credential or token the sim issued; only a 0600 context.json holds tokens', () => {
      const inState = tokensInState(cli.stateDir);
      expect(inState.length, 'tokens cached in the state directory').to.be.greaterThan(0);
      const { tokenFiles } = expectNoLeaks(cli, {
        credentials: configuredSecrets(sim),
        tokens: [...issued.values, ...inState],
      });
      // handle_error is not part of the instance's identity: both params files share one cache.
      expect(tokenFiles).to.have.length(1);
    });
  });
});
