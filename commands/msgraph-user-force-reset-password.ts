/**
 * msgraph-user-force-reset-password: the user must choose a new password at the next sign-in.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { actionResult, forUser } from './shared/user-results.js';

const forceResetPassword: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    await ctx.graph.request({
      method: 'PATCH',
      path: graphPath`users/${user}`,
      body: { passwordProfile: { forceChangePasswordNextSignIn: true } },
    });
    return actionResult(
      user,
      `User ${user} will be required to change his password.`,
      'Must change password',
    );
  });
};

export default forceResetPassword;
