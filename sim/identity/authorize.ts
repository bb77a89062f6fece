import { randomUUID } from 'node:crypto';
import { namedUserId } from '../data/people.js';
import { TENANT } from '../data/tenant.js';
import type { SimResponse } from '../types.js';
import type { RegisteredApp } from './apps.js';
import { requireTenant, withAadErrors, type IdentityHandler } from './context.js';
import { AadError, aad, aadErrorBody } from './errors.js';
import { parseDelegatedScopes } from './scopes.js';

/** The delegated identity: authorize signs in the tenant admin without a login page. */
export const DELEGATED_USER_KEY = 'admin';

/** Registered URIs, plus any http loopback address (Entra ignores the port for loopback). */
export function redirectAllowed(app: RegisteredApp, uri: string): boolean {
  if (app.redirectUris.includes(uri)) return true;
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  } catch {
    return false;
  }
}

function redirect(target: string, params: Record<string, string>): SimResponse {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return {
    status: 302,
    headers: { location: url.toString(), 'cache-control': 'no-store, no-cache' },
    text: '',
  };
}

/**
 * GET /{tenant}/oauth2/v2.0/authorize: no login page, an immediate 302 to the redirect URI with
 * code, state and session_state. Errors go back as a redirect with error/error_description,
 * except when the client or redirect URI cannot be trusted (then a 400).
 */
export const authorize: IdentityHandler = withAadErrors((ctx) => {
  requireTenant(ctx);
  const q = ctx.req.query;
  const clientId = q.get('client_id');
  if (!clientId) throw aad.missingParameter('client_id');
  const app = ctx.state.apps.get(clientId);
  if (!app || !app.interactive) throw aad.unknownClient(clientId, TENANT.displayName);
  const redirectUri = q.get('redirect_uri') ?? app.redirectUris[0] ?? '';
  if (!redirectAllowed(app, redirectUri)) {
    throw new AadError(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
  }
  const state = q.get('state');
  const fail = (err: AadError): SimResponse => {
    const body = aadErrorBody(err, ctx.state.clock.now(), ctx.req.headers['client-request-id']);
    return redirect(redirectUri, {
      error: body.error,
      error_description: body.error_description,
      error_uri: body.error_uri,
      ...(state !== null ? { state } : {}),
    });
  };
  const responseType = q.get('response_type');
  if (responseType !== 'code') {
    return fail(
      new AadError(
        400,
        'unsupported_response_type',
        700054,
        `response_type '${responseType ?? ''}' is not supported by this endpoint; use 'code'.`,
      ),
    );
  }
  const rawScope = q.get('scope');
  if (!rawScope) return fail(aad.missingParameter('scope'));
  let scopes: string[];
  try {
    scopes = parseDelegatedScopes(rawScope, ctx.state.url);
  } catch (err) {
    if (err instanceof AadError) return fail(err);
    throw err;
  }
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? undefined;
  if (challenge !== undefined && method !== undefined && !['S256', 'plain'].includes(method)) {
    return fail(
      new AadError(
        400,
        'invalid_request',
        50146,
        `The code_challenge_method '${method}' is not supported. Use 'S256'.`,
      ),
    );
  }
  const nonce = q.get('nonce') ?? undefined;
  const code = ctx.state.tokens.issueCode({
    clientId: app.clientId,
    redirectUri,
    scopes,
    userId: namedUserId(DELEGATED_USER_KEY),
    ...(challenge !== undefined ? { challenge } : {}),
    ...(method !== undefined ? { challengeMethod: method } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  });
  return redirect(redirectUri, {
    code,
    ...(state !== null ? { state } : {}),
    session_state: randomUUID(),
  });
});
