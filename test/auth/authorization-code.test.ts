import { expect } from 'chai';
import nock from 'nock';
import { AUTH_KEYS, sha256 } from '../../src/auth/token-cache.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AuthorizationError } from '../../src/auth/errors.js';
import { ConfigurationError } from '../../src/base/errors.js';
import {
  aadError,
  CLIENT_ID,
  delegatedResponse,
  form,
  LOGIN,
  SECRET,
  secretConfig,
  TENANT,
  testDeps,
  TOKEN_PATH,
  tokenResponse,
  useNock,
} from './support.js';

const REDIRECT = 'http://localhost:8765/callback';
const CODE = '0.AXcAcode-one';
const codeConfig = (code?: string) =>
  secretConfig({
    flow: 'authorization-code',
    redirectUri: REDIRECT,
    ...(code ? { authCode: code } : {}),
  });

/** Records the form bodies the token endpoint receives and answers with `answers` in order. */
function tokenEndpoint(answers: [number, object][]): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  const scope = nock(LOGIN);
  for (const [status, body] of answers) {
    scope
      .post(TOKEN_PATH)
      .query(true)
      .reply(status, (_uri, sent) => {
        seen.push(form(sent as string));
        return body;
      });
  }
  return seen;
}

describe('authorization code flow', () => {
  useNock();

  it('redeems the code with redirect_uri, the .default scope and offline_access, and stores the refresh token', async () => {
    const seen = tokenEndpoint([[200, delegatedResponse('at-1', 'rt-1')]]);
    const deps = testDeps(codeConfig(CODE));
    const session = await createAuthSession(deps);
    expect(await session.getAccessToken()).to.equal('at-1');
    expect(seen[0]).to.include({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
    expect(seen[0]?.scope?.split(' ')).to.include.members([
      'https://graph.microsoft.com/.default',
      'offline_access',
    ]);
    const { context } = await deps.store.get();
    expect(JSON.stringify(context[AUTH_KEYS.msalCache])).to.contain('rt-1');
    expect(context[AUTH_KEYS.redeemedCode]).to.equal(sha256(CODE));
  });

  it('refreshes with grant_type=refresh_token and a scope, and persists the rotated refresh token', async () => {
    const seen = tokenEndpoint([
      [200, delegatedResponse('at-1', 'rt-1')],
      [200, delegatedResponse('at-2', 'rt-2')],
      [200, delegatedResponse('at-3', 'rt-3')],
    ]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken();
    deps.advance(3600);
    // A new process (session) on the same state: refresh, never redeem the code again.
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-2');
    deps.advance(3600);
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-3');
    expect(seen.map((s) => s.grant_type)).to.deep.equal([
      'authorization_code',
      'refresh_token',
      'refresh_token',
    ]);
    expect(seen[1]).to.include({ refresh_token: 'rt-1', client_secret: SECRET });
    expect(seen[1]?.scope?.split(' ')).to.include('https://graph.microsoft.com/.default');
    expect(seen[2]).to.include({ refresh_token: 'rt-2' });
    const cache = JSON.stringify((await deps.store.get()).context[AUTH_KEYS.msalCache]);
    expect(cache).to.contain('rt-3').and.not.contain('rt-2');
  });

  it('stores the access token once per instance: MSAL keeps the refresh token, not a second copy', async () => {
    tokenEndpoint([[200, delegatedResponse('at-only-once', 'rt-1')]]);
    const deps = testDeps(codeConfig(CODE));
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-only-once');
    const { context } = await deps.store.get();
    const copies = JSON.stringify(context).split('at-only-once').length - 1;
    expect(copies).to.equal(1);
    expect(context[AUTH_KEYS.accessToken]).to.equal('at-only-once');
    expect(JSON.stringify(context[AUTH_KEYS.msalCache])).to.contain('rt-1');
  });

  it('never redeems the same code twice, but redeems a different one (the user authorized again)', async () => {
    const seen = tokenEndpoint([
      [200, delegatedResponse('at-1', 'rt-1')],
      [200, delegatedResponse('at-2', 'rt-2')],
      [200, delegatedResponse('at-new', 'rt-new')],
    ]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken({ forceRefresh: true });
    // Same code, forced refresh: the refresh token is used, not the spent code.
    expect(await (await createAuthSession(deps)).getAccessToken({ forceRefresh: true })).to.equal(
      'at-2',
    );
    const again = await createAuthSession({ ...deps, config: codeConfig('0.AXcAcode-two') });
    expect(await again.getAccessToken()).to.equal('at-new');
    expect(seen.map((s) => s.grant_type)).to.deep.equal([
      'authorization_code',
      'refresh_token',
      'authorization_code',
    ]);
    expect(seen.map((s) => s.code)).to.deep.equal([CODE, undefined, '0.AXcAcode-two']);
  });

  it('explains how to finish authorization when there is neither a code nor a refresh token', async () => {
    const session = await createAuthSession(testDeps(codeConfig()));
    const error = await session.getAccessToken().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('msgraph-user login')
      .and.contain('msgraph-user-generate-login-url')
      .and.contain('"Authorization Code"');
  });

  it('does not redeem a pasted code when told not to (test-module)', async () => {
    const session = await createAuthSession(testDeps(codeConfig(CODE)));
    const error = await session.getAccessToken({ redeemCode: false }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('has not been redeemed yet')
      .and.contain('!msgraph-user-test');
  });

  it('keeps the working authorization when redeeming a new code fails, and says why', async () => {
    tokenEndpoint([
      [200, delegatedResponse('at-1', 'rt-1')],
      [
        400,
        aadError(
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        ),
      ],
    ]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken();
    const before = (await deps.store.get()).context;
    const error = await (
      await createAuthSession({ ...deps, config: codeConfig('0.AXcAspent') })
    )
      .getAccessToken()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthorizationError);
    expect((error as AuthorizationError).message).to.equal(
      'Error in Microsoft authorization: AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
    expect((error as AuthorizationError).hint).to.contain('msgraph-user-auth-reset');
    expect((await deps.store.get()).context).to.deep.equal(before);
  });

  it('maps an expired refresh token (AADSTS700082) to a re-authorization hint', async () => {
    tokenEndpoint([
      [200, delegatedResponse('at-1', 'rt-1')],
      [
        400,
        aadError(
          'invalid_grant',
          700082,
          'The refresh token has expired due to inactivity. The token was issued on 2024-01-01 and was inactive for 90.00:00:00.',
        ),
      ],
    ]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken();
    deps.advance(7200);
    const error = (await (
      await createAuthSession(deps)
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as AuthorizationError;
    expect(error.aadsts).to.equal(700082);
    expect(error.message).to.match(
      /^Error in Microsoft authorization: AADSTS700082: The refresh token has expired due to inactivity\./,
    );
    expect(error.message).to.not.match(/Trace ID|Correlation ID|Timestamp/);
    expect(error.hint).to.contain('msgraph-user-auth-reset').and.contain('msgraph-user login');
  });

  it('refreshes from a cached refresh token even when the server sent no account information', async () => {
    const seen = tokenEndpoint([
      [200, tokenResponse('at-1', { refresh_token: 'rt-1' })],
      [200, tokenResponse('at-2', { refresh_token: 'rt-2' })],
    ]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken();
    deps.advance(3600);
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-2');
    expect(seen[1]).to.include({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
    expect(JSON.stringify((await deps.store.get()).context[AUTH_KEYS.msalCache])).to.contain(
      'rt-2',
    );
  });

  it('registers the code and every token with the redactor', async () => {
    tokenEndpoint([[200, delegatedResponse('at-secret-value', 'rt-secret-value')]]);
    const deps = testDeps(codeConfig(CODE));
    await (await createAuthSession(deps)).getAccessToken();
    const text = deps.redactor.redact(
      `code ${CODE} at at-secret-value rt rt-secret-value tenant ${TENANT}`,
    );
    expect(text).to.equal(`code <redacted> at <redacted> rt <redacted> tenant ${TENANT}`);
  });
});
