/**
 * msgraph-user-session-revoke: invalidates the user's refresh tokens and session cookies.
 * Revoking twice has the same effect as once, so the POST may be retried like a GET.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { actionResult, forUser } from './shared/user-results.js';

const sessionRevoke: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    await ctx.graph.request({
      method: 'POST',
      path: graphPath`users/${user}/revokeSignInSessions`,
      idempotent: true,
    });
    return actionResult(
      user,
      `User: "${user}" sessions have been revoked successfully.`,
      'Sessions revoked',
    );
  });
};

export default sessionRevoke;
