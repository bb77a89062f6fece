import type { SimState } from './state.js';
import type { Json, JsonObject } from './types.js';

export const FLOWS = [
  'client-credentials',
  'certificate',
  'authorization-code',
  'xsoar-app',
  'managed-identity',
] as const;
export type Flow = (typeof FLOWS)[number];

export const isFlow = (value: string): value is Flow =>
  (FLOWS as readonly string[]).includes(value);

/** A type-9 credentials parameter: only `password` matters unless stated. */
const credential = (password: string, identifier = ''): JsonObject => ({ identifier, password });

/**
 * Integration parameters (names from the manifest) that point the runtime at the sim for one
 * authentication flow. The managed-identity flow also needs AZURE_POD_IDENTITY_AUTHORITY_HOST.
 */
export function paramsFor(
  state: SimState,
  flow: Flow,
  options: { userAssigned?: boolean } = {},
): JsonObject {
  const apps = state.apps.published;
  const common: JsonObject = {
    azure_cloud: 'Custom',
    host: state.url,
    azure_ad_endpoint: state.url,
  };
  const selfDeployed = (extra: Record<string, Json>): JsonObject => ({
    ...common,
    self_deployed: true,
    creds_auth_id: credential(apps.clientSecret.clientId),
    creds_tenant_id: credential(state.tenantId),
    creds_enc_key: credential(apps.clientSecret.clientSecret),
    ...extra,
  });
  switch (flow) {
    case 'client-credentials':
      return selfDeployed({});
    case 'authorization-code':
      return selfDeployed({ redirect_uri: apps.clientSecret.redirectUri });
    case 'certificate': {
      const { creds_enc_key: _key, ...rest } = selfDeployed({
        creds_auth_id: credential(apps.certificate.clientId),
        creds_certificate: credential(apps.certificate.privateKeyPem, apps.certificate.thumbprint),
      });
      return rest;
    }
    case 'xsoar-app':
      return {
        ...common,
        self_deployed: false,
        creds_auth_id: credential(`${apps.xsoar.registrationId}@${state.url}/obtain-token`),
        creds_tenant_id: credential(apps.xsoar.tenantToken),
        creds_enc_key: credential(apps.xsoar.key),
      };
    case 'managed-identity':
      return {
        ...common,
        use_managed_identities: true,
        ...(options.userAssigned
          ? { managed_identities_client_id: credential(apps.managedIdentity.userAssignedClientId) }
          : {}),
      };
  }
}

/** YAML for a params object. JSON-quoted scalars are valid YAML and keep PEM newlines intact. */
export function toYaml(value: JsonObject, indent = ''): string {
  return Object.entries(value)
    .map(([key, v]) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        return `${indent}${key}:\n${toYaml(v, `${indent}  `)}`;
      }
      return `${indent}${key}: ${JSON.stringify(v)}`;
    })
    .join('\n');
}
