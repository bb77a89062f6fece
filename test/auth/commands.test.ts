import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { AUTH_RESET_MESSAGE } from '../../commands/msgraph-user-auth-reset.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AUTH_CONTEXT_KEYS, AUTH_KEYS } from '../../src/auth/token-cache.js';
import type { Entry } from '../../src/command/entries.js';
import { createRuntime, type Runtime } from '../../src/runtime/compose.js';
import {
  CLIENT_ID,
  delegatedResponse,
  form,
  LOGIN,
  SECRET,
  secretConfig,
  TENANT,
  tempDir,
  testDeps,
  TOKEN_PATH,
  tokenResponse,
  useNock,
} from './support.js';

const GRAPH = 'https://graph.microsoft.com';
const REDIRECT = 'http://localhost:8765/callback';
const cred = (password: string) => ({ password });
const SELF = {
  self_deployed: true,
  creds_auth_id: cred(CLIENT_ID),
  creds_tenant_id: cred(TENANT),
  creds_enc_key: cred(SECRET),
};

const runtime = (params: Record<string, unknown>, stateDir = tempDir()): Promise<Runtime> =>
  createRuntime({ params, stateDir });

/** The text an entry shows: its human-readable part, else its contents. */
const shown = (entries: Entry[]): string =>
  entries.map((e) => String(e.HumanReadable ?? e.Contents)).join('\n');

