import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { get as httpGet, createServer as createHttpServer } from 'node:http';
import { createServer, get as httpsGet, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../../src/auth/flow.js';
import { runLogin } from '../../src/auth/login.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AUTH_KEYS, sha256 } from '../../src/auth/token-cache.js';
import {
  CLIENT_ID,
  delegatedResponse,
  loopbackServerCertificate,
  SECRET,
  testDeps,
  type TestCertificate,
  type TestDeps,
} from './support.js';

const TENANT = 'contoso.onmicrosoft.com';

interface Identity {
  url: string;
  ca: string;
  authorize: URLSearchParams[];
  tokens: Record<string, string>[];
  /** What the authorize endpoint sends back to the redirect URI (query). */
  answer: (query: URLSearchParams) => string;
  close(): Promise<void>;
}

/** A local identity platform: /authorize redirects (302) to redirect_uri; /token answers delegated tokens. */
let certificate: TestCertificate | undefined;

async function startIdentity(): Promise<Identity> {
  certificate ??= loopbackServerCertificate();
  const identity = {
    authorize: [] as URLSearchParams[],
    tokens: [] as Record<string, string>[],
    answer: (query: URLSearchParams) =>
      `code=0.AXcode-from-login&state=${encodeURIComponent(query.get('state') ?? '')}`,
  };
  const server: Server = createServer(
    { key: certificate.privateKeyPem, cert: certificate.certificatePem },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://idp');
      if (req.method === 'GET' && url.pathname === `/${TENANT}/oauth2/v2.0/authorize`) {
        identity.authorize.push(url.searchParams);
        res.writeHead(302, {
          Location: `${url.searchParams.get('redirect_uri')}?${identity.answer(url.searchParams)}`,
        });
        res.end();
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        identity.tokens.push(Object.fromEntries(new URLSearchParams(body)));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(delegatedResponse('at-login', 'rt-login')));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(identity, {
    url: `https://127.0.0.1:${port}`,
    ca: certificate.certificatePem,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The client keeps connections alive; do not wait for them to time out.
        server.closeAllConnections();
      }),
  });
}

async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A browser: opens the sign-in URL, follows the 302 to the loopback listener, keeps the page. */
function browser(ca: string): {
  open: (url: string) => Promise<void>;
  page: Promise<{ status: number; body: string }>;
} {
  let done!: (page: { status: number; body: string }) => void;
  const page = new Promise<{ status: number; body: string }>((resolve) => (done = resolve));
  const open = async (url: string) => {
    httpsGet(url, { ca }, (res) => {
      res.resume();
      httpGet(res.headers.location ?? '', (final) => {
        let body = '';
        final.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        final.on('end', () => done({ status: final.statusCode ?? 0, body }));
      });
    });
  };
  return { open, page };
}

function output(): {
  io: { stdout: { write(t: string): void }; stderr: { write(t: string): void } };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t) => out.push(t) }, stderr: { write: (t) => err.push(t) } },
    out,
    err,
  };
}

