/**
 * Every flow end to end against the simulated tenant: real msal-node over HTTPS (the sim's CA
 * trusted through the runtime's `ca`), the token exchange, IMDS, and Graph.
 */
import { expect } from 'chai';
import { createServer as createHttpServer, get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selectFlow } from '../../src/auth/flow.js';
import { runLogin } from '../../src/auth/login.js';
import { AUTH_KEYS } from '../../src/auth/token-cache.js';
import type { Entry } from '../../src/command/entries.js';
import { createRuntime, type Runtime } from '../../src/runtime/compose.js';
import { silentLogger } from '../../src/base/log.js';
import { startSimulator, type Flow, type Simulator } from '../../sim/index.js';
import { tempDir } from './support.js';

const shown = (entries: Entry[]): string =>
  entries.map((e) => String(e.HumanReadable ?? e.Contents)).join('\n');

async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('all flows against the simulated tenant', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let savedImds: string | undefined;
  before(async () => {
    sim = await startSimulator();
    savedImds = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = sim.imdsUrl;
  });
  after(async () => {
    if (savedImds === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = savedImds;
    await sim.close();
  });

  const tokensIssued = (): Record<string, number> =>
    (sim.stats().tokensIssued ?? {}) as Record<string, number>;
  const runtime = (params: Record<string, unknown>, stateDir: string): Promise<Runtime> =>
    createRuntime({ params, stateDir, ca: sim.caPem });

  const flows: [string, Flow, { userAssigned?: boolean }, string, string][] = [
    [
      'client credentials (secret)',
      'client-credentials',
      {},
      'client_credentials',
      '```✅ Success!```',
    ],
    [
      'client credentials (certificate)',
      'certificate',
      {},
      'client_credentials',
      '```✅ Success!```',
    ],
    ['the Cortex XSOAR app', 'xsoar-app', {}, 'xsoar_app', 'ok'],
    [
      'a system-assigned managed identity',
      'managed-identity',
      {},
      'managed_identity',
      '```✅ Success!```',
    ],
    [
      'a user-assigned managed identity',
      'managed-identity',
      { userAssigned: true },
      'managed_identity',
      '```✅ Success!```',
    ],
  ];
  for (const [name, flow, options, grant, testOutput] of flows) {
    it(`passes test-module and msgraph-user-test with ${name}, one token for both runs`, async () => {
      const stateDir = tempDir();
      const params = sim.paramsFor(flow, options);
      const before = tokensIssued()[grant] ?? 0;
      expect(shown(await (await runtime(params, stateDir)).run('test-module'))).to.equal('ok');
      expect(shown(await (await runtime(params, stateDir)).run('msgraph-user-test'))).to.equal(
        testOutput,
      );
      expect((tokensIssued()[grant] ?? 0) - before).to.equal(1);
    });
  }

  it('refuses change-password (delegated only) with an application flow, before any request', async () => {
    const before = Number(sim.stats().totalRequests);
    const rt = await runtime(sim.paramsFor('client-credentials'), tempDir());
    const entries = await rt.run('msgraph-user-change-password', {
      user: sim.users.kim?.userPrincipalName ?? 'kim',
      password: 'N3w-Passw0rd!x',
    });
    expect(shown(entries)).to.contain('works only with delegated permissions');
    expect(Number(sim.stats().totalRequests)).to.equal(before);
  });

  it('finishes the authorization code flow with msgraph-user login, then refreshes after Graph rejects the token', async () => {
    const stateDir = tempDir();
    const params = {
      ...sim.paramsFor('authorization-code'),
      redirect_uri: `http://127.0.0.1:${await freePort()}/callback`,
    };
    const rt = await runtime(params, stateDir);
    expect(shown(await rt.run('test-module'))).to.contain('not finished');

    const openBrowser = async (url: string) => {
      httpsGet(url, { ca: sim.caPem }, (res) => {
        res.resume();
        httpGet(res.headers.location ?? '', (page) => page.resume());
      });
    };
    const out: string[] = [];
    const code = await runLogin({
      config: selectFlow(rt.params),
      cloud: rt.cloud,
      http: rt.http,
      store: rt.integrationContext,
      clock: rt.clock,
      redactor: rt.redactor,
      log: silentLogger,
      io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => undefined } },
      openBrowser,
      timeoutMs: 10_000,
    });
    expect(code, out.join('')).to.equal(0);
    expect(out.join('')).to.match(/^Signed in as .+@/);
    expect(shown(await rt.run('test-module'))).to.equal('ok');

    const refreshTokenBefore = JSON.stringify(
      (await rt.integrationContext.get()).context[AUTH_KEYS.msalCache],
    );
    sim.expireAllTokens();
    const refreshes = tokensIssued().refresh_token ?? 0;
    expect(shown(await (await runtime(params, stateDir)).run('msgraph-user-test'))).to.equal(
      '```✅ Success!```',
    );
    expect((tokensIssued().refresh_token ?? 0) - refreshes).to.equal(1);
    expect(
      JSON.stringify((await rt.integrationContext.get()).context[AUTH_KEYS.msalCache]),
    ).to.not.equal(refreshTokenBefore);
  });
});
