import { createHash } from 'node:crypto';
import type { JsonObject, SimResponse } from '../types.js';
import type { RegisteredApp } from './apps.js';
import { authenticateClient } from './client-auth.js';
import {
  formBody,
  json,
  requireTenant,
  withAadErrors,
  type IdentityContext,
  type IdentityHandler,
} from './context.js';
import { approvedDeviceCode, DEVICE_CODE_GRANTS } from './device-code.js';
import { AadError, aad } from './errors.js';
import { checkAppScope, parseDelegatedScopes, scpClaim } from './scopes.js';
import { TokenService } from './tokens.js';

const CODE_LIFETIME_MS = 10 * 60_000;
const SUPPORTED = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  ...DEVICE_CODE_GRANTS,
];

/** POST /{tenant}/oauth2/v2.0/token */
export const tokenEndpoint: IdentityHandler = withAadErrors((ctx) => {
  requireTenant(ctx);
  const form = formBody(ctx);
  const grant = form.get('grant_type');
  if (!grant) throw aad.missingParameter('grant_type');
  // The device code grant is a public client's: it presents no secret.
  if (DEVICE_CODE_GRANTS.includes(grant)) return deviceCodeGrant(ctx, form);
  const client = authenticateClient(ctx, form, (id) => ctx.state.apps.get(id));
  if (!SUPPORTED.includes(grant)) throw aad.unsupportedGrant(grant);
  if (grant === 'client_credentials') {
    return clientCredentials(ctx, form, client.app, client.method);
  }
  if (!client.app.interactive) {
    throw new AadError(
      400,
      'unauthorized_client',
      700016,
      `The application '${client.app.clientId}' is not allowed to use the '${grant}' grant.`,
    );
  }
  return grant === 'authorization_code'
    ? authorizationCode(ctx, form, client.app)
    : refreshToken(ctx, form, client.app);
});

function clientCredentials(
  ctx: IdentityContext,
  form: URLSearchParams,
  app: RegisteredApp,
  method: 'secret' | 'certificate',
): SimResponse {
  const scope = form.get('scope');
  if (!scope) throw aad.missingParameter('scope');
  checkAppScope(scope, ctx.state.url);
  const { token, expiresIn } = ctx.state.tokens.issueAccess({
    kind: 'application',
    audience: 'graph',
    appId: app.clientId,
    appName: app.displayName,
    grant: 'client_credentials',
    appIdAcr: method === 'secret' ? '1' : '2',
  });
  ctx.state.stats.countToken('client_credentials');
  return json(200, {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  });
}

function pkceMatches(verifier: string, challenge: string, method: string | undefined): boolean {
  if ((method ?? 'plain').toUpperCase() === 'S256') {
    return createHash('sha256').update(verifier).digest('base64url') === challenge;
  }
  return verifier === challenge;
}

function authorizationCode(
  ctx: IdentityContext,
  form: URLSearchParams,
  app: RegisteredApp,
): SimResponse {
  const value = form.get('code');
  if (!value) throw aad.missingParameter('code');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) throw aad.missingParameter('redirect_uri');
  const code = ctx.state.tokens.codes.get(value);
  if (!code) throw aad.badCode();
  if (code.clientId !== app.clientId) throw aad.grantClientMismatch();
  if (code.redeemed) throw aad.codeRedeemed();
  if (ctx.state.clock.now() - code.issuedAt > CODE_LIFETIME_MS) throw aad.codeExpired();
  if (code.redirectUri !== redirectUri) throw aad.redirectMismatch();
  if (code.challenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (!verifier || !pkceMatches(verifier, code.challenge, code.challengeMethod)) {
      throw aad.pkceMismatch();
    }
  }
  code.redeemed = true;
  const requested = form.get('scope');
  const scopes = requested
    ? union(code.scopes, parseDelegatedScopes(requested, ctx.state.url))
    : code.scopes;
  ctx.state.stats.countToken('authorization_code');
  return delegatedTokens(ctx, form, app, code.userId, scopes, 'authorization_code', code.nonce);
}

