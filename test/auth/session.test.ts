import { expect } from 'chai';
import nock from 'nock';
import type { AuthorizationError } from '../../src/auth/errors.js';
import { fromMsalError } from '../../src/auth/errors.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AUTH_KEYS, EXPIRY_MARGIN_SECONDS } from '../../src/auth/token-cache.js';
import { UserError } from '../../src/base/errors.js';
import { IntegrationContextStore, type ContextData } from '../../src/base/integration-context.js';
import { Redactor } from '../../src/base/redact.js';
import { RedisLockBusyError } from '../../src/state/redis-lock.js';
import {
  aadError,
  form,
  LOGIN,
  SECRET,
  secretConfig,
  tempDir,
  testDeps,
  TOKEN_PATH,
  tokenResponse,
  useNock,
} from './support.js';

/** Answers token requests with at-1, at-2, ... and counts them. */
function countingTokenEndpoint(times: number, expiresIn = 3599): { count: () => number } {
  let count = 0;
  nock(LOGIN)
    .post(TOKEN_PATH)
    .query(true)
    .times(times)
    .reply(200, () => {
      count += 1;
      return tokenResponse(`at-${count}`, { expires_in: expiresIn });
    });
  return { count: () => count };
}

describe('token cache and session', () => {
  useNock();

  it('reuses a token between two sessions sharing a state directory (no second request)', async () => {
    const endpoint = countingTokenEndpoint(1);
    const dir = tempDir();
    expect(
      await (await createAuthSession(testDeps(secretConfig(), { dir }))).getAccessToken(),
    ).to.equal('at-1');
    expect(
      await (await createAuthSession(testDeps(secretConfig(), { dir }))).getAccessToken(),
    ).to.equal('at-1');
    expect(endpoint.count()).to.equal(1);
  });

  it("keeps a shared lock's own words (lock, server, holder) when the token lock times out", async () => {
    const deps = testDeps(secretConfig());
    const busy = new RedisLockBusyError(
      'Timed out after 60 s waiting for the lock msgraph-user:i:lock on redis://cache:6379/0, held by host-b pid 42.',
    );
    const real = deps.store;
    deps.store = {
      get: () => real.get(),
      set: (context: ContextData, version?: number) => real.set(context, version),
      clear: () => real.clear(),
      withLock: <T>(fn: () => Promise<T>) => real.withLock(fn),
      update: () => Promise.reject(busy),
    } as unknown as typeof deps.store;
    let thrown: unknown;
    try {
      await (await createAuthSession(deps)).getAccessToken();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(UserError);
    expect((thrown as UserError).message).to.equal(
      "Timed out waiting for another msgraph-user command that holds this instance's token lock.",
    );
    expect((thrown as UserError).hint).to.match(
      /^Timed out after 60 s waiting for the lock msgraph-user:i:lock on redis:\/\/cache:6379\/0, held by host-b pid 42\. That command is still getting a token/,
    );
  });

  it('requests a new token once the cached one is within 5 minutes (300 s) of expiry', async () => {
    expect(EXPIRY_MARGIN_SECONDS).to.equal(300);
    const endpoint = countingTokenEndpoint(2);
    const deps = testDeps(secretConfig());
    const session = await createAuthSession(deps);
    expect(await session.getAccessToken()).to.equal('at-1');
    // The token lives 3599 s: reused until 3299 s, replaced from then on.
    deps.advance(3294);
    expect(await session.getAccessToken()).to.equal('at-1');
    deps.advance(10);
    expect(await session.getAccessToken()).to.equal('at-2');
    expect(endpoint.count()).to.equal(2);
  });

  it('keeps half the lifetime as margin for short-lived tokens', async () => {
    countingTokenEndpoint(2, 120);
    const deps = testDeps(secretConfig());
    const session = await createAuthSession(deps);
    expect(await session.getAccessToken()).to.equal('at-1');
    deps.advance(50);
    expect(await session.getAccessToken()).to.equal('at-1');
    deps.advance(15);
    expect(await session.getAccessToken()).to.equal('at-2');
  });

  it('drops an invalidated token from both caches, so a forced refresh gets a new one', async () => {
    countingTokenEndpoint(2);
    const deps = testDeps(secretConfig());
    const session = await createAuthSession(deps);
    const first = await session.getAccessToken();
    await session.invalidate(first);
    const { context } = await deps.store.get();
    expect(context).to.not.have.property(AUTH_KEYS.accessToken);
    expect(JSON.stringify(context[AUTH_KEYS.msalCache])).to.not.contain(first);
    expect(await session.getAccessToken({ forceRefresh: true })).to.equal('at-2');
  });

  it('after a 401, uses the token another process stored meanwhile instead of requesting again', async () => {
    const endpoint = countingTokenEndpoint(2);
    const dir = tempDir();
    const a = await createAuthSession(testDeps(secretConfig(), { dir }));
    const b = await createAuthSession(testDeps(secretConfig(), { dir }));
    const stale = await a.getAccessToken();
    expect(await b.getAccessToken()).to.equal(stale);
    // Graph rejects at-1 for both; A refreshes first, B then finds A's token.
    await a.invalidate(stale);
    expect(await a.getAccessToken({ forceRefresh: true })).to.equal('at-2');
    await b.invalidate(stale);
    expect(await b.getAccessToken({ forceRefresh: true })).to.equal('at-2');
    expect(endpoint.count()).to.equal(2);
  });

  it('a forced refresh always requests when the cached token is the one in use', async () => {
    const endpoint = countingTokenEndpoint(2);
    const deps = testDeps(secretConfig());
    await (await createAuthSession(deps)).getAccessToken();
    expect(await (await createAuthSession(deps)).getAccessToken({ forceRefresh: true })).to.equal(
      'at-2',
    );
    expect(endpoint.count()).to.equal(2);
  });

  it('never reuses a token obtained for another configuration (tenant, client, cloud or flow)', async () => {
    const endpoint = countingTokenEndpoint(1);
    nock(LOGIN)
      .post('/fabrikam.onmicrosoft.com/oauth2/v2.0/token')
      .query(true)
      .reply(200, tokenResponse('at-fabrikam'));
    const dir = tempDir();
    await (await createAuthSession(testDeps(secretConfig(), { dir }))).getAccessToken();
    const other = await createAuthSession(
      testDeps(secretConfig({ tenantId: 'fabrikam.onmicrosoft.com' }), { dir }),
    );
    expect(await other.getAccessToken()).to.equal('at-fabrikam');
    expect(endpoint.count()).to.equal(1);
  });

  it('never hands out a token cached under another client secret (was: a rotated or mistyped secret kept working until the token expired)', async () => {
    const endpoint = countingTokenEndpoint(1);
    nock(LOGIN)
      .post(
        TOKEN_PATH,
        (body: Record<string, string>) => body.client_secret === 'a-mistyped-secret',
      )
      .query(true)
      .reply(401, aadError('invalid_client', 7000215, 'Invalid client secret provided.'));
    const dir = tempDir();
    await (await createAuthSession(testDeps(secretConfig(), { dir }))).getAccessToken();
    const mistyped = await createAuthSession(
      testDeps(secretConfig({ clientSecret: 'a-mistyped-secret' }), { dir }),
    );
    const error = await mistyped.getAccessToken().catch((e: unknown) => e as UserError);
    expect(error).to.be.instanceOf(UserError);
    expect((error as UserError).message).to.match(/AADSTS7000215: Invalid client secret provided/);
    expect(endpoint.count()).to.equal(1);
  });

  it('binds the cached token to a digest of the credential, never the credential itself', async () => {
    countingTokenEndpoint(1);
    const deps = testDeps(secretConfig());
    await (await createAuthSession(deps)).getAccessToken();
    const stored = JSON.stringify((await deps.store.get()).context);
    expect(stored).not.to.include(SECRET);
    const owner = (await deps.store.get()).context[AUTH_KEYS.owner];
    expect(owner).to.match(/^[0-9a-f]{32}$/);
  });

  it('makes one request for concurrent callers in one process', async () => {
    const endpoint = countingTokenEndpoint(1);
    const session = await createAuthSession(testDeps(secretConfig()));
    const tokens = await Promise.all(Array.from({ length: 20 }, () => session.getAccessToken()));
    expect(new Set(tokens)).to.deep.equal(new Set(['at-1']));
    expect(endpoint.count()).to.equal(1);
  });

  it('writes nothing when a valid token is already cached', async () => {
    countingTokenEndpoint(1);
    const deps = testDeps(secretConfig());
    const session = await createAuthSession(deps);
    await session.getAccessToken();
    const { version } = await deps.store.get();
    await session.getAccessToken();
    await session.invalidate('some-other-token');
    expect((await deps.store.get()).version).to.equal(version);
  });

  it('says which lock it waited for when another command holds it too long', async () => {
    const deps = testDeps(secretConfig());
    const store = new IntegrationContextStore(deps.store.dir, { waitMs: 200 });
    const session = await createAuthSession({ ...deps, store });
    const failure = await store.withLock(() => session.getAccessToken().catch((e: unknown) => e));
    expect(failure).to.be.instanceOf(UserError);
    expect((failure as Error).message).to.contain("holds this instance's token lock");
  });

  it('keeps unrelated context keys when storing tokens', async () => {
    countingTokenEndpoint(1);
    const deps = testDeps(secretConfig());
    await deps.store.set({ fetch_state: { cursor: 'abc' } });
    await (await createAuthSession(deps)).getAccessToken();
    expect((await deps.store.get()).context).to.deep.include({ fetch_state: { cursor: 'abc' } });
  });
});

describe('identity errors', () => {
  useNock();

  const cases: [number, string, string, RegExp][] = [
    [
      7000215,
      'invalid_client',
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      /"Key"/,
    ],
    [
      700016,
      'unauthorized_client',
      "Application with identifier 'x' was not found in the directory 'contoso'.",
      /"ID".*"Token"/,
    ],
    [700024, 'invalid_client', 'Client assertion is not within its valid time range.', /clock/],
    [
      90002,
      'invalid_request',
      "Tenant 'contoso.onmicrosoft.com' not found.",
      /"Token".*"Azure Cloud"/,
    ],
    [
      50173,
      'invalid_grant',
      'The provided grant has expired due to it being revoked.',
      /msgraph-user-auth-reset/,
    ],
    [
      70008,
      'invalid_grant',
      'The provided authorization code or refresh token has expired due to inactivity.',
      /msgraph-user-auth-reset/,
    ],
  ];
  for (const [code, error, text, hint] of cases) {
    it(`reads AADSTS${code} as "AADSTS${code}: <description>" with a hint and no trace ids`, async () => {
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .reply(400, aadError(error, code, text));
      const failure = (await (
        await createAuthSession(testDeps(secretConfig()))
      )
        .getAccessToken()
        .catch((e: unknown) => e)) as UserError;
      expect(failure).to.be.instanceOf(UserError);
      expect(failure.message).to.equal(`Error in Microsoft authorization: AADSTS${code}: ${text}`);
      expect(failure.hint).to.match(hint);
      expect(failure.userMessage).to.not.match(/\n\s+at /);
    });
  }

  it('never shows a registered secret, even when the server echoes it', async () => {
    nock(LOGIN)
      .post(TOKEN_PATH)
      .query(true)
      .reply(400, (_uri, body) =>
        aadError(
          'invalid_client',
          7000215,
          `Invalid client secret provided: '${form(body as string).client_secret}'.`,
        ),
      );
    const deps = testDeps(secretConfig());
    const failure = (await (
      await createAuthSession(deps)
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as UserError;
    expect(failure.userMessage).to.not.contain(SECRET);
    expect(failure.message).to.contain('<redacted>');
  });

  it('reports a transport failure as itself, not as MSAL\'s "network_error"', async () => {
    nock(LOGIN)
      .post(TOKEN_PATH)
      .query(true)
      .times(5)
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const failure = (await (
      await createAuthSession(testDeps(secretConfig()))
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as UserError;
    expect(failure).to.be.instanceOf(UserError);
    expect(failure.message)
      .to.contain('login.microsoftonline.com')
      .and.not.contain('network_error');
  });

  it("reads the AADSTS text out of MSAL's own message when no error body was seen", () => {
    const msalError = {
      errorCode: 'invalid_grant',
      errorMessage:
        'Error(s): 700082 - Timestamp: 2024-01-09 02:02:12Z - Description: AADSTS700082: The refresh token has expired due to inactivity.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2024-01-09 02:02:12Z - Correlation ID: 2 - Trace ID: 1',
      status: 400,
    };
    const failure = fromMsalError(msalError, {}, new Redactor()) as AuthorizationError;
    expect(failure.message).to.equal(
      'Error in Microsoft authorization: AADSTS700082: The refresh token has expired due to inactivity.',
    );
    expect(failure.aadsts).to.equal(700082);
    expect(failure.hint).to.contain('msgraph-user-auth-reset');
  });

  it('reports a non-JSON answer (a proxy page) clearly', async () => {
    nock(LOGIN).post(TOKEN_PATH).query(true).reply(502, '<html><body>Bad gateway</body></html>');
    const failure = (await (
      await createAuthSession(testDeps(secretConfig()))
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as UserError;
    expect(failure.message).to.match(/answered HTTP 502 with a body that is not JSON: <html>/);
  });
});
