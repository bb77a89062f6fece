import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, call, form, graph, obj, type Obj } from './helpers.js';

const CONNECTOR = '/StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication';

function requestXml(upn: string): string {
  return `<BeginTwoWayAuthenticationRequest><Version>1.0</Version><UserPrincipalName>${upn}</UserPrincipalName><Lcid>en-us</Lcid><AuthenticationMethodProperties xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:KeyValueOfstringstring><a:Key>OverrideVoiceOtp</a:Key><a:Value>false</a:Value></a:KeyValueOfstringstring></AuthenticationMethodProperties><ContextId>5c3f6e2a-1111-4b7e-9d0a-2f2f2f2f2f2f</ContextId><SyncCall>true</SyncCall><RequireUserMatch>true</RequireUserMatch><CallerName>radius</CallerName><CallerIP>UNKNOWN:</CallerIP></BeginTwoWayAuthenticationRequest>`;
}

describe('sim: MFA push connector', () => {
  let sim: Simulator;
  let mfaToken: string;
  before(async () => {
    sim = await startSimulator();
    const app = await appToken(sim);
    const sp = obj(
      await graph(
        sim,
        app,
        'GET',
        `servicePrincipals?$filter=appId eq '${sim.apps.mfa.appId}'&$select=id`,
      ),
    );
    const spId = String((sp.value as Obj[])[0]?.id);
    const secret = String(
      obj(
        await graph(sim, app, 'POST', `servicePrincipals/${spId}/addPassword`, {
          passwordCredential: { displayName: 'MFA App Secret' },
        }),
      ).secretText,
    );
    const res = await call(
      sim,
      `/${sim.tenantId}/oauth2/token`,
      form({
        grant_type: 'client_credentials',
        client_id: sim.apps.mfa.appId,
        client_secret: secret,
        resource:
          'https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector',
      }),
    );
    mfaToken = String(obj(res).access_token);
  });
  after(() => sim.close());

  const push = (upn: string, token = mfaToken) =>
    call(sim, CONNECTOR, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      body: requestXml(upn),
    });

  it('approves by default', async () => {
    const res = await push(sim.users.kim?.userPrincipalName ?? '');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<Result><Value>Success<\/Value><Message i:nil="true"\/><\/Result>/);
    expect(res.text).to.contain('<AuthenticationResult>true</AuthenticationResult>');
  });

  it('denies UPNs starting with "deny" and reports no answer for "timeout"', async () => {
    const denied = await push('deny.me@x.example');
    expect(denied.text)
      .to.contain('<Value>PhoneAppDenied</Value>')
      .and.contain('<AuthenticationResult>false</AuthenticationResult>');
    const timedOut = await push('timeout.user@x.example');
    expect(timedOut.text).to.contain('<Value>PhoneAppNoResponse</Value>');
  });

  it('only accepts the connector token', async () => {
    expect((await push('a@b.example', await appToken(sim))).status).to.equal(401);
    expect((await push('a@b.example', 'nope.nope.nope')).status).to.equal(401);
  });
});