const union = (a: string[], b: string[]): string[] => [...new Set([...b, ...a])];

function deviceCodeGrant(ctx: IdentityContext, form: URLSearchParams): SimResponse {
  const clientId = form.get('client_id');
  if (!clientId) throw aad.missingParameter('client_id');
  const app = ctx.state.apps.get(clientId);
  if (!app || !app.interactive) throw aad.unknownClient(clientId, 'the tenant');
  const code = approvedDeviceCode(ctx.state, form, clientId);
  ctx.state.stats.countToken('device_code');
  return delegatedTokens(ctx, form, app, code.userId, code.scopes, 'device_code');
}

function refreshToken(
  ctx: IdentityContext,
  form: URLSearchParams,
  app: RegisteredApp,
): SimResponse {
  const value = form.get('refresh_token');
  if (!value) throw aad.missingParameter('refresh_token');
  const { tokens, directory } = ctx.state;
  const record = tokens.refresh.get(value);
  if (!record) throw aad.refreshUnknown();
  if (record.clientId !== app.clientId) throw aad.grantClientMismatch();
  if (tokens.refreshExpired(record)) {
    tokens.refresh.delete(value);
    throw aad.refreshExpired(record.issuedAt, Math.round(tokens.refreshLifetimeSeconds / 86_400));
  }
  const user = directory.resolve(record.userId);
  if (!user) {
    throw new AadError(
      400,
      'invalid_grant',
      50034,
      `The user account ${record.userId} does not exist in the ${ctx.state.tenantId} directory.`,
    );
  }
  if (user.accountEnabled === false) {
    throw new AadError(400, 'invalid_grant', 50057, 'The user account is disabled.');
  }
  const validFrom = String(user.signInSessionsValidFromDateTime ?? '');
  if (validFrom && Date.parse(validFrom) > record.issuedAt) {
    tokens.refresh.delete(value);
    throw aad.refreshRevoked(record.issuedAt, validFrom);
  }
  // Rotation: every use returns a new refresh token and retires the one presented.
  tokens.refresh.delete(value);
  tokens.spentRefresh.add(value);
  const requested = form.get('scope');
  const scopes = requested
    ? union(
        record.scopes.filter((s) => s === 'offline_access' || s === 'openid'),
        parseDelegatedScopes(requested, ctx.state.url),
      )
    : record.scopes;
  ctx.state.stats.countToken('refresh_token');
  return delegatedTokens(ctx, form, app, record.userId, scopes, 'refresh_token');
}

/** Access token, plus refresh token (offline_access), id_token (openid) and client_info when asked. */
function delegatedTokens(
  ctx: IdentityContext,
  form: URLSearchParams,
  app: RegisteredApp,
  userId: string,
  scopes: string[],
  grant: 'authorization_code' | 'refresh_token' | 'device_code',
  nonce?: string,
): SimResponse {
  const { tokens } = ctx.state;
  const user = ctx.state.directory.resolve(userId);
  if (!user) {
    throw new AadError(
      400,
      'invalid_grant',
      50034,
      `The user account ${userId} does not exist in the ${ctx.state.tenantId} directory.`,
    );
  }
  const access = tokens.issueAccess({
    kind: 'delegated',
    audience: 'graph',
    appId: app.clientId,
    appName: app.displayName,
    grant,
    user,
    scopes: scpClaim(scopes),
  });
  const body: JsonObject = {
    token_type: 'Bearer',
    scope: scopes.filter((s) => s !== 'offline_access').join(' '),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (scopes.includes('offline_access')) {
    body.refresh_token = tokens.issueRefresh(app.clientId, userId, scopes);
  }
  if (scopes.includes('openid')) {
    body.id_token = tokens.idToken(app.clientId, user, ctx.state.issuer, nonce);
  }
  if (form.get('client_info') === '1') body.client_info = TokenService.clientInfo(userId);
  return json(200, body);
}
