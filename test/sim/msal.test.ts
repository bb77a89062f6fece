import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { bearer, call, msalNetwork, obj } from './helpers.js';

const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default'];
const run = promisify(execFile);

function msalConfig(
  sim: Simulator,
  clientId: string,
  credentials: Configuration['auth'],
): Configuration {
  return {
    auth: {
      ...credentials,
      clientId,
      authority: `${sim.url}/${sim.tenantId}`,
      knownAuthorities: [new URL(sim.url).host],
    },
    system: {
      networkClient: msalNetwork(sim),
      loggerOptions: {
        logLevel: LogLevel.Error,
        loggerCallback: () => undefined,
        piiLoggingEnabled: false,
      },
    },
  };
}

describe('sim: real msal-node against the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ users: 25 });
  });
  after(() => sim.close());

  it('acquires an app token with a client secret, and Graph accepts it', async () => {
    const { clientId, clientSecret } = sim.apps.clientSecret;
    const cca = new ConfidentialClientApplication(
      msalConfig(sim, clientId, { clientId, clientSecret }),
    );
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT });
    expect(result?.accessToken).to.be.a('string');
    const me = await call(
      sim,
      `/v1.0/users/${sim.users.admin?.id ?? ''}`,
      bearer(result?.accessToken ?? ''),
    );
    expect(me.status).to.equal(200);
    expect(obj(me).userPrincipalName).to.equal(sim.users.admin?.userPrincipalName);
  });

  it('acquires an app token with the certificate (SHA-1 thumbprint, RS256 assertion)', async () => {
    const app = sim.apps.certificate;
    const cca = new ConfidentialClientApplication(
      msalConfig(sim, app.clientId, {
        clientId: app.clientId,
        clientCertificate: { thumbprint: app.thumbprint, privateKey: app.privateKeyPem },
      }),
    );
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT });
    expect(result?.accessToken).to.be.a('string');
  });

  it('acquires an app token with the certificate (SHA-256 thumbprint, PS256 assertion)', async () => {
    const app = sim.apps.certificate;
    const cca = new ConfidentialClientApplication(
      msalConfig(sim, app.clientId, {
        clientId: app.clientId,
        clientCertificate: {
          thumbprintSha256: app.thumbprintSha256,
          privateKey: app.privateKeyPem,
        },
      }),
    );
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT });
    expect(result?.accessToken).to.be.a('string');
  });

  it('surfaces the platform error for a wrong secret as an msal ServerError', async () => {
    const { clientId } = sim.apps.clientSecret;
    const cca = new ConfidentialClientApplication(
      msalConfig(sim, clientId, { clientId, clientSecret: 'wrong' }),
    );
    const err = await cca.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT }).then(
      () => undefined,
      (e: unknown) => e as { errorCode?: string; errorMessage?: string },
    );
    expect(err?.errorCode).to.equal('invalid_client');
    expect(err?.errorMessage).to.contain('AADSTS7000215');
  });

  it('runs the auth-code flow with PKCE, caches an account and refreshes silently with rotation', async () => {
    const { clientId, clientSecret, redirectUri } = sim.apps.clientSecret;
    const cca = new ConfidentialClientApplication(
      msalConfig(sim, clientId, { clientId, clientSecret }),
    );
    const verifier = 'pkce-verifier-with-enough-entropy-0123456789abcdef';
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const scopes = ['https://graph.microsoft.com/Directory.AccessAsUser.All'];
    const url = await cca.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: 'st',
    });
    const redirect = await call(sim, url);
    expect(redirect.status).to.equal(302);
    const location = new URL(redirect.headers.location ?? '');
    expect(location.searchParams.get('state')).to.equal('st');
    const code = location.searchParams.get('code') ?? '';
    const first = await cca.acquireTokenByCode({
      code,
      scopes,
      redirectUri,
      codeVerifier: verifier,
    });
    expect(first.account?.username).to.equal(sim.users.admin?.userPrincipalName);
    expect(first.account?.homeAccountId).to.equal(`${sim.users.admin?.id ?? ''}.${sim.tenantId}`);
    const accounts = await cca.getTokenCache().getAllAccounts();
    expect(accounts).to.have.length(1);

    const before = (sim.stats().tokensIssued as Record<string, number>).refresh_token ?? 0;
    const account = accounts[0] as NonNullable<(typeof accounts)[0]>;
    const second = await cca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    const third = await cca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    expect(second.accessToken).to.not.equal(first.accessToken);
    expect(third.accessToken).to.not.equal(second.accessToken);
    // Two refreshes succeeded, so msal stored and used the rotated refresh token each time.
    expect((sim.stats().tokensIssued as Record<string, number>).refresh_token).to.equal(before + 2);
    const graphMe = await call(sim, '/v1.0/me', bearer(third.accessToken));
    expect(obj(graphMe).id).to.equal(sim.users.admin?.id);
  });

  it('gets system- and user-assigned tokens with ManagedIdentityApplication via AZURE_POD_IDENTITY_AUTHORITY_HOST', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/msal-managed-identity.ts', import.meta.url)),
      ],
      {
        env: {
          ...process.env,
          AZURE_POD_IDENTITY_AUTHORITY_HOST: sim.imdsUrl,
          SIM_USER_ASSIGNED_CLIENT_ID: sim.apps.managedIdentity.userAssignedClientId,
        },
      },
    );
    const issued = JSON.parse(stdout) as { system: string; user: string };
    const appid = (token: string) =>
      (
        JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
          string,
          unknown
        >
      ).appid;
    expect(appid(issued.system)).to.equal(sim.apps.managedIdentity.systemAssignedClientId);
    expect(appid(issued.user)).to.equal(sim.apps.managedIdentity.userAssignedClientId);
    expect((await call(sim, '/v1.0/users?$top=1', bearer(issued.system))).status).to.equal(200);
    expect(sim.stats().tokensIssued).to.include({ managed_identity: 2 });
  });
});
