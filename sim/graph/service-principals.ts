import { randomBytes } from 'node:crypto';
import { SERVICE_PRINCIPAL_SCHEMA } from '../data/schema.js';
import { stableGuid } from '../data/ids.js';
import type { JsonObject, SimResponse } from '../types.js';
import { isJsonObject } from '../types.js';
import { arraySource, contextUrl, listResponse, parseSelect, project } from './collection.js';
import { graphBase, jsonBody, ok, type GraphContext } from './context.js';
import { GraphError, graphErrors } from './errors.js';

export function listServicePrincipals(ctx: GraphContext): SimResponse {
  return listResponse(ctx, arraySource(ctx.state.apps.servicePrincipals), {
    schema: SERVICE_PRINCIPAL_SCHEMA,
    contextPath: 'servicePrincipals',
  });
}

function servicePrincipal(ctx: GraphContext): JsonObject {
  const key = (ctx.params.id ?? '').toLowerCase();
  const sp = ctx.state.apps.servicePrincipals.find((s) => s.id === key);
  if (!sp) throw graphErrors.notFound(ctx.params.id ?? '');
  return sp;
}

export function getServicePrincipal(ctx: GraphContext): SimResponse {
  const sp = servicePrincipal(ctx);
  const select = parseSelect(ctx, SERVICE_PRINCIPAL_SCHEMA);
  return ok({
    '@odata.context': contextUrl(ctx, 'servicePrincipals', select, true),
    ...project(sp, select, SERVICE_PRINCIPAL_SCHEMA),
  });
}

/** A secret in Entra's format: 40 characters with "~" at position 4. */
function secretText(): string {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, 'Q');
  return `${body.slice(0, 3)}8Q~${body.slice(3, 39)}`;
}

/** POST /servicePrincipals/{id}/addPassword: returns the secret once. */
export function addPassword(ctx: GraphContext): SimResponse {
  const sp = servicePrincipal(ctx);
  const text = ctx.body.toString('utf8').trim();
  const body = text === '' ? {} : jsonBody(ctx);
  const requested = body.passwordCredential ?? {};
  if (!isJsonObject(requested)) {
    throw new GraphError(400, 'BadRequest', "Invalid value for property 'passwordCredential'.");
  }
  const now = ctx.state.clock.now();
  const start =
    typeof requested.startDateTime === 'string'
      ? requested.startDateTime
      : new Date(now).toISOString();
  const end =
    typeof requested.endDateTime === 'string'
      ? requested.endDateTime
      : new Date(Date.parse(start) + 2 * 365 * 86_400_000).toISOString();
  const secret = secretText();
  const credential: JsonObject = {
    customKeyIdentifier: null,
    displayName: typeof requested.displayName === 'string' ? requested.displayName : null,
    endDateTime: end,
    hint: secret.slice(0, 3),
    keyId: stableGuid(`sp-secret:${String(sp.id)}`, now),
    startDateTime: start,
  };
  ctx.state.apps.addServicePrincipalSecret(sp, credential, secret);
  return ok({
    '@odata.context': `${graphBase(ctx)}/$metadata#microsoft.graph.passwordCredential`,
    ...credential,
    secretText: secret,
  });
}
