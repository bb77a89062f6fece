/**
 * The MFA commands beyond what a spec states: the secret and the token live only in the
 * integration context (never in entries or logs), the v1 token request goes to the configured
 * cloud's login host without a Graph token, request-mfa finds the stored token (and refuses an
 * expired one), honours its timeout, and reads the service's XML answer.
 */
import { createHash } from 'node:crypto';
import { EXPIRY_MARGIN_SECONDS } from '../../src/auth/token-cache.js';
import { expect } from 'chai';
import nock from 'nock';
import {
  parseTwoWayAuthenticationResponse,
  twoWayAuthenticationRequest,
} from '../../src/mfa/two-way-auth.js';
import type { AuthSession } from '../../src/auth/types.js';
import type { Entry } from '../../src/command/entries.js';
import type { Logger } from '../../src/base/log.js';
import type { Runtime } from '../../src/runtime/compose.js';
import { commandRuntime, intercept, staticAuth, type Exchange } from './harness.js';

const TENANT = 'contoso.onmicrosoft.com';
const MFA_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';
const SP_ID = '5c4c0ed2-8a8e-4e7f-9a4e-0b1c6d3e2f10';
const SECRET = 'Q~8abcDEFghiJKLmnoPQRstuVWXyz0123456789';
const MFA_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.mfa-connector-token.signature';
const USER = 'kim@contoso.com';
const CONNECTOR = '/StrongAuthenticationService.svc/Connector';

const session: AuthSession = {
  ...staticAuth(),
  config: { flow: 'client-credentials', tenantId: TENANT },
};

function capturingLogger(lines: string[]): Logger {
  const push = (m: string) => void lines.push(m);
  return { debug: push, info: push, warn: push, error: push };
}

const servicePrincipals: Exchange = {
  method: 'GET',
  path: '/v1.0/servicePrincipals',
  query: { $filter: `appId eq '${MFA_APP_ID}'`, $select: 'id' },
  status: 200,
  response: { value: [{ id: SP_ID }] },
};
const addPassword: Exchange = {
  method: 'POST',
  path: `/v1.0/servicePrincipals/${SP_ID}/addPassword`,
  body: { passwordCredential: { displayName: 'MFA App Secret' } },
  status: 200,
  response: {
    displayName: 'MFA App Secret',
    endDateTime: '2027-03-01T10:00:00Z',
    hint: 'Q~8',
    keyId: '0b7d3c1e-5a4f-4c2b-9e8d-7f6a5b4c3d2e',
    secretText: SECRET,
    startDateTime: '2025-03-01T10:00:00Z',
  },
};

