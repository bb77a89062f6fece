import { createPublicKey } from 'node:crypto';
import { TENANT } from '../data/tenant.js';
import { signingKid } from '../state.js';
import {
  json,
  knownTenant,
  requireTenant,
  withAadErrors,
  type IdentityHandler,
} from './context.js';
import { AadError } from './errors.js';

/**
 * GET /{tenant}/v2.0/.well-known/openid-configuration with the fields msal-node reads
 * (authorization_endpoint, token_endpoint, issuer, jwks_uri, end_session_endpoint) plus the
 * rest of Entra's document, all pointing at the sim.
 */
export const openIdConfiguration: IdentityHandler = withAadErrors((ctx) => {
  const tenant = ctx.params.tenant ?? '';
  if (!knownTenant(tenant)) {
    throw new AadError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  const base = ctx.state.url;
  const multi = ['common', 'organizations'].includes(tenant.toLowerCase());
  const tid = multi ? '{tenantid}' : TENANT.id;
  const host = new URL(base).host;
  return json(200, {
    token_endpoint: `${base}/${multi ? tenant : tid}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/${multi ? tenant : tid}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${tid}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${multi ? tenant : tid}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${multi ? tenant : tid}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${multi ? tenant : tid}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/${multi ? tenant : tid}/kerberos`,
    tenant_region_scope: multi ? null : 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: host,
    rbac_url: 'https://pas.windows.net',
  });
});

/** GET /common/discovery/instance: instance discovery in the shape msal-common accepts. */
export const instanceDiscovery: IdentityHandler = (ctx) => {
  const host = new URL(ctx.state.url).host;
  return json(200, {
    tenant_discovery_endpoint: `${ctx.state.url}/${TENANT.id}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [
      {
        preferred_network: host,
        preferred_cache: host,
        aliases: [host, `localhost:${new URL(ctx.state.url).port}`],
      },
    ],
  });
};

/** GET /{tenant}/discovery/v2.0/keys: the token-signing key as a JWKS. */
export const jwks: IdentityHandler = withAadErrors((ctx) => {
  requireTenant(ctx);
  const certs = ctx.state.certs;
  const jwk = createPublicKey(certs.signing.pem).export({ format: 'jwk' });
  const kid = signingKid(certs);
  return json(200, {
    keys: [
      {
        kty: 'RSA',
        use: 'sig',
        kid,
        x5t: kid,
        n: String(jwk.n),
        e: String(jwk.e),
        x5c: [certs.signing.der.toString('base64')],
        issuer: `${ctx.state.url}/${TENANT.id}/v2.0`,
      },
    ],
  });
});
