/**
 * msgraph-user-change-password: an administrator sets the user's password (delegated only; the
 * dispatcher refuses it under other flows). The flags are sent as JSON booleans.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { boolArg, textArg } from './shared/args.js';
import { actionResult, forUser } from './shared/user-results.js';

const changePassword: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  const password = textArg(ctx.args, 'password');
  ctx.addSecret(password);
  return forUser(ctx, user, async () => {
    await ctx.graph.request({
      method: 'PATCH',
      path: graphPath`users/${user}`,
      body: {
        passwordProfile: {
          forceChangePasswordNextSignIn: boolArg(
            ctx.args,
            'force_change_password_next_sign_in',
            true,
          ),
          forceChangePasswordNextSignInWithMfa: boolArg(ctx.args, 'force_change_password_with_mfa'),
          password,
        },
      },
    });
    return actionResult(
      user,
      `User ${user} password was changed successfully.`,
      'Password changed',
    );
  });
};

export default changePassword;
