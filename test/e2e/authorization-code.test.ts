/**
 * The authorization code flow through the built CLI: test-module before any sign-in, then
 * `msgraph-user login` with this test playing the browser (it follows the sim's 302 from the
 * authorize endpoint to the CLI's loopback listener), then commands on the stored tokens,
 * including msgraph-user-change-password, which only this flow may run.
 */
import { expect } from 'chai';
import { get as httpGet } from 'node:http';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { expectUserReadable, type ExpectedUser } from './output.js';
import {
  Cli,
  configuredSecrets,
  ensureBuilt,
  expectNoLeaks,
  freePort,
  httpsGetOnce,
  printed,
  recordIssuedTokens,
  removeTempDirs,
  stats,
  tempDir,
  tokenRequests,
  tokensInState,
  waitForOutput,
  writeParams,
  type Response,
  type Stats,
} from './support.js';

function httpGetOnce(url: string): Promise<Response> {
  return new Promise((done, fail) => {
    httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', fail);
  });
}

const NEW_PASSWORD = 'E2e-N3w-Passw0rd!x';

describe('e2e: the CLI with the authorization code flow and msgraph-user login', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let cli: Cli;
  let issued: ReturnType<typeof recordIssuedTokens>;
  let params: string;
  let redirectUri: string;
  let adele: ExpectedUser;
  const seenInBrowser: string[] = [];

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    issued = recordIssuedTokens();
    sim = await startSimulator({ outDir: tempDir() });
    cli = new Cli(sim, tempDir());
    redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    params = writeParams(tempDir(), 'authorization-code', {
      ...sim.paramsFor('authorization-code'),
      redirect_uri: redirectUri,
    });
    adele = { ...sim.users.adele!, displayName: 'Adele Vance' };
  });
  after(async () => {
    issued?.restore();
    await sim?.close();
    removeTempDirs();
  });

  describe('before anyone signs in', () => {
    it('test-module fails with how to finish the authorization (msgraph-user login), without any request', async () => {
      const before = stats(sim).totalRequests;
      const result = await cli.run('test-module', '--params', params);
      // Anything but "ok" fails test-module, as XSOAR's Test button does: exit 1, reason on stderr.
      expect(result.code, printed(result)).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.contain('The authorization code flow is not finished');
      expect(result.stderr).to.contain('msgraph-user login');
      expect(stats(sim).totalRequests, 'requests reaching the sim').to.equal(before);
    });

    it('msgraph-user-test fails with the same explanation (exit 1, on stderr)', async () => {
      const result = await cli.run('msgraph-user-test', '--params', params);
      expect(result.code, printed(result)).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.contain('The authorization code flow is not finished');
      expect(result.stderr).to.contain('msgraph-user login');
    });
  });

  describe('msgraph-user login', () => {
    let baseline: Stats;

    it('prints the sign-in URL, takes the redirect on the loopback Redirect URI, answers "you can close this tab" and exits 0', async () => {
      baseline = stats(sim);
      const login = cli.start(['login', '--params', params]);
      try {
        const url = await waitForOutput(
          () => login.run.stderr,
          /https:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+/,
          login.exited,
        );
        const authorize = new URL(url);
        expect(authorize.origin).to.equal(sim.url);
        expect(authorize.searchParams.get('redirect_uri')).to.equal(redirectUri);
        expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
        expect(login.run.stderr).to.contain(`Waiting for the sign-in at ${redirectUri}`);

        // The browser: the sim signs the admin in at once and redirects to the loopback listener.
        const signIn = await httpsGetOnce(url, sim.caPem);
        expect(signIn.status, signIn.body).to.equal(302);
        const callback = new URL(signIn.location ?? '');
        expect(`${callback.origin}${callback.pathname}`).to.equal(redirectUri);
        expect(callback.searchParams.get('state')).to.equal(authorize.searchParams.get('state'));
        seenInBrowser.push(url, callback.href);
        const page = await httpGetOnce(callback.href);
        expect(page.status, page.body).to.equal(200);
        expect(page.body).to.contain('Signed in; you can close this tab.');

        const result = await login.exited;
        expect(result.code, printed(result)).to.equal(0);
        expect(result.stdout).to.equal(
          `Signed in as ${sim.users.admin!.userPrincipalName}; the tokens are stored for this instance.\n`,
        );
      } finally {
        // A failed step leaves login waiting for a sign-in: do not let it outlive the test.
        if (login.child.exitCode === null) login.child.kill();
      }
      const now = stats(sim);
      expect(now.tokensIssued.authorization_code ?? 0).to.equal(
        (baseline.tokensIssued.authorization_code ?? 0) + 1,
      );
    });

    it('then test-module prints ok', async () => {
      const result = await cli.run('test-module', '--params', params);
      expect(result.code, printed(result)).to.equal(0);
      expect(result.stdout).to.equal('ok\n');
      expect(result.stderr).to.equal('');
    });

    it('then msgraph-user-get prints the war-room table, the entries and the merged context', async () => {
      await expectUserReadable(cli, params, adele);
    });

    it('then msgraph-user-change-password sets the password, and the sim records the change', async () => {
      const kim = sim.users.kim!;
      const lastChange = async (): Promise<unknown> => {
        const result = await cli.run(
          'msgraph-user-get',
          `user=${kim.userPrincipalName}`,
          'properties=lastPasswordChangeDateTime,passwordProfile',
          '--params',
          params,
          '--output',
          'entries',
        );
        expect(result.code, printed(result)).to.equal(0);
        const [entry] = JSON.parse(result.stdout) as [{ Contents: Record<string, unknown> }];
        return entry.Contents;
      };
      const before = await lastChange();
      const patches = stats(sim).requests['PATCH /v1.0/users/{id}'] ?? 0;

      const result = await cli.run(
        'msgraph-user-change-password',
        `user=${kim.userPrincipalName}`,
        `password=${NEW_PASSWORD}`,
        '--params',
        params,
      );
      expect(result.code, printed(result)).to.equal(0);
      expect(result.stdout).to.contain(
        `User ${kim.userPrincipalName} password was changed successfully.`,
      );
      expect(result.stderr).to.equal('');

      expect(stats(sim).requests['PATCH /v1.0/users/{id}']).to.equal(patches + 1);
      const after = (await lastChange()) as Record<string, unknown>;
      expect(after.lastPasswordChangeDateTime).to.be.a('string');
      expect(after.lastPasswordChangeDateTime).to.not.equal(
        (before as Record<string, unknown>).lastPasswordChangeDateTime,
      );
      expect(after.passwordProfile).to.deep.include({ forceChangePasswordNextSignIn: true });
    });

    it('every run after login used the token it stored, except test-module, which authenticates afresh', () => {
      const now = stats(sim);
      // The login's redemption, and test-module's refresh.
      expect(tokenRequests(now) - tokenRequests(baseline), 'token requests').to.equal(2);
      expect(now.tokensIssued.refresh_token ?? 0).to.equal(
        (baseline.tokensIssued.refresh_token ?? 0) + 1,
      );
    });
  });

  describe('secrets', () => {
    it('prints no credential, password, code or token the sim issued; only a 0600 context.json holds tokens', () => {
      const inState = tokensInState(cli.stateDir);
      expect(inState.length, 'tokens cached in the state directory').to.be.greaterThan(0);
      const codes = seenInBrowser
        .map((url) => new URL(url).searchParams.get('code'))
        .filter((code): code is string => Boolean(code));
      expect(codes, 'the code the browser carried').to.have.length(1);
      const { tokenFiles } = expectNoLeaks(cli, {
        credentials: [...configuredSecrets(sim), NEW_PASSWORD],
        tokens: [...codes, ...issued.values, ...inState],
      });
      expect(tokenFiles).to.have.length(1);
    });
  });
});
