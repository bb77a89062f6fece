/**
 * Azure managed identity (system- or user-assigned) through msal-node's ManagedIdentityApplication,
 * asking the instance metadata service for a token for the cloud's Graph resource.
 *
 * msal-node keeps the identity source it picks, together with the network module of the first
 * application created, in a static field, and reads AZURE_POD_IDENTITY_AUTHORITY_HOST only then.
 * So every application here gets a module that forwards to the HttpClient of the acquisition in
 * progress (acquisitions are serialised within the process), and that applies the current
 * AZURE_POD_IDENTITY_AUTHORITY_HOST to each request.
 */
import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import { UserError } from '../base/errors.js';
import type { AcquiredToken, AuthDeps, TokenSource } from './deps.js';
import { tokenExpiry } from './client-credentials.js';
import { describeIdentityError } from './errors.js';
import { createMsalNetworkModule, type NetworkTrace } from './msal-network.js';

const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
const DEFAULT_IMDS_HOST = 'http://169.254.169.254';

interface ActiveAcquisition {
  current?: INetworkModule;
  queue: Promise<unknown>;
}

// Process-wide, not module-wide: msal-node's static source may hold the forwarding module of
// another copy of this file (a test runner loading the module graph twice).
const SLOT = Symbol.for('msgraph-user.managed-identity.acquisition');
const globals = globalThis as unknown as Record<symbol, ActiveAcquisition | undefined>;
const acquisition: ActiveAcquisition = (globals[SLOT] ??= { queue: Promise.resolve() });

function currentEndpoint(url: string): string {
  const parsed = new URL(url);
  // msal-node appends a slash to the path when the host comes from the environment; IMDS
  // documents the path without it.
  if (parsed.pathname.replace(/\/+$/, '') !== IMDS_TOKEN_PATH) return url;
  const host = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST || DEFAULT_IMDS_HOST;
  return `${host.replace(/\/+$/, '')}${IMDS_TOKEN_PATH}${parsed.search}`;
}

function active(): INetworkModule {
  if (!acquisition.current) throw new Error('managed identity request outside an acquisition');
  return acquisition.current;
}

const sharedNetwork: INetworkModule = {
  sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
    active().sendGetRequestAsync<T>(currentEndpoint(url), options, timeout),
  sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
    active().sendPostRequestAsync<T>(currentEndpoint(url), options),
};

/** Runs `fn` with requests going through `module`, one acquisition at a time in this process. */
async function exclusively<T>(module: INetworkModule, fn: () => Promise<T>): Promise<T> {
  const run = acquisition.queue.then(async () => {
    acquisition.current = module;
    try {
      return await fn();
    } finally {
      acquisition.current = undefined;
    }
  });
  acquisition.queue = run.catch(() => undefined);
  return run;
}

const HINT =
  'Check that this host runs in Azure with a managed identity assigned (system-assigned, or the user-assigned identity whose client ID is in "Azure Managed Identities Client ID") and that it can reach the instance metadata service.';

function managedIdentityError(error: unknown, trace: NetworkTrace): UserError {
  let detail: string;
  if (trace.failure) detail = trace.failure.message;
  else if (trace.errorBody) detail = describeIdentityError(trace.errorBody).text;
  else detail = error instanceof Error ? error.message : String(error);
  return new UserError(
    `Error in Microsoft authorization with Azure Managed Identities: ${detail}`,
    HINT,
  );
}

export function managedIdentitySource(deps: AuthDeps): TokenSource {
  const clientId = deps.config.managedIdentityClientId;
  return {
    async acquire(): Promise<AcquiredToken> {
      const msal = await import('@azure/msal-node');
      const network = createMsalNetworkModule(deps.http);
      const result = await exclusively(network, async () => {
        const app = new msal.ManagedIdentityApplication({
          ...(clientId ? { managedIdentityIdParams: { userAssignedClientId: clientId } } : {}),
          system: { networkClient: sharedNetwork, disableInternalRetries: true },
        });
        try {
          // MSAL's managed-identity cache is static and shared by every instance in the process;
          // the session's own cache decides reuse, so always ask the endpoint.
          return await app.acquireToken({
            resource: deps.cloud.managedIdentityResource,
            forceRefresh: true,
          });
        } catch (error) {
          throw managedIdentityError(error, network.trace);
        }
      });
      deps.redactor.add(result.accessToken);
      return { token: result.accessToken, expiresOn: tokenExpiry(network.trace, deps.clock) };
    },
  };
}
