/**
 * Self-deployed application, client credentials: a client secret, or a certificate (MSAL signs
 * the client assertion). The request is always sent (`skipCache`): the session's token cache has
 * already decided that a new token is needed.
 */
import type { AcquiredToken, AuthDeps, TokenSource } from './deps.js';
import { fromMsalError } from './errors.js';
import { confidentialApp } from './msal-app.js';

export function expiresOnSeconds(expiresOn: Date | null | undefined, nowMs: number): number {
  // MSAL always sets expiresOn for access tokens; an hour is Entra's usual lifetime otherwise.
  return Math.floor((expiresOn ? expiresOn.getTime() : nowMs + 3600_000) / 1000);
}

export function clientCredentialsSource(deps: AuthDeps): TokenSource {
  const now = deps.now ?? Date.now;
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
      return { token: result.accessToken, expiresOn: expiresOnSeconds(result.expiresOn, now()) };
    },
  };
}
