/**
 * The built CLI, as a child process, against the simulated tenant with every application flow:
 * client credentials with a secret and with a certificate, the Cortex XSOAR app (oproxy), and
 * system- and user-assigned managed identities (IMDS through AZURE_POD_IDENTITY_AUTHORITY_HOST).
 * The sim's own params files (YAML) are used where it writes one.
 */
import { expect } from 'chai';
import { FLOW_LABELS, type AuthFlow } from '../../src/auth/flow.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { expectUserReadable, type ExpectedUser } from './output.js';
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
  tokenRequests,
  tokensInState,
  writeParams,
  type Stats,
} from './support.js';

interface FlowCase {
  name: string;
  flow: AuthFlow;
  /** The params file (written by the sim, or by the test for the user-assigned identity). */
  params: () => string;
  /** The sim's name for the grant (stats.tokensIssued). */
  grant: string;
}

describe('e2e: the CLI with application flows against the simulated tenant', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let cli: Cli;
  let issued: ReturnType<typeof recordIssuedTokens>;
  let adele: ExpectedUser;
  const simFile = (flow: keyof Simulator['paramsFiles']): string => {
    const file = sim.paramsFiles[flow];
    if (!file) throw new Error(`the sim wrote no params file for ${flow}`);
    return file;
  };
  let userAssignedParams: string;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    issued = recordIssuedTokens();
    sim = await startSimulator({ outDir: tempDir() });
    cli = new Cli(sim, tempDir());
    userAssignedParams = writeParams(
      tempDir(),
      'managed-identity-user-assigned',
      sim.paramsFor('managed-identity', { userAssigned: true }),
    );
    adele = { ...sim.users.adele!, displayName: 'Adele Vance' };
  });
  after(async () => {
    issued?.restore();
    await sim?.close();
    removeTempDirs();
  });

  const flows: FlowCase[] = [
    {
      name: 'client credentials (secret)',
      flow: 'client-credentials',
      params: () => simFile('client-credentials'),
      grant: 'client_credentials',
    },
    {
      name: 'client credentials (certificate)',
      flow: 'client-certificate',
      params: () => simFile('certificate'),
      grant: 'client_credentials',
    },
    {
      name: 'the Cortex XSOAR app',
      flow: 'xsoar-app',
      params: () => simFile('xsoar-app'),
      grant: 'xsoar_app',
    },
    {
      name: 'a system-assigned managed identity',
      flow: 'managed-identity',
      params: () => simFile('managed-identity'),
      grant: 'managed_identity',
    },
    {
      name: 'a user-assigned managed identity',
      flow: 'managed-identity',
      params: () => userAssignedParams,
      grant: 'managed_identity',
    },
  ];

  for (const { name, params, grant } of flows) {
    describe(`with ${name}`, () => {
      let baseline: Stats;
      before(() => {
        baseline = stats(sim);
      });

      it('test-module prints ok and exits 0', async () => {
        const result = await cli.run('test-module', '--params', params());
        expect(result.code, printed(result)).to.equal(0);
        expect(result.stdout).to.equal('ok\n');
        expect(result.stderr).to.equal('');
      });

      it('msgraph-user-get prints the war-room table (--output markdown), the entries (--output entries) and the merged context (--output context)', async () => {
        await expectUserReadable(cli, params(), adele);
      });

      it('later CLI runs reuse the token cached by the first: one token request for all of them', () => {
        const now = stats(sim);
        expect(tokenRequests(now) - tokenRequests(baseline), 'token requests').to.equal(1);
        expect((now.tokensIssued[grant] ?? 0) - (baseline.tokensIssued[grant] ?? 0)).to.equal(1);
      });
    });
  }

  describe('msgraph-user-change-password (delegated only)', () => {
    for (const { name, flow, params } of flows.slice(0, 4)) {
      it(`is refused under ${name}, naming the flow and how to set up the authorization code flow, before any request`, async () => {
        const before = stats(sim).totalRequests;
        const result = await cli.run(
          'msgraph-user-change-password',
          `user=${sim.users.kim!.userPrincipalName}`,
          'password=E2e-Refused-Passw0rd!',
          '--params',
          params(),
        );
        expect(result.code, printed(result)).to.equal(1);
        expect(result.stdout).to.equal('');
        expect(result.stderr).to.contain('authorization code flow');
        expect(result.stderr).to.contain(FLOW_LABELS[flow]);
        expect(result.stderr).to.contain('msgraph-user login');
        expect(result.stderr).to.contain('Redirect URI');
        expect(stats(sim).totalRequests, 'requests reaching the sim').to.equal(before);
      });
    }
  });

  // Last: mocha runs a suite's own tests before its nested suites.
  describe('secrets', () => {
    it('prints no credential, password or token the sim issued; only 0600 context.json files hold tokens', () => {
      const inState = tokensInState(cli.stateDir);
      expect(inState.length, 'tokens cached in the state directory').to.be.greaterThan(0);
      const { tokenFiles } = expectNoLeaks(cli, {
        credentials: [...configuredSecrets(sim), 'E2e-Refused-Passw0rd!'],
        tokens: [...issued.values, ...inState],
      });
      // One instance per distinct configuration: secret, certificate, XSOAR app, two identities.
      expect(tokenFiles).to.have.length(5);
    });
  });
});
