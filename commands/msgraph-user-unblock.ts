/**
 * msgraph-user-unblock: sets accountEnabled back to true.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { actionResult, forUser } from './shared/user-results.js';

const unblock: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    await ctx.graph.request({
      method: 'PATCH',
      path: graphPath`users/${user}`,
      body: { accountEnabled: true },
    });
    return actionResult(
      user,
      `"${user}" unblocked. It might take several minutes for the changes to take effect across all applications.`,
      'Enabled',
    );
  });
};

export default unblock;
