/** msgraph-user-tap-policy-delete: deletes the user's Temporary Access Pass method by its ID. */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { orMethodNotFound } from './shared/method-items.js';

const tapPolicyDelete: Handler = async (ctx) => {
  const userId = String(ctx.args.user_id);
  const policyId = String(ctx.args.policy_id);
  return orMethodNotFound(ctx, userId, policyId, async () => {
    const path = graphPath`users/${userId}/authentication/temporaryAccessPassMethods/${policyId}`;
    await ctx.graph.request({ method: 'DELETE', path });
    return {
      readable_output: `Temporary Access Pass Authentication methods policy ${policyId} was successfully deleted.`,
    };
  });
};

export default tapPolicyDelete;
