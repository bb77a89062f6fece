/**
 * msgraph-user-account-disable: sets accountEnabled to false, so the user can no longer sign in.
 * Sessions already open stay valid until msgraph-user-session-revoke.
 */
import { graphPath } from '../src/graph/path.js';
import type { CommandContext, Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { actionResult, forUser, type Result } from './shared/user-results.js';

export async function disableAccount(ctx: CommandContext): Promise<Result> {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    await ctx.graph.request({
      method: 'PATCH',
      path: graphPath`users/${user}`,
      body: { accountEnabled: false },
    });
    return actionResult(
      user,
      `user: "${user}" account has been disabled successfully.`,
      'Disabled',
    );
  });
}

const accountDisable: Handler = disableAccount;

export default accountDisable;
