/**
 * msal-node ConfidentialClientApplication for the self-deployed flows, configured from the cloud
 * table alone: the tenant-specific authority, the host as a known authority and the endpoints as
 * authority metadata. MSAL then makes no instance-discovery or OpenID-configuration request, for
 * national clouds and for a Custom authority such as https://127.0.0.1:8443 alike.
 */
import { createPrivateKey } from 'node:crypto';
import type * as MsalNode from '@azure/msal-node';
import type {
  ConfidentialClientApplication,
  Configuration,
  PublicClientApplication,
} from '@azure/msal-node';
import { ConfigurationError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import type { Logger } from '../base/log.js';
import type { CloudEndpoints } from './clouds.js';
import type { AuthDeps } from './deps.js';
import type { AuthConfig } from './flow.js';
import { contextCachePlugin } from './msal-cache.js';
import { createMsalNetworkModule, type NetworkTrace } from './msal-network.js';

/** OpenID metadata of the tenant's authority, as Entra publishes it, built from the cloud table. */
export function authorityMetadata(cloud: CloudEndpoints, tenant: string): string {
  const authority = cloud.authority(tenant);
  return JSON.stringify({
    token_endpoint: cloud.tokenUrl(tenant),
    authorization_endpoint: cloud.authorizeUrl(tenant),
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    issuer: `${authority}/v2.0`,
  });
}

type ClientCredential = Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'>;

/** The secret, or the certificate with its thumbprint in the header MSAL should use (x5t or x5t#S256). */
export function clientCredential(config: AuthConfig): ClientCredential {
  const certificate = config.certificate;
  if (!certificate) return { clientSecret: config.clientSecret };
  try {
    // MSAL would only fail inside the JWT signer, with a message about "secretOrPrivateKey".
    createPrivateKey(certificate.privateKey);
  } catch (error) {
    throw new ConfigurationError(
      `"Private Key" could not be read as a PEM private key (${(error as Error).message}). Paste the unencrypted PKCS#8 or PKCS#1 key of the certificate.`,
    );
  }
  const privateKey = certificate.privateKey;
  return certificate.thumbprint.length === 64
    ? { clientCertificate: { thumbprintSha256: certificate.thumbprint, privateKey } }
    : { clientCertificate: { thumbprint: certificate.thumbprint, privateKey } };
}

export function msalLogger(
  log: Logger,
  logLevel: number,
): NonNullable<Configuration['system']>['loggerOptions'] {
  return {
    piiLoggingEnabled: false,
    logLevel,
    loggerCallback: (_level, message) => log.debug(`msal: ${message}`),
  };
}

export interface MsalApp {
  app: ConfidentialClientApplication;
  trace: NetworkTrace;
}

/** What every MSAL application of the instance shares: authority, cache, network, logging. */
function sharedConfiguration(
  deps: AuthDeps,
  context: ContextData,
  msal: typeof MsalNode,
  network: ReturnType<typeof createMsalNetworkModule>,
): Configuration {
  const { config, cloud } = deps;
  if (!config.clientId || !config.tenantId) {
    throw new ConfigurationError('Fill in "ID" (creds_auth_id) and "Token" (creds_tenant_id).');
  }
  return {
    auth: {
      clientId: config.clientId,
      authority: cloud.authority(config.tenantId),
      knownAuthorities: [new URL(cloud.loginUrl).host],
      authorityMetadata: authorityMetadata(cloud, config.tenantId),
    },
    cache: { cachePlugin: contextCachePlugin(context, deps.redactor) },
    system: {
      networkClient: network,
      // Our HttpClient already retries throttling and transient failures.
      disableInternalRetries: true,
      loggerOptions: msalLogger(deps.log, msal.LogLevel.Warning),
    },
  };
}

/** A client application whose cache is `context` (the working copy under the instance lock). */
export async function confidentialApp(deps: AuthDeps, context: ContextData): Promise<MsalApp> {
  // Loaded on demand: a command served from the token cache never pays for MSAL.
  const msal = await import('@azure/msal-node');
  const network = createMsalNetworkModule(deps.http);
  const shared = sharedConfiguration(deps, context, msal, network);
  const credential = clientCredential(deps.config);
  const app = new msal.ConfidentialClientApplication({
    ...shared,
    auth: { ...shared.auth, ...credential },
  });
  return { app, trace: network.trace };
}

/**
 * A public client application (no secret), for the device code flow, which Entra serves only to
 * public clients ("Allow public client flows" on the app registration). Its cache is `context`.
 */
export async function publicApp(
  deps: AuthDeps,
  context: ContextData,
): Promise<{ app: PublicClientApplication; trace: NetworkTrace }> {
  const msal = await import('@azure/msal-node');
  const network = createMsalNetworkModule(deps.http);
  const app = new msal.PublicClientApplication(sharedConfiguration(deps, context, msal, network));
  return { app, trace: network.trace };
}
