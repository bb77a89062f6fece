/**
 * `msgraph-user login --device-code` through the built CLI, offline: the simulator serves the
 * device code grant, this test plays the user on another device (it opens the verification page
 * with the printed code), and the delegated commands then run on the stored tokens.
 */
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  Cli,
  configuredSecrets,
  ensureBuilt,
  expectNoLeaks,
  httpsGetOnce,
  printed,
  recordIssuedTokens,
  removeTempDirs,
  stats,
  tempDir,
  waitForOutput,
  writeParams,
} from './support.js';

describe('e2e: msgraph-user login --device-code', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let cli: Cli;
  let issued: ReturnType<typeof recordIssuedTokens>;
  let params: string;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    issued = recordIssuedTokens();
    sim = await startSimulator({ outDir: tempDir() });
    cli = new Cli(sim, tempDir());
    params = writeParams(tempDir(), 'device-code', sim.paramsFor('authorization-code'));
  });
  after(async () => {
    issued?.restore();
    await sim?.close();
    removeTempDirs();
  });

  it('prints the page and the code, waits for the sign-in, and stores the tokens', async () => {
    const login = cli.start(['login', '--device-code', '--params', params]);
    try {
      const prompt = await waitForOutput(
        () => login.run.stderr,
        /open the page (\S+) and enter the code (\S+) to authenticate/,
        login.exited,
      );
      const [, page, code] = /open the page (\S+) and enter the code (\S+) /.exec(prompt)!;
      const signIn = await httpsGetOnce(`${page!}?otc=${code!}`, sim.caPem);
      expect(signIn.status, signIn.body).to.equal(200);
      const result = await login.exited;
      expect(result.code, printed(result)).to.equal(0);
      expect(result.stdout).to.equal(
        `Signed in as ${sim.users.admin!.userPrincipalName}; the tokens are stored for this instance.\n`,
      );
    } finally {
      if (login.child.exitCode === null) login.child.kill();
    }
    expect(stats(sim).tokensIssued.device_code).to.equal(1);
  });

  it('then test-module passes and a delegated-only command runs, refreshing from the stored tokens', async () => {
    const test = await cli.run('test-module', '--params', params);
    expect(test.code, printed(test)).to.equal(0);
    expect(test.stdout).to.equal('ok\n');
    const kim = sim.users.kim!.userPrincipalName;
    const change = await cli.run(
      'msgraph-user-change-password',
      `user=${kim}`,
      'password=Dev1ce-C0de-Passw0rd!',
      '--params',
      params,
    );
    expect(change.code, printed(change)).to.equal(0);
    expect(change.stdout).to.contain(`User ${kim} password was changed successfully.`);
  });

  it('prints no token and no secret, and keeps the tokens only in the 0600 context', () => {
    const { tokenFiles } = expectNoLeaks(cli, {
      credentials: configuredSecrets(sim),
      tokens: issued.values,
    });
    expect(tokenFiles).to.have.length(1);
  });
});
