/**
 * msgraph-user-test: the same check as test-module, but it also redeems a pasted authorization
 * code (and stores the refresh token), which is how the pasted-code flow is finished.
 */
import { checkConnection } from './shared/connection-check.js';
import type { Handler } from '../src/command/handler.js';

const msgraphUserTest: Handler = async (ctx) => {
  const outcome = await checkConnection(ctx, { redeemCode: true, fresh: false });
  if (outcome !== 'ok') return outcome;
  // As the reference: self-deployed applications and managed identities get the banner.
  return (await ctx.auth()).flow === 'xsoar-app' ? 'ok' : '```✅ Success!```';
};

export default msgraphUserTest;
