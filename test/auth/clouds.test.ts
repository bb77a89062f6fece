import { expect } from 'chai';
import { resolveCloud, type CloudName } from '../../src/auth/clouds.js';
import { buildLoginUrl } from '../../src/auth/login-url.js';
import { authorityMetadata } from '../../src/auth/msal-app.js';
import { ConfigurationError } from '../../src/base/errors.js';

const TENANT = 'contoso.onmicrosoft.com';

const EXPECTED: Record<Exclude<CloudName, 'Custom'>, { login: string; graph: string }> = {
  Worldwide: { login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  // GCC (moderate) uses the commercial endpoints; the reference wrongly used GCC-High's Graph.
  'US GCC': { login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  'US GCC-High': { login: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  DoD: { login: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  Germany: { login: 'https://login.microsoftonline.de', graph: 'https://graph.microsoft.de' },
  China: {
    login: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
  },
};

describe('cloud endpoints', () => {
  for (const [name, { login, graph }] of Object.entries(EXPECTED)) {
    it(`derives every ${name} endpoint from its login and Graph hosts`, () => {
      const cloud = resolveCloud({ azure_cloud: name });
      expect(cloud.loginUrl).to.equal(login);
      expect(cloud.graphUrl).to.equal(graph);
      expect(cloud.graphScope).to.equal(`${graph}/.default`);
      expect(cloud.managedIdentityResource).to.equal(`${graph}/`);
      expect(cloud.authority(TENANT)).to.equal(`${login}/${TENANT}`);
      expect(cloud.tokenUrl(TENANT)).to.equal(`${login}/${TENANT}/oauth2/v2.0/token`);
      expect(cloud.authorizeUrl(TENANT)).to.equal(`${login}/${TENANT}/oauth2/v2.0/authorize`);
      const url = new URL(
        buildLoginUrl(cloud, {
          tenantId: TENANT,
          clientId: 'c',
          redirectUri: 'https://x',
          state: 's',
        }),
      );
      expect(url.origin + url.pathname).to.equal(`${login}/${TENANT}/oauth2/v2.0/authorize`);
      expect(url.searchParams.get('scope')).to.equal(`offline_access ${graph}/.default`);
      const metadata = JSON.parse(authorityMetadata(cloud, TENANT));
      expect(metadata.token_endpoint).to.equal(cloud.tokenUrl(TENANT));
      expect(metadata.authorization_endpoint).to.equal(cloud.authorizeUrl(TENANT));
    });
  }

  it('defaults to Worldwide', () => {
    expect(resolveCloud({}).loginUrl).to.equal('https://login.microsoftonline.com');
  });

  it('builds Custom from host and azure_ad_endpoint, ports included', () => {
    const cloud = resolveCloud({
      azure_cloud: 'Custom',
      host: 'https://127.0.0.1:8443/',
      azure_ad_endpoint: 'https://127.0.0.1:9443',
    });
    expect(cloud.graphScope).to.equal('https://127.0.0.1:8443/.default');
    expect(cloud.tokenUrl('t')).to.equal('https://127.0.0.1:9443/t/oauth2/v2.0/token');
    expect(cloud.managedIdentityResource).to.equal('https://127.0.0.1:8443/');
  });

  it('refuses a Custom endpoint that is not https and an unknown cloud', () => {
    expect(() =>
      resolveCloud({ azure_cloud: 'Custom', azure_ad_endpoint: 'http://login.local' }),
    ).to.throw(ConfigurationError, /https/);
    expect(() => resolveCloud({ azure_cloud: 'Mars' })).to.throw(
      ConfigurationError,
      /Valid clouds/,
    );
  });

  it('refuses a server URL with a password without echoing it (was: the password in the error)', () => {
    for (const [host, says] of [
      ['https://admin:Pa55-in-url@graph.example', /must not contain a user name or password/],
      ['http://admin:Pa55-in-url@graph.example', /must use https:\/\//],
      ['https://admin:Pa55-in-url@graph.example:99999', /must be an https:\/\/ URL/],
    ] as const) {
      let message = '';
      try {
        resolveCloud({ azure_cloud: 'Custom', host });
      } catch (error) {
        expect(error).to.be.instanceOf(ConfigurationError);
        message = (error as Error).message;
      }
      expect(message).to.match(says).and.to.include('admin:<redacted>@graph.example');
      expect(message).not.to.include('Pa55-in-url');
    }
  });
});
