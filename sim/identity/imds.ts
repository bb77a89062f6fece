import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../types.js';
import type { IdentityHandler } from './context.js';
import { json } from './context.js';
import { graphResources, resourceOf } from './tokens.js';

const imdsError = (error: string, description: string): SimResponse =>
  json(400, { error, error_description: description });

/**
 * GET /metadata/identity/oauth2/token on the plain-HTTP listener, like Azure IMDS: needs the
 * `Metadata: true` header; client_id selects the user-assigned identity, none means system.
 */
export const imdsToken: IdentityHandler = (ctx) => {
  const { state } = ctx;
  const q = ctx.req.query;
  if ((ctx.req.headers.metadata ?? '').toLowerCase() !== 'true') {
    return imdsError('bad_request_102', 'Required metadata header not specified');
  }
  if (!q.get('api-version')) {
    return imdsError('invalid_request', "Required query variable 'api-version' is missing");
  }
  const resource = q.get('resource');
  if (!resource) {
    return imdsError('invalid_request', "Required query variable 'resource' is missing");
  }
  const identity = state.apps.published.managedIdentity;
  const requested = q.get('client_id') ?? q.get('object_id') ?? q.get('msi_res_id');
  if (requested !== null && requested.toLowerCase() !== identity.userAssignedClientId) {
    return imdsError('invalid_request', 'Identity not found');
  }
  if (!graphResources(state.url).has(resourceOf(resource))) {
    return imdsError(
      'invalid_resource',
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant. Trace ID: ${randomUUID()}`,
    );
  }
  const clientId =
    requested === null ? identity.systemAssignedClientId : identity.userAssignedClientId;
  const { token, expiresIn } = state.tokens.issueAccess({
    kind: 'application',
    audience: 'graph',
    appId: clientId,
    appName: requested === null ? 'msgraph-user-sim-vm' : 'msgraph-user-sim-identity',
    grant: 'managed_identity',
    appIdAcr: '2',
  });
  state.stats.countToken('managed_identity');
  const now = state.clock.nowSeconds();
  // IMDS sends every number as a string.
  return json(200, {
    access_token: token,
    refresh_token: '',
    client_id: clientId,
    expires_in: String(expiresIn),
    expires_on: String(now + expiresIn),
    ext_expires_in: String(expiresIn),
    not_before: String(now),
    resource,
    token_type: 'Bearer',
  });
};