/** One page of users, as `GET users?$top=1&$select=id` answers. */
function graphUsers(token: string, status = 200): void {
  nock(GRAPH, { reqheaders: { authorization: `Bearer ${token}` } })
    .get('/v1.0/users')
    .query({ $top: '1', $select: 'id' })
    .reply(
      status,
      status === 200
        ? {
            '@odata.context': `${GRAPH}/v1.0/$metadata#users(id)`,
            value: [{ id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd' }],
          }
        : {
            error: {
              code: 'InvalidAuthenticationToken',
              message: 'Lifetime validation failed, the token is expired.',
            },
          },
    );
}

describe('authorization commands', () => {
  useNock();

  describe('test-module', () => {
    it('gets a token and reads one user: ok', async () => {
      nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, tokenResponse('at-1'));
      graphUsers('at-1');
      const entries = await (await runtime(SELF)).run('test-module');
      expect(entries[0]?.Contents).to.equal('ok');
    });

    it('authenticates afresh even when a token is cached (was: "ok" from the cache after the secret was revoked)', async () => {
      nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, tokenResponse('at-1'));
      graphUsers('at-1');
      const stateDir = tempDir();
      expect((await (await runtime(SELF, stateDir)).run('test-module'))[0]?.Contents).to.equal(
        'ok',
      );
      // The secret is revoked in Entra: the same parameters now fail at the token endpoint.
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .reply(401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000222: The provided client secret keys are expired.',
          error_codes: [7000222],
        });
      const entries = await (await runtime(SELF, stateDir)).run('test-module');
      expect(entries[0]?.Type).to.equal(4);
      expect(shown(entries)).to.match(/AADSTS7000222: The provided client secret keys are expired/);
    });

    it('gets a new token when Graph rejects the cached one (401), then succeeds', async () => {
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .reply(200, tokenResponse('at-old'))
        .post(TOKEN_PATH)
        .query(true)
        .reply(200, tokenResponse('at-new'));
      graphUsers('at-old', 401);
      graphUsers('at-new');
      expect((await (await runtime(SELF)).run('test-module'))[0]?.Contents).to.equal('ok');
    });

    it('explains how to finish the authorization code flow when nothing is stored, without any request', async () => {
      const entries = await (await runtime({ ...SELF, redirect_uri: REDIRECT })).run('test-module');
      expect(shown(entries)).to.contain('not finished').and.contain('msgraph-user login');
    });

    it('does not redeem a pasted code (msgraph-user-test does)', async () => {
      const entries = await (
        await runtime({ ...SELF, redirect_uri: REDIRECT, creds_auth_code: cred('0.AXcode') })
      ).run('test-module');
      expect(shown(entries)).to.contain('!msgraph-user-test');
    });

    it('succeeds for the authorization code flow once a refresh token is stored', async () => {
      const stateDir = tempDir();
      const params = { ...SELF, redirect_uri: REDIRECT, creds_auth_code: cred('0.AXcode') };
      nock(LOGIN).post(TOKEN_PATH).query(true).reply(200, delegatedResponse('at-1', 'rt-1'));
      // test-module proves the stored authorization still works: it refreshes, never reuses.
      nock(LOGIN)
        .post(TOKEN_PATH, (body: Record<string, string>) => body.refresh_token === 'rt-1')
        .query(true)
        .reply(200, delegatedResponse('at-2', 'rt-2'));
      graphUsers('at-1');
      graphUsers('at-2');
      expect(shown(await (await runtime(params, stateDir)).run('msgraph-user-test'))).to.equal(
        '```✅ Success!```',
      );
      expect((await (await runtime(params, stateDir)).run('test-module'))[0]?.Contents).to.equal(
        'ok',
      );
    });

    it('shows the identity error with its hint, not a stack trace', async () => {
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .reply(401, {
          error: 'invalid_client',
          error_description:
            'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x\r\nCorrelation ID: y',
          error_codes: [7000215],
        });
      // The runtime loads the session with a dynamic import, which mocha's CJS spec loading turns
      // into a second copy of the module graph (so `instanceof UserError` fails across it); a
      // session from this graph keeps the dispatcher's check meaningful.
      const authSession = await createAuthSession(testDeps(secretConfig()));
      const entries = await (
        await createRuntime({ params: SELF, stateDir: tempDir(), authSession })
      ).run('test-module');
      expect(entries[0]?.Type).to.equal(4);
      expect(shown(entries)).to.equal(
        'Error in Microsoft authorization: AADSTS7000215: Invalid client secret provided.\nCheck "Key": it must be the client secret\'s Value (not its Secret ID) of the application in "ID".',
      );
    });
  });

  describe('msgraph-user-test', () => {
    it('redeems the pasted code once, then refreshes: the code is never sent again', async () => {
      const stateDir = tempDir();
      const params = { ...SELF, redirect_uri: REDIRECT, creds_auth_code: cred('0.AXcode') };
      const grants: string[] = [];
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .times(2)
        .reply(200, (_uri, body) => {
          grants.push(form(body as string).grant_type ?? '');
          return delegatedResponse(`at-${grants.length}`, `rt-${grants.length}`);
        });
      graphUsers('at-1');
      graphUsers('at-2');
      const rt = await runtime(params, stateDir);
      expect(shown(await rt.run('msgraph-user-test'))).to.equal('```✅ Success!```');
      await rt.integrationContext.update((c) => ({ ...c, [AUTH_KEYS.expiresOn]: 0 }));
      expect(shown(await (await runtime(params, stateDir)).run('msgraph-user-test'))).to.equal(
        '```✅ Success!```',
      );
      expect(grants).to.deep.equal(['authorization_code', 'refresh_token']);
    });

    it('answers ok for the Cortex XSOAR app', async () => {
      nock('https://oproxy.demisto.ninja')
        .post('/obtain-token')
        .reply(200, { access_token: 'at-x', expires_in: 3595 });
      graphUsers('at-x');
      const params = {
        creds_auth_id: cred('registration-id'),
        creds_tenant_id: cred('tenant-token-value'),
        creds_enc_key: cred(randomBytes(32).toString('base64')),
      };
      expect((await (await runtime(params)).run('msgraph-user-test'))[0]?.Contents).to.equal('ok');
    });
  });

  describe('msgraph-user-auth-reset', () => {
    it('clears exactly the authorization and MFA credential keys and keeps the rest', async () => {
      const rt = await runtime(SELF);
      const auth = Object.fromEntries(AUTH_CONTEXT_KEYS.map((k) => [k, `value-of-${k}`]));
      await rt.integrationContext.set({
        ...auth,
        mfa_client_secret: { secret: 'mfa-secret-value', validUntil: 'x' },
        mfa_access_token: { token: 'mfa-token-value', expiresOn: 1 },
        last_fetch: '2024-01-01T00:00:00Z',
        mfa_client: { id: 'x' },
      });
      const entries = await rt.run('msgraph-user-auth-reset');
      expect(shown(entries)).to.equal(AUTH_RESET_MESSAGE);
      expect((await rt.integrationContext.get()).context).to.deep.equal({
        last_fetch: '2024-01-01T00:00:00Z',
        mfa_client: { id: 'x' },
      });
      expect(AUTH_CONTEXT_KEYS).to.have.members([
        'access_token',
        'access_token_expires_on',
        'access_token_obtained_at',
        'access_token_owner',
        'msal_cache',
        'current_refresh_token',
        'auth_code_redeemed_sha256',
        'next_request_time',
        'delay_request_counter',
      ]);
    });
  });

  describe('msgraph-user-generate-login-url', () => {
    it("builds the guide's URL on the cloud's login host, every value encoded, with a random state", async () => {
      const params = {
        ...SELF,
        azure_cloud: 'US GCC-High',
        redirect_uri: 'https://xsoar.example.com/auth callback',
      };
      const first = shown(await (await runtime(params)).run('msgraph-user-generate-login-url'));
      const second = shown(await (await runtime(params)).run('msgraph-user-generate-login-url'));
      const url = /\[login URL\]\(([^)]+)\)/.exec(first)?.[1] ?? '';
      expect(url).to.match(
        new RegExp(
          `^https://login\\.microsoftonline\\.us/${TENANT}/oauth2/v2\\.0/authorize\\?response_type=code&scope=offline_access%20https%3A%2F%2Fgraph\\.microsoft\\.us%2F\\.default&client_id=${CLIENT_ID}&redirect_uri=https%3A%2F%2Fxsoar\\.example\\.com%2Fauth%20callback&state=[A-Za-z0-9_-]{22}$`,
        ),
      );
      expect(first).to.match(/^### Authorization instructions\n1\. Click on the \[login URL\]/);
      expect(first)
        .to.contain('**Authorization code**')
        .and.contain('`code=AUTH_CODE&state=STATE&session_state=SESSION_STATE`');
      expect(/state=([^)]+)\)/.exec(first)?.[1]).to.not.equal(/state=([^)]+)\)/.exec(second)?.[1]);
    });

    it('names the missing fields', async () => {
      const entries = await (
        await runtime({ self_deployed: true, creds_auth_id: cred(CLIENT_ID) })
      ).run('msgraph-user-generate-login-url');
      expect(shown(entries)).to.contain('Missing: "Token", "Redirect URI".');
    });

    it('refuses the Cortex XSOAR app flow with an explanation', async () => {
      const entries = await (
        await runtime({ creds_auth_id: cred('reg') })
      ).run('msgraph-user-generate-login-url');
      expect(entries[0]?.Type).to.equal(4);
      expect(shown(entries))
        .to.contain(
          'Cortex XSOAR Azure app signs in through https://oproxy.demisto.ninja/ms-graph-user',
        )
        .and.contain('Use a self-deployed Azure application');
    });
  });

  describe('delegated-only commands', () => {
    const stub = async () => 'changed';
    const gated = (params: Record<string, unknown>) =>
      createRuntime({
        params,
        stateDir: tempDir(),
        handlers: { 'msgraph-user-change-password': stub },
      });

    it('refuses change-password under client credentials', async () => {
      const entries = await (
        await gated(SELF)
      ).run('msgraph-user-change-password', { user: 'adele', password: 'N3w-Passw0rd!' });
      expect(shown(entries))
        .to.contain('works only with delegated permissions')
        .and.contain('msgraph-user login');
    });

    it('allows change-password under the authorization code flow', async () => {
      const entries = await (
        await gated({ ...SELF, redirect_uri: REDIRECT })
      ).run('msgraph-user-change-password', { user: 'adele', password: 'N3w-Passw0rd!' });
      expect(shown(entries)).to.equal('changed');
    });
  });
});
