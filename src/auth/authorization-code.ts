/**
 * Self-deployed application, authorization code (delegated). A code is redeemed once, with the
 * Graph `.default` scope plus offline_access so Entra returns a refresh token (the reference sent
 * no scope, which Entra sometimes rejects); from then on MSAL refreshes silently from the cache
 * persisted in the integration context, and every rotated refresh token is saved.
 *
 * The code is single-use: the SHA-256 of the last redeemed code is remembered, so a pasted code
 * is never sent twice, while a different code (the user authorized again) is redeemed.
 */
import type { AuthenticationResult } from '@azure/msal-node';
import { ConfigurationError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import { tokenExpiry } from './client-credentials.js';
import type { AcquiredToken, AuthDeps, TokenSource } from './deps.js';
import { fromMsalError } from './errors.js';
import { confidentialApp } from './msal-app.js';
import type { NetworkTrace } from './msal-network.js';
import { cachedRefreshToken, hasCachedAccount } from './msal-cache.js';
import { AUTH_KEYS, dropCachedToken, sha256 } from './token-cache.js';
import type { AuthConfig } from './flow.js';

export type AuthorizationStatus = 'authorized' | 'code-pending' | 'unauthorized';

/** Where the authorization of this instance stands, without any request. */
export function authorizationStatus(context: ContextData, config: AuthConfig): AuthorizationStatus {
  if (config.authCode && sha256(config.authCode) !== context[AUTH_KEYS.redeemedCode]) {
    return 'code-pending';
  }
  return config.clientId && cachedRefreshToken(context, config.clientId)
    ? 'authorized'
    : 'unauthorized';
}

const HOW_TO_AUTHORIZE =
  'Run "msgraph-user login" (it opens the sign-in page and stores the tokens for this instance), or run !msgraph-user-generate-login-url, open the URL, sign in, paste the code from the address you are sent to into "Authorization Code" and run !msgraph-user-test.';

/** What to do to finish the authorization code flow. */
export function finishAuthorizationMessage(status: AuthorizationStatus): string {
  if (status === 'code-pending') {
    return 'The authorization code flow is not finished: the "Authorization Code" has not been redeemed yet. Run !msgraph-user-test to redeem it (a code works once and expires after about 10 minutes).';
  }
  return `The authorization code flow is not finished: no refresh token is stored for this instance. ${HOW_TO_AUTHORIZE}`;
}

export const codeScopes = (deps: Pick<AuthDeps, 'cloud'>): string[] => [
  deps.cloud.graphScope,
  'offline_access',
];

export interface RedeemedCode extends AcquiredToken {
  /** Who signed in (from the id token), for `msgraph-user login`'s message. */
  username?: string;
}

function toToken(
  deps: AuthDeps,
  trace: NetworkTrace,
  result: AuthenticationResult | null,
): RedeemedCode {
  if (!result?.accessToken) {
    throw new ConfigurationError('The token endpoint returned no access token.');
  }
  deps.redactor.add(result.accessToken);
  return {
    token: result.accessToken,
    expiresOn: tokenExpiry(trace, deps.clock),
    username: result.account?.username || undefined,
  };
}

/**
 * Redeems `code` into `context`: the previous authorization (MSAL cache, cached token) is replaced,
 * and the code's hash is remembered. `codeVerifier` is the PKCE verifier when `msgraph-user login`
 * asked for the code.
 */
export async function redeemCode(
  deps: AuthDeps,
  context: ContextData,
  code: string,
  codeVerifier?: string,
): Promise<RedeemedCode> {
  deps.redactor.add(code);
  if (!deps.config.redirectUri) throw new ConfigurationError('Fill in "Redirect URI".');
  delete context[AUTH_KEYS.msalCache];
  dropCachedToken(context);
  const { app, trace } = await confidentialApp(deps, context);
  let result;
  try {
    result = await app.acquireTokenByCode({
      code,
      redirectUri: deps.config.redirectUri,
      scopes: codeScopes(deps),
      ...(codeVerifier ? { codeVerifier } : {}),
    });
  } catch (error) {
    throw fromMsalError(error, trace, deps.redactor);
  }
  context[AUTH_KEYS.redeemedCode] = sha256(code);
  return toToken(deps, trace, result);
}

/** A new access token from the cached refresh token (which MSAL rotates into `context`). */
async function refresh(deps: AuthDeps, context: ContextData): Promise<AcquiredToken> {
  const clientId = deps.config.clientId ?? '';
  const { app, trace } = await confidentialApp(deps, context);
  try {
    const accounts = hasCachedAccount(context) ? await app.getTokenCache().getAllAccounts() : [];
    const account = accounts[0];
    if (account) {
      return toToken(
        deps,
        trace,
        await app.acquireTokenSilent({ account, scopes: codeScopes(deps), forceRefresh: true }),
      );
    }
    // No account: the server returned neither client_info nor an id token. The refresh token is
    // still in the cache; redeem it directly and let MSAL cache the rotated one.
    const refreshToken = cachedRefreshToken(context, clientId) ?? '';
    return toToken(
      deps,
      trace,
      await app.acquireTokenByRefreshToken({
        refreshToken,
        scopes: codeScopes(deps),
        forceCache: true,
      }),
    );
  } catch (error) {
    throw fromMsalError(error, trace, deps.redactor);
  }
}

export function authorizationCodeSource(deps: AuthDeps): TokenSource {
  const { config } = deps;
  if (config.authCode) deps.redactor.add(config.authCode);
  return {
    pending: (context) => authorizationStatus(context, config) === 'code-pending',
    async acquire(context, options): Promise<AcquiredToken> {
      const status = authorizationStatus(context, config);
      if (status === 'code-pending' && options.redeemCode && config.authCode) {
        return redeemCode(deps, context, config.authCode);
      }
      if (config.clientId && cachedRefreshToken(context, config.clientId)) {
        return refresh(deps, context);
      }
      throw new ConfigurationError(finishAuthorizationMessage(status));
    },
  };
}
