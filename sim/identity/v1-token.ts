import { MFA_APP_ID, MFA_RESOURCE, TENANT } from '../data/tenant.js';
import type { RegisteredApp } from './apps.js';
import { authenticateClient } from './client-auth.js';
import { formBody, json, requireTenant, withAadErrors, type IdentityHandler } from './context.js';
import { aad } from './errors.js';
import { graphResources, resourceOf } from './tokens.js';

/**
 * POST /{tenant}/oauth2/token (v1): client credentials with `resource`. Used by the MFA flow with
 * the "Azure Multi-Factor Auth Client" app and a secret created through Graph addPassword.
 * v1 answers carry numbers as strings and expires_on as epoch seconds.
 */
export const v1TokenEndpoint: IdentityHandler = withAadErrors((ctx) => {
  requireTenant(ctx);
  const form = formBody(ctx);
  const grant = form.get('grant_type');
  if (!grant) throw aad.missingParameter('grant_type');
  const { state } = ctx;
  const lookup = (clientId: string): RegisteredApp | undefined => {
    if (clientId.toLowerCase() !== MFA_APP_ID) return state.apps.get(clientId);
    return {
      clientId: MFA_APP_ID,
      displayName: 'Azure Multi-Factor Auth Client',
      secrets: state.apps.servicePrincipalSecrets(MFA_APP_ID, state.clock.now()),
      redirectUris: [],
      interactive: false,
    };
  };
  const { app } = authenticateClient(ctx, form, lookup);
  if (grant !== 'client_credentials') throw aad.unsupportedGrant(grant);
  const resource = form.get('resource');
  if (!resource) throw aad.missingParameter('resource');
  const isMfa = resourceOf(resource) === resourceOf(MFA_RESOURCE);
  if (isMfa ? app.clientId !== MFA_APP_ID : !graphResources(state.url).has(resourceOf(resource))) {
    throw aad.unknownResource(resource);
  }
  const { token, expiresIn } = state.tokens.issueAccess({
    kind: 'application',
    audience: isMfa ? 'mfa' : 'graph',
    appId: app.clientId,
    appName: app.displayName,
    grant: isMfa ? 'mfa_v1' : 'client_credentials',
  });
  state.stats.countToken(isMfa ? 'mfa_v1' : 'client_credentials');
  const now = state.clock.nowSeconds();
  return json(200, {
    token_type: 'Bearer',
    expires_in: String(expiresIn),
    ext_expires_in: String(expiresIn),
    expires_on: String(now + expiresIn),
    not_before: String(now),
    resource,
    access_token: token,
    tenant: TENANT.id,
  });
});
