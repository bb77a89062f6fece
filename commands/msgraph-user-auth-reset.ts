/**
 * msgraph-user-auth-reset: forgets every credential of the instance (access token, MSAL cache with
 * the refresh token, the token exchange's refresh token, the redeemed-code marker, the backoff
 * state, and the MFA client secret and token) and keeps the rest of the integration context.
 */
import { clearAuthState } from '../src/auth/token-cache.js';
import { MFA_CONTEXT_KEYS } from './shared/mfa.js';
import type { Handler } from '../src/command/handler.js';

export const AUTH_RESET_MESSAGE =
  'Authorization was reset successfully. Please regenerate the credentials, and then click **Test** to validate the credentials and connection.';

const authReset: Handler = async (ctx) => {
  await ctx.state.update((context) => {
    const kept = clearAuthState(context);
    for (const key of MFA_CONTEXT_KEYS) delete kept[key];
    return kept;
  });
  return AUTH_RESET_MESSAGE;
};

export default authReset;
