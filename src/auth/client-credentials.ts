/**
 * Self-deployed application, client credentials: a client secret, or a certificate (MSAL signs
 * the client assertion). The request is always sent (`skipCache`): the session's token cache has
 * already decided that a new token is needed.
 */
import { nowSeconds, type Clock } from '../base/clock.js';
import type { AcquiredToken, AuthDeps, TokenSource } from './deps.js';
import { fromMsalError } from './errors.js';
import { confidentialApp } from './msal-app.js';
import type { NetworkTrace } from './msal-network.js';

/**
 * When the token just acquired expires (epoch seconds), on the runtime's clock: from the lifetime
 * the server stated; an hour, Entra's usual lifetime, if it stated none.
 */
export function tokenExpiry(trace: NetworkTrace, clock: Clock): number {
  if (trace.expiresIn !== undefined) return nowSeconds(clock) + Math.floor(trace.expiresIn);
  if (trace.expiresOn !== undefined) return Math.floor(trace.expiresOn);
  return nowSeconds(clock) + 3600;
}

export function clientCredentialsSource(deps: AuthDeps): TokenSource {
  return {
    async acquire(context): Promise<AcquiredToken> {
      const { app, trace } = await confidentialApp(deps, context);
      let result;
      try {
        result = await app.acquireTokenByClientCredential({
          scopes: [deps.cloud.graphScope],
          skipCache: true,
        });
      } catch (error) {
        throw fromMsalError(error, trace, deps.redactor);
      }
      if (!result?.accessToken) {
        throw fromMsalError(
          new Error('the token endpoint returned no access token'),
          trace,
          deps.redactor,
        );
      }
      deps.redactor.add(result.accessToken);
      return { token: result.accessToken, expiresOn: tokenExpiry(trace, deps.clock) };
    },
  };
}
