/**
 * msgraph-user-get-user-default-auth-method: the user's sign-in preferences (Graph beta only) and
 * the method used by default for MFA: the user's preferred one, else the system-preferred one,
 * else "Unknown". Context `MSGraphUser.AuthMethod`, keyed by the user argument. Several users
 * (user=a,b) share one table of `User | Result` rows, like the other bulk commands.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { forUser } from './shared/user-results.js';

interface SignInPreferences {
  isSystemPreferredAuthenticationMethodEnabled?: boolean | null;
  userPreferredMethodForSecondaryAuthentication?: string | null;
  systemPreferredAuthenticationMethod?: string | null;
}

const getUserDefaultAuthMethod: Handler = async (ctx) => {
  const user = String(ctx.args.user);
  return forUser(ctx, user, async () => {
    const { body } = await ctx.graph.request<SignInPreferences & Record<string, unknown>>({
      method: 'GET',
      version: 'beta',
      path: graphPath`users/${user}/authentication/signInPreferences`,
    });
    const { '@odata.context': _context, ...preferences } = body ?? {};
    const userPreferred = preferences.userPreferredMethodForSecondaryAuthentication ?? null;
    const systemPreferred = preferences.systemPreferredAuthenticationMethod ?? null;
    const defaultMethod = userPreferred || systemPreferred || 'Unknown';
    const outputs = {
      User: user,
      DefaultMethod: defaultMethod,
      IsSystemPreferredAuthenticationMethodEnabled:
        preferences.isSystemPreferredAuthenticationMethodEnabled ?? null,
      UserPreferredMethodForSecondaryAuthentication: userPreferred,
      SystemPreferredAuthenticationMethod: systemPreferred,
    };
    const table = tableToMarkdown(`Authentication Preferences for ${user}`, outputs, {
      removeNull: true,
    });
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'User',
      outputs,
      readable_output: `${table}\n**Default Auth Method:** ${defaultMethod}`,
      raw_response: preferences,
      bulk_row: { User: user, Result: `Default method: ${defaultMethod}` },
    };
  });
};

export default getUserDefaultAuthMethod;