/** The v1 token endpoint, which must not receive the Graph bearer token. */
function tokenEndpoint(
  login: string,
  resource: string,
  secret: string,
  reply: [number, Record<string, unknown>],
): nock.Scope {
  return nock(login, { badheaders: ['authorization'] })
    .post(`/${TENANT}/oauth2/token`, (body: Record<string, string>) => {
      return (
        body.client_id === MFA_APP_ID &&
        body.client_secret === secret &&
        body.grant_type === 'client_credentials' &&
        body.resource === `${resource}${CONNECTOR}`
      );
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(...reply);
}

const tokenAnswer = (expiresOn: number) => ({
  token_type: 'Bearer',
  expires_in: '3599',
  ext_expires_in: '3599',
  expires_on: String(expiresOn),
  not_before: String(expiresOn - 3599),
  resource: `https://adnotifications.windowsazure.com${CONNECTOR}`,
  access_token: MFA_TOKEN,
});

const approved =
  '<BeginTwoWayAuthenticationResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
  '<Result><Value>Success</Value><Message i:nil="true"/></Result>' +
  `<UserPrincipalName>${USER}</UserPrincipalName><AuthenticationResult>true</AuthenticationResult>` +
  '</BeginTwoWayAuthenticationResponse>';

function mfaService(origin: string, token = MFA_TOKEN): nock.Interceptor {
  return nock(origin, { reqheaders: { authorization: `Bearer ${token}` } }).post(
    `${CONNECTOR}//BeginTwoWayAuthentication`,
    (body: string) => body.includes(`<UserPrincipalName>${USER}</UserPrincipalName>`),
  );
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('MFA commands: secrets stay in the integration context', () => {
  let runtime: Runtime;
  let lines: string[];

  beforeEach(async () => {
    nock.disableNetConnect();
    lines = [];
    runtime = await commandRuntime({
      params: { allow_secret_generators: true },
      authSession: session,
      logger: capturingLogger(lines),
    });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const expectClean = (entries: Entry[]) => {
    const text = JSON.stringify(entries) + lines.join('\n');
    expect(text).to.not.contain(SECRET);
    expect(text).to.not.contain(MFA_TOKEN);
  };

  it('chains secret -> token -> push without either value leaving the integration context', async () => {
    const graph = [servicePrincipals, addPassword].map(intercept);
    const secretEntries = await runtime.run('msgraph-user-create-mfa-client-secret', {});
    graph.forEach((scope) => expect(scope.isDone()).to.equal(true));
    expectClean(secretEntries);
    expect(secretEntries[0]!.EntryContext).to.deep.equal({
      'MSGraphUser.MFAClientSecret(val.KeyId && val.KeyId == obj.KeyId)': {
        KeyId: '0b7d3c1e-5a4f-4c2b-9e8d-7f6a5b4c3d2e',
        ValidFrom: '2025-03-01T10:00:00Z',
        ValidUntil: '2027-03-01T10:00:00Z',
      },
    });
    const stored = (await runtime.integrationContext.get()).context;
    expect(stored.mfa_client_secret).to.deep.include({ secret: SECRET });

    const expiresOn = nowSeconds() + 3599;
    const token = tokenEndpoint(
      'https://login.microsoftonline.com',
      'https://adnotifications.windowsazure.com',
      SECRET,
      [200, tokenAnswer(expiresOn)],
    );
    const tokenEntries = await runtime.run('msgraph-user-create-mfa-client-access-token', {});
    expect(token.isDone(), JSON.stringify(tokenEntries)).to.equal(true);
    expectClean(tokenEntries);
    expect(tokenEntries[0]!.EntryContext).to.deep.equal({
      'MSGraphUser.MFAAccessToken': { ValidUntil: String(expiresOn) },
    });
    const storedToken = (await runtime.integrationContext.get()).context.mfa_access_token;
    expect(storedToken).to.deep.include({ token: MFA_TOKEN, expiresOn });
    // Bound to the secret that bought it, by a digest: the secret itself is stored only once.
    const owner = (storedToken as { owner: string }).owner;
    expect(owner).to.match(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(storedToken)).to.not.contain(SECRET);

    const push = mfaService('https://strongauthenticationservice.auth.microsoft.com')
      .matchHeader('content-type', 'application/xml')
      .reply(200, approved, { 'content-type': 'application/xml' });
    const pushEntries = await runtime.run('msgraph-user-request-mfa', { user_mail: USER });
    expect(push.isDone(), JSON.stringify(pushEntries)).to.equal(true);
    expect(pushEntries[0]!.HumanReadable).to.equal('Status: User Approved MFA Request');
    expectClean(pushEntries);
  });

  it('prefers a client_secret argument over the stored one', async () => {
    await runtime.integrationContext.update((c) => ({
      ...c,
      mfa_client_secret: { secret: SECRET },
    }));
    const token = tokenEndpoint(
      'https://login.microsoftonline.com',
      'https://adnotifications.windowsazure.com',
      'argument-secret-value',
      [200, tokenAnswer(nowSeconds() + 3599)],
    );
    const entries = await runtime.run('msgraph-user-create-mfa-client-access-token', {
      client_secret: 'argument-secret-value',
    });
    expect(token.isDone(), JSON.stringify(entries)).to.equal(true);
    expect(JSON.stringify(entries)).to.not.contain('argument-secret-value');
  });

  it('reports a rejected secret with what to do, and stores nothing', async () => {
    await runtime.integrationContext.update((c) => ({
      ...c,
      mfa_client_secret: { secret: SECRET },
    }));
    tokenEndpoint(
      'https://login.microsoftonline.com',
      'https://adnotifications.windowsazure.com',
      SECRET,
      [
        401,
        {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
          error_codes: [7000215],
        },
      ],
    );
    const entries = await runtime.run('msgraph-user-create-mfa-client-access-token', {});
    expect(entries[0]!.Type).to.equal(4);
    const text = String(entries[0]!.Contents);
    expect(text).to.contain('Error obtaining access token: [401] invalid_client: AADSTS7000215');
    expect(text).to.contain('run msgraph-user-create-mfa-client-secret');
    expect((await runtime.integrationContext.get()).context.mfa_access_token).to.equal(undefined);
  });

  it('reports a token error given as an object by its code and message (was: "[object Object]")', async () => {
    tokenEndpoint(
      'https://login.microsoftonline.com',
      'https://adnotifications.windowsazure.com',
      SECRET,
      [400, { error: { code: 'BadRequest', message: 'The tenant is not known.' } }],
    );
    const entries = await runtime.run('msgraph-user-create-mfa-client-access-token', {
      client_secret: SECRET,
    });
    expect(entries[0]!.Type).to.equal(4);
    expect(String(entries[0]!.Contents)).to.equal(
      'Error obtaining access token: [400] BadRequest: The tenant is not known.',
    );
  });

  it('reads an MFA answer with a character reference that names no character (was: "Unexpected error")', async () => {
    mfaService('https://strongauthenticationservice.auth.microsoft.com').reply(
      200,
      approved
        .replace('<Value>Success</Value>', '<Value>OtherError</Value>')
        .replace('<Message i:nil="true"/>', '<Message>busy &#99999999;</Message>'),
      { 'content-type': 'application/xml' },
    );
    const entries = await runtime.run('msgraph-user-request-mfa', {
      user_mail: USER,
      access_token: MFA_TOKEN,
    });
    expect(String(entries[0]!.Contents)).to.equal(
      `Failed to pop MFA request for user ${USER}: Status: MFA Request Failed - busy \ufffd`,
    );
  });

  it('refuses an expired stored token before sending anything', async () => {
    await runtime.integrationContext.update((c) => ({
      ...c,
      mfa_access_token: { token: MFA_TOKEN, expiresOn: nowSeconds() + 30 },
    }));
    const entries = await runtime.run('msgraph-user-request-mfa', { user_mail: USER });
    expect(entries[0]!.Type).to.equal(4);
    expect(String(entries[0]!.Contents)).to.contain(
      'Run msgraph-user-create-mfa-client-access-token first',
    );
  });

  it('follows the Graph token cache policy: not within 5 minutes of expiry, not after the secret changed', async () => {
    const owner = (secret: string) =>
      createHash('sha256').update(`mfa\n${secret}`, 'utf8').digest('hex').slice(0, 32);
    const stored = (expiresIn: number, boughtWith: string, secret: string) =>
      runtime.integrationContext.update((c) => ({
        ...c,
        mfa_client_secret: { secret },
        mfa_access_token: {
          token: MFA_TOKEN,
          obtainedAt: nowSeconds() - 3600 + expiresIn,
          expiresOn: nowSeconds() + expiresIn,
          owner: owner(boughtWith),
        },
      }));
    const refused = async () => {
      const entries = await runtime.run('msgraph-user-request-mfa', { user_mail: USER });
      expect(String(entries[0]!.Contents)).to.contain('No valid MFA access token');
    };
    await stored(EXPIRY_MARGIN_SECONDS - 10, SECRET, SECRET);
    await refused();
    await stored(3000, 'an-older-secret-value', SECRET);
    await refused();
  });

  it('says to renew the token when the service answers 401', async () => {
    mfaService('https://strongauthenticationservice.auth.microsoft.com').reply(
      401,
      '<Error><Code>Unauthorized</Code></Error>',
    );
    const entries = await runtime.run('msgraph-user-request-mfa', {
      user_mail: USER,
      access_token: MFA_TOKEN,
    });
    expect(String(entries[0]!.Contents)).to.contain(
      `Failed to pop MFA request for user ${USER}: Error sending MFA challenge: [401]`,
    );
    expect(String(entries[0]!.Contents)).to.contain(
      'run msgraph-user-create-mfa-client-access-token again',
    );
    expectClean(entries);
  });

  it('stops waiting after the timeout argument and reports a timed-out request', async () => {
    mfaService('https://strongauthenticationservice.auth.microsoft.com')
      .delay(3000)
      .reply(200, approved, { 'content-type': 'application/xml' });
    const entries = await runtime.run('msgraph-user-request-mfa', {
      user_mail: USER,
      access_token: MFA_TOKEN,
      timeout: '1',
    });
    expect(String(entries[0]!.Contents)).to.contain(
      'Status: MFA Request Timed Out (no answer within 1 seconds)',
    );
  });
});

describe('MFA commands on a national cloud', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("uses the cloud's login host, MFA resource and MFA service (the reference was worldwide only)", async () => {
    nock.disableNetConnect();
    const runtime = await commandRuntime({
      params: { allow_secret_generators: true, azure_cloud: 'US GCC-High' },
      authSession: session,
    });
    const expiresOn = nowSeconds() + 3599;
    const token = tokenEndpoint(
      'https://login.microsoftonline.us',
      'https://adnotifications.windowsazure.us',
      SECRET,
      [200, tokenAnswer(expiresOn)],
    );
    await runtime.run('msgraph-user-create-mfa-client-access-token', { client_secret: SECRET });
    expect(token.isDone()).to.equal(true);
    const push = mfaService('https://strongauthenticationservice.auth.microsoft.us').reply(
      200,
      approved,
      {
        'content-type': 'application/xml',
      },
    );
    const entries = await runtime.run('msgraph-user-request-mfa', { user_mail: USER });
    expect(push.isDone(), JSON.stringify(entries)).to.equal(true);
  });
});

describe('BeginTwoWayAuthentication XML', () => {
  it('escapes the user principal name in the request', () => {
    const xml = twoWayAuthenticationRequest(
      `a<b>&"c'@contoso.com`,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(xml).to.contain(
      '<UserPrincipalName>a&lt;b&gt;&amp;&quot;c&apos;@contoso.com</UserPrincipalName>',
    );
    expect(xml).to.contain('<ContextId>00000000-0000-4000-8000-000000000000</ContextId>');
    expect(xml).to.contain('<SyncCall>true</SyncCall>');
  });

  it('reads prefixed elements, entities and any nil prefix', () => {
    const xml =
      '<s:BeginTwoWayAuthenticationResponse xmlns:s="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<s:Result>\n  <s:Value>OtherError</s:Value>\n  <s:Message>Phone &amp; app &#8220;busy&#8221;</s:Message>\n</s:Result>' +
      '<s:AuthenticationResult>false</s:AuthenticationResult></s:BeginTwoWayAuthenticationResponse>';
    expect(parseTwoWayAuthenticationResponse(xml)).to.deep.equal({
      value: 'OtherError',
      message: 'Phone & app \u201cbusy\u201d',
      authenticated: false,
    });
    const nil = approved.replace('i:nil', 'xsi:nil').replace('xmlns:i=', 'xmlns:xsi=');
    expect(parseTwoWayAuthenticationResponse(nil)).to.deep.equal({
      value: 'Success',
      message: undefined,
      authenticated: true,
    });
  });

  it('reads a character reference that names no character as U+FFFD (was: &#99999999; gave "Unexpected error")', () => {
    const xml = approved.replace(
      '<Message i:nil="true"/>',
      '<Message>a&#99999999;b&#x110000;c&#0;d&#xD800;e</Message>',
    );
    expect(parseTwoWayAuthenticationResponse(xml)?.message).to.equal(
      'a\ufffdb\ufffdc\ufffdd\ufffde',
    );
  });

  it('does not mistake AuthenticationResult for Result, and rejects other documents', () => {
    expect(
      parseTwoWayAuthenticationResponse('<X><AuthenticationResult>true</AuthenticationResult></X>'),
    ).to.equal(undefined);
    expect(parseTwoWayAuthenticationResponse('<html>busy</html>')).to.equal(undefined);
  });
});
