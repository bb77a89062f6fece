/**
 * National clouds. One table drives every endpoint the product touches, so no endpoint is
 * accidentally worldwide-only: the login host (token endpoint, MSAL authority, login URLs), the
 * Graph host (API base, `.default` scope, managed-identity resource) and the MFA service hosts.
 * GCC (moderate) uses the commercial endpoints; the reference integration pointed it at
 * graph.microsoft.us, which is GCC-High's.
 */
import { ConfigurationError } from '../base/errors.js';
import { withoutUrlCredentials } from '../base/redact.js';

export const CLOUD_NAMES = [
  'Worldwide',
  'US GCC',
  'US GCC-High',
  'DoD',
  'Germany',
  'China',
  'Custom',
] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

interface CloudHosts {
  login: string;
  graph: string;
  /** Azure MFA (StrongAuthenticationService) and its token resource, as the NPS extension uses them. */
  mfaService: string;
  mfaResource: string;
}

const CLOUDS: Record<Exclude<CloudName, 'Custom'>, CloudHosts> = {
  Worldwide: {
    login: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.com',
    mfaResource: 'https://adnotifications.windowsazure.com',
  },
  'US GCC': {
    login: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.com',
    mfaResource: 'https://adnotifications.windowsazure.com',
  },
  'US GCC-High': {
    login: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.us',
    mfaResource: 'https://adnotifications.windowsazure.us',
  },
  DoD: {
    login: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.us',
    mfaResource: 'https://adnotifications.windowsazure.us',
  },
  Germany: {
    login: 'https://login.microsoftonline.de',
    graph: 'https://graph.microsoft.de',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.de',
    mfaResource: 'https://adnotifications.windowsazure.de',
  },
  China: {
    login: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    mfaService: 'https://strongauthenticationservice.auth.microsoft.cn',
    mfaResource: 'https://adnotifications.windowsazure.cn',
  },
};

/** Every endpoint of one cloud, derived from its hosts. */
export interface CloudEndpoints {
  name: CloudName;
  /** Login host without a trailing slash, e.g. https://login.microsoftonline.com */
  loginUrl: string;
  /** Graph host without a trailing slash, e.g. https://graph.microsoft.com */
  graphUrl: string;
  /** `https://graph.microsoft.com/.default` */
  graphScope: string;
  /** Resource URI a managed identity asks a Graph token for. */
  managedIdentityResource: string;
  mfaServiceUrl: string;
  mfaResource: string;
  /** `{login}/{tenant}` for MSAL and the token endpoints. */
  authority(tenant: string): string;
  /** `{login}/{tenant}/oauth2/v2.0/token` */
  tokenUrl(tenant: string): string;
  /** `{login}/{tenant}/oauth2/v2.0/authorize` */
  authorizeUrl(tenant: string): string;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function checkedUrl(value: string, field: string): string {
  // Echoed to say what was wrong, so never with a password in it.
  const shown = withoutUrlCredentials(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${field} must be an https:// URL (got "${shown}").`);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigurationError(`${field} must use https:// (got "${shown}").`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      `${field} must not contain a user name or password (got "${shown}"): Microsoft endpoints take the credentials from ID, Token and Key.`,
    );
  }
  return trimSlash(url.origin + url.pathname);
}

function endpoints(name: CloudName, hosts: CloudHosts): CloudEndpoints {
  const login = trimSlash(hosts.login);
  const graph = trimSlash(hosts.graph);
  return {
    name,
    loginUrl: login,
    graphUrl: graph,
    graphScope: `${graph}/.default`,
    managedIdentityResource: `${graph}/`,
    mfaServiceUrl: trimSlash(hosts.mfaService),
    mfaResource: trimSlash(hosts.mfaResource),
    authority: (tenant) => `${login}/${encodeURIComponent(tenant)}`,
    tokenUrl: (tenant) => `${login}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    authorizeUrl: (tenant) => `${login}/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`,
  };
}

export interface CloudParams {
  azure_cloud?: string;
  host?: string;
  azure_ad_endpoint?: string;
}

/**
 * The endpoints for the configured cloud. `Custom` uses `host` for Graph and `azure_ad_endpoint`
 * for login; the MFA service is then assumed on the login host, with the worldwide MFA resource.
 */
export function resolveCloud(params: CloudParams): CloudEndpoints {
  const name = params.azure_cloud?.trim() || 'Worldwide';
  if (name === 'Custom') {
    const graph = checkedUrl(
      params.host?.trim() || 'https://graph.microsoft.com',
      'Server URL (host)',
    );
    const login = checkedUrl(
      params.azure_ad_endpoint?.trim() || 'https://login.microsoftonline.com',
      'Azure AD endpoint',
    );
    // The MFA resource is an identifier Entra knows, not a host we call: keep the worldwide one.
    return endpoints('Custom', {
      login,
      graph,
      mfaService: login,
      mfaResource: CLOUDS.Worldwide.mfaResource,
    });
  }
  if (!(name in CLOUDS)) {
    throw new ConfigurationError(
      `Azure Cloud "${name}" is not known. Valid clouds: ${CLOUD_NAMES.join(', ')}.`,
    );
  }
  return endpoints(name as CloudName, CLOUDS[name as Exclude<CloudName, 'Custom'>]);
}