describe('msgraph-user login', () => {
  let identity: Identity;
  let deps: TestDeps;
  let redirectUri: string;
  beforeEach(async () => {
    identity = await startIdentity();
    redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const config: AuthConfig = {
      flow: 'authorization-code',
      clientId: CLIENT_ID,
      tenantId: TENANT,
      clientSecret: SECRET,
      redirectUri,
    };
    deps = testDeps(config, {
      cloud: { azure_cloud: 'Custom', azure_ad_endpoint: identity.url },
      ca: identity.ca,
    });
  });
  afterEach(() => identity.close());

  it('signs in through the loopback redirect with state and PKCE, and stores the tokens', async () => {
    const { io, out } = output();
    const tab = browser(identity.ca);
    const code = await runLogin({ ...deps, io, openBrowser: tab.open, timeoutMs: 10_000 });
    expect(code).to.equal(0);
    expect(out.join('')).to.equal(
      'Signed in as admin@contoso.onmicrosoft.com; the tokens are stored for this instance.\n',
    );
    expect((await tab.page).body).to.contain('Signed in; you can close this tab.');

    const authorize = identity.authorize[0]!;
    expect(authorize.get('client_id')).to.equal(CLIENT_ID);
    expect(authorize.get('redirect_uri')).to.equal(redirectUri);
    expect(authorize.get('response_type')).to.equal('code');
    expect(authorize.get('scope')?.split(' ')).to.include.members([
      'offline_access',
      'https://graph.microsoft.com/.default',
    ]);
    expect(authorize.get('code_challenge_method')).to.equal('S256');
    const token = identity.tokens[0]!;
    expect(token).to.include({
      grant_type: 'authorization_code',
      code: '0.AXcode-from-login',
      redirect_uri: redirectUri,
    });
    expect(
      createHash('sha256')
        .update(token.code_verifier ?? '')
        .digest('base64url'),
    ).to.equal(authorize.get('code_challenge'));

    // The next command uses the stored tokens: no request.
    const session = await createAuthSession(deps);
    expect(await session.getAccessToken()).to.equal('at-login');
    expect(JSON.stringify((await deps.store.get()).context[AUTH_KEYS.msalCache])).to.contain(
      'rt-login',
    );
    expect(identity.tokens).to.have.length(1);
  });

  it('rejects a redirect carrying another state, redeeming nothing, and keeps waiting until the timeout', async () => {
    identity.answer = () => 'code=0.AXforged&state=not-the-one-sent';
    const { io, err } = output();
    const tab = browser(identity.ca);
    expect(await runLogin({ ...deps, io, openBrowser: tab.open, timeoutMs: 3_000 })).to.equal(1);
    expect(err.join('')).to.contain('did not carry the state this login sent');
    expect(err.join('')).to.contain('No sign-in arrived');
    expect((await tab.page).status).to.equal(400);
    expect(identity.tokens).to.have.length(0);
    expect((await deps.store.get()).context).to.deep.equal({});
  });

  it('a forged request to the loopback port does not end the login: the real sign-in that follows succeeds (was: the sign-in was lost)', async () => {
    const { io, out, err } = output();
    const tab = browser(identity.ca);
    const open = async (url: string) => {
      const forged = await new Promise<number>((resolve) => {
        httpGet(`${redirectUri}?code=0.AXforged&state=forged`, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
      });
      expect(forged).to.equal(400);
      await tab.open(url);
    };
    expect(await runLogin({ ...deps, io, openBrowser: open, timeoutMs: 10_000 })).to.equal(0);
    expect((await tab.page).status).to.equal(200);
    expect(out.join('')).to.contain('Signed in as admin@contoso.onmicrosoft.com');
    expect(err.join('')).to.contain('did not carry the state this login sent');
    expect(identity.tokens.map((t) => t.code)).to.deep.equal(['0.AXcode-from-login']);
  });

  it('reports a sign-in the user declined', async () => {
    identity.answer = (query) =>
      `error=access_denied&error_description=${encodeURIComponent('AADSTS65004: User declined to consent.')}&state=${query.get('state')}`;
    const { io, err } = output();
    const tab = browser(identity.ca);
    expect(await runLogin({ ...deps, io, openBrowser: tab.open, timeoutMs: 10_000 })).to.equal(1);
    expect(err.join('')).to.contain(
      'Sign-in failed: access_denied: AADSTS65004: User declined to consent.',
    );
  });

  it('marks a pasted code as superseded by the sign-in', async () => {
    const config = { ...deps.config, authCode: '0.AXold-pasted' };
    const tab = browser(identity.ca);
    expect(
      await runLogin({
        ...deps,
        config,
        io: output().io,
        openBrowser: tab.open,
        timeoutMs: 10_000,
      }),
    ).to.equal(0);
    expect((await deps.store.get()).context[AUTH_KEYS.redeemedCode]).to.equal(
      sha256('0.AXold-pasted'),
    );
  });

  it('explains that only loopback http redirect URIs can be received', async () => {
    const { io, err } = output();
    const config = { ...deps.config, redirectUri: 'https://app.contoso.com/auth' };
    expect(await runLogin({ ...deps, config, io, timeoutMs: 1000 })).to.equal(1);
    expect(err.join('')).to.contain(
      'must be http://localhost:<port>/<path> or http://127.0.0.1:<port>/<path>',
    );
  });

  it('refuses to run for another flow', async () => {
    const { io, err } = output();
    const config: AuthConfig = {
      flow: 'client-credentials',
      clientId: CLIENT_ID,
      tenantId: TENANT,
      clientSecret: SECRET,
    };
    expect(await runLogin({ ...deps, config, io })).to.equal(1);
    expect(err.join('')).to.contain('authorization code flow');
  });

  it('gives up after the timeout', async () => {
    const { io, err } = output();
    expect(await runLogin({ ...deps, io, timeoutMs: 200 })).to.equal(1);
    expect(err.join('')).to.contain('No sign-in arrived');
  });
});
