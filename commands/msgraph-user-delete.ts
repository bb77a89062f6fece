/**
 * msgraph-user-delete: deletes the user (Entra ID keeps it restorable for 30 days).
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { actionResult, forUser } from './shared/user-results.js';

const deleteUser: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    await ctx.graph.request({ method: 'DELETE', path: graphPath`users/${user}` });
    return actionResult(user, `user: "${user}" was deleted successfully.`, 'Deleted');
  });
};

export default deleteUser;
