/**
 * The device authorization grant (RFC 8628), as Entra serves it: POST .../oauth2/v2.0/devicecode
 * gives a device code and a user code; the user opens the verification page and enters the user
 * code (here GET /devicelogin?otc=<user code> signs in the tenant admin, with no page); meanwhile
 * the client polls the token endpoint with the device code and gets authorization_pending
 * (AADSTS70016) until then, expired_token (AADSTS70020) after 15 minutes.
 */
import { randomBytes } from 'node:crypto';
import { namedUserId } from '../data/people.js';
import { TENANT } from '../data/tenant.js';
import type { SimResponse } from '../types.js';
import { DELEGATED_USER_KEY } from './authorize.js';
import { formBody, json, requireTenant, withAadErrors, type IdentityHandler } from './context.js';
import { AadError, aad } from './errors.js';
import { parseDelegatedScopes } from './scopes.js';
import type { DeviceCode } from './tokens.js';

/** RFC 8628's grant type, and the short name msal-node sends (Entra takes both). */
export const DEVICE_CODE_GRANTS = ['urn:ietf:params:oauth:grant-type:device_code', 'device_code'];
const LIFETIME_SECONDS = 900;
/** Seconds between polls the client is asked to wait (Entra says 5; a test should not wait). */
const POLL_INTERVAL_SECONDS = 1;

const userCode = (): string =>
  Array.from(randomBytes(9), (byte) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[byte % 32]).join('');

/** POST /{tenant}/oauth2/v2.0/devicecode */
export const deviceCodeEndpoint: IdentityHandler = withAadErrors((ctx) => {
  requireTenant(ctx);
  const form = formBody(ctx);
  const clientId = form.get('client_id');
  if (!clientId) throw aad.missingParameter('client_id');
  const app = ctx.state.apps.get(clientId);
  if (!app || !app.interactive) throw aad.unknownClient(clientId, TENANT.displayName);
  const scope = form.get('scope');
  if (!scope) throw aad.missingParameter('scope');
  const deviceCode = randomBytes(32).toString('base64url');
  const code = userCode();
  ctx.state.tokens.deviceCodes.set(deviceCode, {
    clientId,
    userCode: code,
    scopes: parseDelegatedScopes(scope, ctx.state.url),
    issuedAt: ctx.state.clock.now(),
  });
  const page = `${ctx.state.url}/devicelogin`;
  return json(200, {
    device_code: deviceCode,
    user_code: code,
    verification_uri: page,
    expires_in: LIFETIME_SECONDS,
    interval: POLL_INTERVAL_SECONDS,
    message: `To sign in, use a web browser to open the page ${page} and enter the code ${code} to authenticate.`,
  });
});

/** GET /devicelogin?otc=<user code>: the user signs in (the tenant admin) for that code. */
export const deviceLogin: IdentityHandler = (ctx) => {
  const entered = (ctx.req.query.get('otc') ?? '').toUpperCase();
  const pending = [...ctx.state.tokens.deviceCodes.values()].find((c) => c.userCode === entered);
  const page = (status: number, text: string): SimResponse => ({
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    text,
  });
  if (!pending) return page(400, 'That code was not recognised or has expired.');
  pending.userId = namedUserId(DELEGATED_USER_KEY);
  return page(200, 'You have signed in; you can close this window.');
};

/** The device code of a token request, once its user has signed in (else the AADSTS error). */
export function approvedDeviceCode(
  state: { tokens: { deviceCodes: Map<string, DeviceCode> }; clock: { now(): number } },
  form: URLSearchParams,
  clientId: string,
): DeviceCode & { userId: string } {
  const value = form.get('device_code');
  if (!value) throw aad.missingParameter('device_code');
  const code = state.tokens.deviceCodes.get(value);
  if (!code || code.clientId !== clientId) {
    throw new AadError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the input parameter 'device_code' is not valid.",
    );
  }
  if (state.clock.now() - code.issuedAt > LIFETIME_SECONDS * 1000) {
    state.tokens.deviceCodes.delete(value);
    throw new AadError(
      400,
      'expired_token',
      70020,
      "The provided value for the input parameter 'device_code' has expired.",
    );
  }
  if (code.userId === undefined) {
    throw new AadError(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    );
  }
  state.tokens.deviceCodes.delete(value);
  return code as DeviceCode & { userId: string };
}
