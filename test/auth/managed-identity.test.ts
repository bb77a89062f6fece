import { expect } from 'chai';
import nock from 'nock';
import type { AuthConfig } from '../../src/auth/flow.js';
import { createAuthSession } from '../../src/auth/session.js';
import { UserError } from '../../src/base/errors.js';
import { testDeps, useNock } from './support.js';

const IMDS = 'http://169.254.169.254';
const IMDS_PATH = '/metadata/identity/oauth2/token';
const USER_ASSIGNED = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

/** The instance metadata service's answer (a managed-identity token for a resource). */
const imdsToken = (accessToken: string, resource: string) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    access_token: accessToken,
    client_id: USER_ASSIGNED,
    expires_in: '86399',
    expires_on: String(now + 86399),
    ext_expires_in: '86399',
    not_before: String(now),
    resource,
    token_type: 'Bearer',
  };
};

interface ImdsRequest {
  query: Record<string, string>;
  metadata: string | string[] | undefined;
}

function imds(origin: string, answers: [number, object][]): ImdsRequest[] {
  const seen: ImdsRequest[] = [];
  const scope = nock(origin);
  for (const [status, body] of answers) {
    scope
      .get(IMDS_PATH)
      .query(true)
      .reply(function (uri) {
        seen.push({
          query: Object.fromEntries(new URL(uri, origin).searchParams),
          metadata: this.req.headers.metadata,
        });
        return [status, body];
      });
  }
  return seen;
}

describe('managed identity flow', () => {
  useNock();
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
  });

  it('asks IMDS for the Graph resource with Metadata: true (system-assigned: no client_id)', async () => {
    const seen = imds(IMDS, [[200, imdsToken('at-mi-system', 'https://graph.microsoft.com/')]]);
    const session = await createAuthSession(testDeps({ flow: 'managed-identity' }));
    expect(await session.getAccessToken()).to.equal('at-mi-system');
    expect(seen[0]?.query).to.deep.equal({
      'api-version': '2018-02-01',
      resource: 'https://graph.microsoft.com/',
    });
    expect(seen[0]?.metadata).to.equal('true');
  });

  it("passes a user-assigned identity's client_id and the national cloud's resource", async () => {
    const seen = imds(IMDS, [[200, imdsToken('at-mi-user', 'https://dod-graph.microsoft.us/')]]);
    const config: AuthConfig = { flow: 'managed-identity', managedIdentityClientId: USER_ASSIGNED };
    const session = await createAuthSession(testDeps(config, { cloud: { azure_cloud: 'DoD' } }));
    expect(await session.getAccessToken()).to.equal('at-mi-user');
    expect(seen[0]?.query).to.include({
      client_id: USER_ASSIGNED,
      resource: 'https://dod-graph.microsoft.us/',
    });
  });

  it('uses AZURE_POD_IDENTITY_AUTHORITY_HOST as the endpoint, read at each acquisition', async () => {
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = 'http://127.0.0.1:50342';
    imds('http://127.0.0.1:50342', [[200, imdsToken('at-mi-pod', 'https://graph.microsoft.com/')]]);
    expect(
      await (await createAuthSession(testDeps({ flow: 'managed-identity' }))).getAccessToken(),
    ).to.equal('at-mi-pod');
  });

  it('stores the token with its expiry: a second session reuses it', async () => {
    imds(IMDS, [[200, imdsToken('at-mi-cached', 'https://graph.microsoft.com/')]]);
    const deps = testDeps({ flow: 'managed-identity' });
    await (await createAuthSession(deps)).getAccessToken();
    expect(await (await createAuthSession(deps)).getAccessToken()).to.equal('at-mi-cached');
  });

  it('explains an IMDS error as a managed-identity problem', async () => {
    imds(IMDS, [[400, { error: 'invalid_request', error_description: 'Identity not found' }]]);
    const config: AuthConfig = { flow: 'managed-identity', managedIdentityClientId: USER_ASSIGNED };
    const error = (await (
      await createAuthSession(testDeps(config))
    )
      .getAccessToken()
      .catch((e: unknown) => e)) as UserError;
    expect(error).to.be.instanceOf(UserError);
    expect(error.message).to.equal(
      'Error in Microsoft authorization with Azure Managed Identities: Identity not found',
    );
    expect(error.hint).to.contain('Azure Managed Identities Client ID');
  });
});
