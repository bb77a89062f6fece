import { randomBytes } from 'node:crypto';
import { isoSeconds } from '../clock.js';
import { stableGuid } from '../data/ids.js';
import { GRAPH_APP_ID, MFA_APP_ID, TENANT } from '../data/tenant.js';
import type { IssuedCertificate } from '../tls.js';
import type { JsonObject } from '../types.js';

/** Redirect URI registered for the authorization-code flow (loopback ports are also accepted). */
export const REGISTERED_REDIRECT_URI = 'http://localhost:8765/callback';

/** An application the token endpoint knows. */
export interface RegisteredApp {
  clientId: string;
  displayName: string;
  secrets: string[];
  certificate?: IssuedCertificate;
  redirectUris: string[];
  /** Delegated flows (authorization code) are allowed. */
  interactive: boolean;
}

/** Credentials of the registered applications, as published on the Simulator. */
export interface SimApps {
  clientSecret: { clientId: string; clientSecret: string; redirectUri: string };
  certificate: {
    clientId: string;
    thumbprint: string;
    thumbprintSha256: string;
    privateKeyPem: string;
    certificatePem: string;
  };
  xsoar: { appName: string; registrationId: string; key: string; tenantToken: string };
  managedIdentity: { systemAssignedClientId: string; userAssignedClientId: string };
  mfa: { appId: string; servicePrincipalId: string };
}

/** A client secret in the style Entra generates (40 characters, "~" inside). */
function newSecret(): string {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, 'x');
  return `${body.slice(0, 3)}8Q~${body.slice(3, 40)}`.slice(0, 40);
}

/** Registered applications, the oproxy registration, managed identities and service principals. */
export class AppRegistry {
  readonly apps = new Map<string, RegisteredApp>();
  readonly published: SimApps;
  readonly servicePrincipals: JsonObject[];
  private readonly spSecrets = new Map<string, { secretText: string; end: number }[]>();

  constructor(clientCertificate: IssuedCertificate, nowMs: number) {
    const secretApp: RegisteredApp = {
      clientId: stableGuid('app:client-secret'),
      displayName: 'msgraph-user sim (client secret)',
      secrets: [newSecret()],
      redirectUris: [REGISTERED_REDIRECT_URI],
      interactive: true,
    };
    const certApp: RegisteredApp = {
      clientId: stableGuid('app:certificate'),
      displayName: 'msgraph-user sim (certificate)',
      secrets: [],
      certificate: clientCertificate,
      redirectUris: [REGISTERED_REDIRECT_URI],
      interactive: true,
    };
    for (const app of [secretApp, certApp]) this.apps.set(app.clientId, app);
    const managed = {
      systemAssignedClientId: stableGuid('managed-identity:system'),
      userAssignedClientId: stableGuid('managed-identity:user'),
    };
    this.published = {
      clientSecret: {
        clientId: secretApp.clientId,
        clientSecret: secretApp.secrets[0] as string,
        redirectUri: REGISTERED_REDIRECT_URI,
      },
      certificate: {
        clientId: certApp.clientId,
        thumbprint: clientCertificate.thumbprintSha1,
        thumbprintSha256: clientCertificate.thumbprintSha256,
        privateKeyPem: clientCertificate.keyPem,
        certificatePem: clientCertificate.pem,
      },
      xsoar: {
        appName: 'ms-graph-user',
        registrationId: stableGuid('xsoar:registration'),
        key: randomBytes(32).toString('base64'),
        tenantToken: `${TENANT.id}:${randomBytes(18).toString('base64url')}`,
      },
      managedIdentity: managed,
      mfa: { appId: MFA_APP_ID, servicePrincipalId: stableGuid('sp:mfa') },
    };
    const sp = (
      key: string,
      appId: string,
      displayName: string,
      type = 'Application',
    ): JsonObject => ({
      id: stableGuid(`sp:${key}`),
      deletedDateTime: null,
      accountEnabled: true,
      appDisplayName: displayName,
      appId,
      appOwnerOrganizationId:
        key === 'mfa' || key === 'graph' ? 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' : TENANT.id,
      displayName,
      servicePrincipalNames: [appId],
      servicePrincipalType: type,
      signInAudience: 'AzureADMyOrg',
      tags: [],
      passwordCredentials: [],
      keyCredentials: [],
      createdDateTime: isoSeconds(nowMs),
    });
    this.servicePrincipals = [
      sp('graph', GRAPH_APP_ID, 'Microsoft Graph'),
      sp('mfa', MFA_APP_ID, 'Azure Multi-Factor Auth Client'),
      sp('client-secret', secretApp.clientId, secretApp.displayName),
      sp('certificate', certApp.clientId, certApp.displayName),
      sp('mi-system', managed.systemAssignedClientId, 'msgraph-user-sim-vm', 'ManagedIdentity'),
      sp('mi-user', managed.userAssignedClientId, 'msgraph-user-sim-identity', 'ManagedIdentity'),
    ];
  }

  get(clientId: string): RegisteredApp | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  /** Records a secret added through POST /servicePrincipals/{id}/addPassword. */
  addServicePrincipalSecret(sp: JsonObject, credential: JsonObject, secretText: string): void {
    const listed = Array.isArray(sp.passwordCredentials) ? sp.passwordCredentials : [];
    // Graph never returns secretText again after addPassword, so the listing keeps it null.
    sp.passwordCredentials = [...listed, { ...credential, secretText: null }];
    const appId = String(sp.appId);
    const end =
      typeof credential.endDateTime === 'string' ? Date.parse(credential.endDateTime) : Infinity;
    this.spSecrets.set(appId, [...(this.spSecrets.get(appId) ?? []), { secretText, end }]);
  }

  /** Service-principal secrets of `appId` still valid at `nowMs`. */
  servicePrincipalSecrets(appId: string, nowMs: number): string[] {
    return (this.spSecrets.get(appId) ?? []).filter((s) => s.end > nowMs).map((s) => s.secretText);
  }

  displayNameOf(appId: string): string {
    const sp = this.servicePrincipals.find((s) => s.appId === appId);
    return typeof sp?.displayName === 'string' ? sp.displayName : appId;
  }
}
