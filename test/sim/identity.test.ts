import { createHash, createPublicKey, verify } from 'node:crypto';
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  aadError,
  bearer,
  call,
  clientAssertion,
  delegatedTokens,
  form,
  graph,
  obj,
  tokens,
  tokenUrl,
  type Obj,
  type SimHttpResponse,
} from './helpers.js';

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

function expectAadError(res: SimHttpResponse, status: number, error: string, code: number): void {
  expect(res.status, res.text).to.equal(status);
  const body = aadError(res);
  expect(body.error).to.equal(error);
  expect(body.error_codes).to.deep.equal([code]);
  expect(body.error_description).to.match(
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
      's',
    ),
  );
  expect(body.timestamp).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body.trace_id).to.be.a('string');
  expect(body.correlation_id).to.be.a('string');
  expect(body.error_uri).to.equal(`https://login.microsoftonline.com/error?code=${code}`);
}

describe('sim: identity platform', () => {
  let sim: Simulator;
  let secretApp: Simulator['apps']['clientSecret'];
  const cc = (fields: Record<string, string>) =>
    call(
      sim,
      tokenUrl(sim),
      form({
        grant_type: 'client_credentials',
        client_id: secretApp.clientId,
        client_secret: secretApp.clientSecret,
        scope: GRAPH_DEFAULT,
        ...fields,
      }),
    );

  before(async () => {
    sim = await startSimulator({ users: 25 });
    secretApp = sim.apps.clientSecret;
  });
  after(() => sim.close());

  describe('metadata', () => {
    it('serves OpenID metadata whose endpoints all point at the sim', async () => {
      const res = await call(sim, `/${sim.tenantId}/v2.0/.well-known/openid-configuration`);
      const meta = obj(res);
      for (const key of [
        'token_endpoint',
        'authorization_endpoint',
        'jwks_uri',
        'end_session_endpoint',
        'issuer',
      ]) {
        expect(String(meta[key])).to.match(new RegExp(`^${sim.url}/${sim.tenantId}/`));
      }
    });

    it('accepts the tenant domain name and answers 90002 for an unknown tenant', async () => {
      const byDomain = await call(
        sim,
        `/${sim.tenantDomain}/v2.0/.well-known/openid-configuration`,
      );
      expect(obj(byDomain).token_endpoint).to.equal(`${sim.url}/${sim.tenantId}/oauth2/v2.0/token`);
      const unknown = await call(
        sim,
        '/nosuchtenant.onmicrosoft.com/v2.0/.well-known/openid-configuration',
      );
      expectAadError(unknown, 400, 'invalid_tenant', 90002);
    });

    it('serves instance discovery in the shape msal-common accepts', async () => {
      const res = obj(
        await call(sim, '/common/discovery/instance?api-version=1.1&authorization_endpoint=x'),
      );
      expect(res).to.have.keys('tenant_discovery_endpoint', 'api-version', 'metadata');
      expect((res.metadata as Obj[])[0]).to.have.keys(
        'preferred_network',
        'preferred_cache',
        'aliases',
      );
    });

    it('publishes the key that signs id tokens', async () => {
      const issued = await delegatedTokens(sim);
      const [h, p, s] = (issued.id_token ?? '').split('.') as [string, string, string];
      const jwks = obj(await call(sim, `/${sim.tenantId}/discovery/v2.0/keys`)).keys as Obj[];
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Obj;
      const jwk = jwks.find((k) => k.kid === header.kid) as Obj;
      const key = createPublicKey({
        key: { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) },
        format: 'jwk',
      });
      expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).to.equal(
        true,
      );
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Obj;
      expect(claims).to.include({
        tid: sim.tenantId,
        oid: sim.users.admin?.id,
        aud: secretApp.clientId,
      });
      expect(claims).to.include.keys(
        'sub',
        'iss',
        'iat',
        'nbf',
        'exp',
        'preferred_username',
        'name',
      );
    });
  });

  describe('client credentials', () => {
    it('issues an app token for the Graph .default scope (Graph host or sim URL)', async () => {
      for (const scope of [
        GRAPH_DEFAULT,
        `${sim.url}/.default`,
        'https://graph.microsoft.com//.default',
      ]) {
        const res = await cc({ scope });
        expect(res.status, scope).to.equal(200);
        expect(tokens(res)).to.include({ token_type: 'Bearer', expires_in: 3600 });
      }
    });

    it('accepts HTTP Basic client authentication and ignores msal extras', async () => {
      const basic = Buffer.from(
        `${secretApp.clientId}:${encodeURIComponent(secretApp.clientSecret)}`,
      ).toString('base64');
      const res = await call(sim, `${tokenUrl(sim)}?x-client-SKU=msal.js.node`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: GRAPH_DEFAULT,
          client_info: '1',
          'x-client-current-telemetry': '5|771',
        }).toString(),
      });
      expect(res.status).to.equal(200);
    });

    it('answers 7000215 (401) for a bad secret', async () => {
      expectAadError(await cc({ client_secret: 'nope' }), 401, 'invalid_client', 7000215);
    });

    it('answers 700016 for an unknown client and 90002 for an unknown tenant', async () => {
      expectAadError(
        await cc({ client_id: '11111111-2222-3333-4444-555555555555' }),
        400,
        'unauthorized_client',
        700016,
      );
      const res = await call(
        sim,
        tokenUrl(sim, 'contoso.example'),
        form({ grant_type: 'client_credentials' }),
      );
      expectAadError(res, 400, 'invalid_request', 90002);
    });

    it('answers 70011 for a scope that is not <graph>/.default and 900144 without a scope', async () => {
      expectAadError(
        await cc({ scope: 'https://foo.microsoft.com/.default' }),
        400,
        'invalid_scope',
        70011,
      );
      expectAadError(
        await cc({ scope: 'https://graph.microsoft.com/User.Read' }),
        400,
        'invalid_scope',
        70011,
      );
      expectAadError(await cc({ scope: '' }), 400, 'invalid_request', 900144);
    });

    it('answers unsupported_grant_type for grants the sim does not implement', async () => {
      expectAadError(await cc({ grant_type: 'password' }), 400, 'unsupported_grant_type', 70003);
    });

    it('answers 7000218 when neither a secret nor an assertion is sent', async () => {
      const res = await call(
        sim,
        tokenUrl(sim),
        form({
          grant_type: 'client_credentials',
          client_id: secretApp.clientId,
          scope: GRAPH_DEFAULT,
        }),
      );
      expectAadError(res, 401, 'invalid_client', 7000218);
    });
  });

  describe('certificate assertions', () => {
    const withAssertion = (assertion: string) =>
      call(
        sim,
        tokenUrl(sim),
        form({
          grant_type: 'client_credentials',
          client_id: sim.apps.certificate.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: GRAPH_DEFAULT,
        }),
      );

    it('accepts an RS256 assertion with the registered x5t, for the GUID or domain audience', async () => {
      expect((await withAssertion(clientAssertion(sim))).status).to.equal(200);
      const aud = `${sim.url}/${sim.tenantDomain}/oauth2/v2.0/token`;
      expect((await withAssertion(clientAssertion(sim, { payload: { aud } }))).status).to.equal(
        200,
      );
    });

    it('accepts the x5t#S256 header', async () => {
      const x5t256 = Buffer.from(sim.apps.certificate.thumbprintSha256, 'hex').toString(
        'base64url',
      );
      const res = await withAssertion(
        clientAssertion(sim, { header: { x5t: undefined, 'x5t#S256': x5t256 } }),
      );
      expect(res.status, res.text).to.equal(200);
    });

    it('answers 700027 for a bad signature, an unknown thumbprint or a wrong audience', async () => {
      const good = clientAssertion(sim);
      // Same header and payload, signature of a different message: what another key looks like.
      const forged = `${good.slice(0, good.lastIndexOf('.'))}.${clientAssertion(sim, { payload: { jti: 'other' } }).split('.')[2] ?? ''}`;
      expectAadError(await withAssertion(forged), 401, 'invalid_client', 700027);
      const wrongThumb = Buffer.from('00'.repeat(20), 'hex').toString('base64url');
      expectAadError(
        await withAssertion(clientAssertion(sim, { header: { x5t: wrongThumb } })),
        401,
        'invalid_client',
        700027,
      );
      expectAadError(
        await withAssertion(
          clientAssertion(sim, { payload: { aud: 'https://example.com/token' } }),
        ),
        401,
        'invalid_client',
        700027,
      );
    });

    it('answers 700024 for an expired or not-yet-valid assertion', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectAadError(
        await withAssertion(
          clientAssertion(sim, { payload: { nbf: now - 7200, exp: now - 3600 } }),
        ),
        401,
        'invalid_client',
        700024,
      );
      expectAadError(
        await withAssertion(
          clientAssertion(sim, { payload: { nbf: now + 3600, exp: now + 7200 } }),
        ),
        401,
        'invalid_client',
        700024,
      );
    });
  });

  describe('authorize + authorization code', () => {
    const authorizeUrl = (params: Record<string, string>) =>
      `/${sim.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: secretApp.clientId, response_type: 'code', redirect_uri: secretApp.redirectUri, scope: 'offline_access openid https://graph.microsoft.com/User.Read', state: 'xyz', ...params }).toString()}`;
    const codeFrom = (res: SimHttpResponse) =>
      new URL(res.headers.location ?? '').searchParams.get('code') ?? '';
    const redeem = (fields: Record<string, string>) =>
      call(
        sim,
        tokenUrl(sim),
        form({
          grant_type: 'authorization_code',
          client_id: secretApp.clientId,
          client_secret: secretApp.clientSecret,
          redirect_uri: secretApp.redirectUri,
          ...fields,
        }),
      );

    it('redirects at once with code, state and session_state', async () => {
      const res = await call(sim, authorizeUrl({}));
      expect(res.status).to.equal(302);
      const location = new URL(res.headers.location ?? '');
      expect(`${location.origin}${location.pathname}`).to.equal(secretApp.redirectUri);
      expect([...location.searchParams.keys()]).to.have.members(['code', 'state', 'session_state']);
      expect(location.searchParams.get('state')).to.equal('xyz');
    });

    it('accepts any loopback redirect URI and refuses others with a 400 (no redirect)', async () => {
      expect(
        (await call(sim, authorizeUrl({ redirect_uri: 'http://127.0.0.1:53123/cb' }))).status,
      ).to.equal(302);
      const res = await call(sim, authorizeUrl({ redirect_uri: 'https://evil.example/cb' }));
      expectAadError(res, 400, 'invalid_request', 50011);
    });

    it('reports a bad scope or response_type as an error redirect', async () => {
      const res = await call(sim, authorizeUrl({ scope: 'https://foo.example/Stuff.Read' }));
      const location = new URL(res.headers.location ?? '');
      expect(location.searchParams.get('error')).to.equal('invalid_scope');
      expect(location.searchParams.get('error_description')).to.match(/^AADSTS70011:/);
      expect(location.searchParams.get('state')).to.equal('xyz');
      const token = new URL(
        (await call(sim, authorizeUrl({ response_type: 'token' }))).headers.location ?? '',
      );
      expect(token.searchParams.get('error')).to.equal('unsupported_response_type');
    });

    it('redeems a code once for access, refresh and id tokens plus client_info', async () => {
      const code = codeFrom(await call(sim, authorizeUrl({})));
      const res = await redeem({ code, client_info: '1' });
      expect(res.status, res.text).to.equal(200);
      expect(tokens(res)).to.include.keys(
        'access_token',
        'refresh_token',
        'id_token',
        'client_info',
        'scope',
        'expires_in',
      );
      const info = JSON.parse(
        Buffer.from(tokens(res).client_info ?? '', 'base64url').toString(),
      ) as Obj;
      expect(info).to.deep.equal({ uid: sim.users.admin?.id, utid: sim.tenantId });
      expectAadError(await redeem({ code }), 400, 'invalid_grant', 54005);
    });

    it('checks redirect_uri, PKCE S256 and code expiry', async () => {
      const verifier = 'a-verifier-that-is-long-enough-to-be-valid-0123456789';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
      expectAadError(
        await redeem({
          code: codeFrom(await call(sim, authorizeUrl({}))),
          redirect_uri: 'http://localhost:9999/other',
        }),
        400,
        'invalid_grant',
        500112,
      );
      expectAadError(
        await redeem({
          code: codeFrom(await call(sim, authorizeUrl(pkce))),
          code_verifier: 'wrong',
        }),
        400,
        'invalid_grant',
        501481,
      );
      expect(
        (
          await redeem({
            code: codeFrom(await call(sim, authorizeUrl(pkce))),
            code_verifier: verifier,
          })
        ).status,
      ).to.equal(200);
      const stale = codeFrom(await call(sim, authorizeUrl({})));
      sim.advanceClock(601);
      try {
        expectAadError(await redeem({ code: stale }), 400, 'invalid_grant', 70008);
      } finally {
        sim.advanceClock(-601);
      }
      expectAadError(await redeem({ code: 'not-a-code' }), 400, 'invalid_grant', 70000);
    });
  });

  describe('refresh tokens', () => {
    const refresh = (token: string) =>
      call(
        sim,
        tokenUrl(sim),
        form({
          grant_type: 'refresh_token',
          client_id: secretApp.clientId,
          client_secret: secretApp.clientSecret,
          refresh_token: token,
        }),
      );

    it('rotates on every use and refuses the old token (70008)', async () => {
      const first = await delegatedTokens(sim);
      const second = await refresh(first.refresh_token ?? '');
      expect(second.status).to.equal(200);
      expect(tokens(second).refresh_token).to.be.a('string').and.not.equal(first.refresh_token);
      expectAadError(await refresh(first.refresh_token ?? ''), 400, 'invalid_grant', 70008);
      expect((await refresh(tokens(second).refresh_token ?? '')).status).to.equal(200);
      expectAadError(await refresh('garbage'), 400, 'invalid_grant', 70008);
    });

    it('expires after the inactivity window (700082)', async () => {
      const first = await delegatedTokens(sim);
      sim.advanceClock(91 * 86_400);
      try {
        expectAadError(await refresh(first.refresh_token ?? ''), 400, 'invalid_grant', 700082);
      } finally {
        sim.advanceClock(-91 * 86_400);
      }
    });

    it('stops working once the user is revoked through revokeSignInSessions (50173)', async () => {
      const first = await delegatedTokens(sim);
      const revoke = await graph(
        sim,
        first.access_token,
        'POST',
        `users/${sim.users.admin?.id ?? ''}/revokeSignInSessions`,
      );
      expect(obj(revoke).value).to.equal(true);
      expectAadError(await refresh(first.refresh_token ?? ''), 400, 'invalid_grant', 50173);
      expect((await delegatedTokens(sim)).access_token).to.be.a('string');
    });
  });

  describe('v1 token endpoint for the MFA connector', () => {
    it('issues a connector token for a secret created through addPassword, and refuses others', async () => {
      const admin = await delegatedTokens(sim);
      const sps = await graph(
        sim,
        admin.access_token,
        'GET',
        `servicePrincipals?$filter=appId eq '${sim.apps.mfa.appId}'&$select=id`,
      );
      const spId = String((obj(sps).value as Obj[])[0]?.id);
      const added = obj(
        await graph(sim, admin.access_token, 'POST', `servicePrincipals/${spId}/addPassword`, {
          passwordCredential: { displayName: 'MFA App Secret' },
        }),
      );
      expect(added).to.include.keys(
        'secretText',
        'startDateTime',
        'endDateTime',
        'keyId',
        'displayName',
        'hint',
      );
      const v1 = (secret: string) =>
        call(
          sim,
          `/${sim.tenantId}/oauth2/token`,
          form({
            grant_type: 'client_credentials',
            client_id: sim.apps.mfa.appId,
            client_secret: secret,
            resource:
              'https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector',
            scope: 'openid',
          }),
        );
      const ok = await v1(String(added.secretText));
      expect(ok.status, ok.text).to.equal(200);
      expect(obj(ok)).to.include.keys('access_token', 'expires_on', 'token_type', 'resource');
      expect(obj(ok).expires_on).to.match(/^\d+$/);
      expectAadError(await v1('wrong'), 401, 'invalid_client', 7000215);
      // A connector token is not a Graph token.
      expect(
        (await call(sim, '/v1.0/users', bearer(String(obj(ok).access_token)))).status,
      ).to.equal(401);
    });
  });
});
