import { expect } from 'chai';
import { constants, verify } from 'node:crypto';
import nock from 'nock';
import { createAuthSession } from '../../src/auth/session.js';
import { ConfigurationError } from '../../src/base/errors.js';
import {
  CLIENT_ID,
  clientCertificate,
  decodeJwt,
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

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('client credentials flow', () => {
  useNock();

  it('posts client_id, the .default scope, grant_type and client_secret to the tenant token endpoint', async () => {
    let sent: Record<string, string> = {};
    nock(LOGIN)
      .post(TOKEN_PATH)
      .query(true)
      .reply(200, (_uri, body) => {
        sent = form(body as string);
        return tokenResponse('at-secret-1');
      });
    const session = await createAuthSession(testDeps(secretConfig()));
    expect(await session.getAccessToken()).to.equal('at-secret-1');
    expect(sent).to.include({
      client_id: CLIENT_ID,
      scope: GRAPH_SCOPE,
      grant_type: 'client_credentials',
      client_secret: SECRET,
    });
    expect(sent).to.not.have.any.keys('client_assertion', 'resource');
  });

  it('uses the national cloud login host and Graph scope (US GCC-High), with no discovery request', async () => {
    let sent: Record<string, string> = {};
    nock('https://login.microsoftonline.us')
      .post(TOKEN_PATH)
      .query(true)
      .reply(200, (_uri, body) => {
        sent = form(body as string);
        return tokenResponse('at-gcch');
      });
    const session = await createAuthSession(
      testDeps(secretConfig(), { cloud: { azure_cloud: 'US GCC-High' } }),
    );
    expect(await session.getAccessToken()).to.equal('at-gcch');
    expect(sent.scope).to.equal('https://graph.microsoft.us/.default');
  });

  it('uses a Custom authority with a port as a known authority', async () => {
    nock('https://login.example.test:8443')
      .post(TOKEN_PATH)
      .query(true)
      .reply(200, tokenResponse('at-custom'));
    const deps = testDeps(secretConfig(), {
      cloud: {
        azure_cloud: 'Custom',
        azure_ad_endpoint: 'https://login.example.test:8443',
        host: 'https://graph.example.test',
      },
    });
    const session = await createAuthSession(deps);
    expect(await session.getAccessToken()).to.equal('at-custom');
  });

  for (const [algorithm, thumbprintKind] of [
    ['RS256', 'sha1'],
    ['PS256', 'sha256'],
  ] as const) {
    it(`signs a ${algorithm} client assertion with the ${thumbprintKind === 'sha1' ? 'x5t' : 'x5t#S256'} thumbprint instead of a secret`, async () => {
      const certificate = clientCertificate();
      let sent: Record<string, string> = {};
      nock(LOGIN)
        .post(TOKEN_PATH)
        .query(true)
        .reply(200, (_uri, body) => {
          sent = form(body as string);
          return tokenResponse('at-cert');
        });
      const config = secretConfig({
        flow: 'client-certificate',
        clientSecret: undefined,
        certificate: {
          thumbprint: certificate[thumbprintKind],
          privateKey: certificate.privateKeyPem,
        },
      });
      const session = await createAuthSession(testDeps(config));
      expect(await session.getAccessToken()).to.equal('at-cert');

      expect(sent).to.include({
        client_id: CLIENT_ID,
        scope: GRAPH_SCOPE,
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
      });
      expect(sent).to.not.have.property('client_secret');
      const jwt = decodeJwt(sent.client_assertion ?? '');
      const headerName = thumbprintKind === 'sha1' ? 'x5t' : 'x5t#S256';
      expect(jwt.header).to.include({
        alg: algorithm,
        [headerName]: Buffer.from(certificate[thumbprintKind], 'hex').toString('base64url'),
      });
      expect(jwt.payload).to.include({
        aud: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
        iss: CLIENT_ID,
        sub: CLIENT_ID,
      });
      const { exp, nbf, jti } = jwt.payload as { exp: number; nbf: number; jti: string };
      expect(exp - nbf).to.equal(600);
      expect(Math.abs(nbf - Date.now() / 1000)).to.be.below(60);
      expect(jti).to.match(/^[0-9a-f-]{36}$/);
      const padding =
        algorithm === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
      expect(
        verify(
          'sha256',
          Buffer.from(jwt.signed),
          { key: certificate.publicKeyPem, ...padding },
          jwt.signature,
        ),
      ).to.equal(true);
    });
  }

  it('refuses an unreadable private key before any request, naming "Private Key"', async () => {
    const config = secretConfig({
      flow: 'client-certificate',
      clientSecret: undefined,
      certificate: {
        thumbprint: 'A'.repeat(40),
        privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      },
    });
    const session = await createAuthSession(testDeps(config));
    const error = await session.getAccessToken().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message).to.match(/"Private Key" could not be read/);
  });
});
