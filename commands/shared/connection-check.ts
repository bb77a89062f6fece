/**
 * test-module and msgraph-user-test: get a token the way commands do and make one cheap Graph
 * call, so a wrong cloud, a missing permission or a bad credential shows up before any playbook.
 */
import type { CommandContext } from '../../src/command/handler.js';
import {
  authorizationStatus,
  finishAuthorizationMessage,
} from '../../src/auth/authorization-code.js';

export interface ConnectionCheckOptions {
  /**
   * Whether a pasted authorization code may be redeemed. test-module only proves an existing
   * authorization (the reference could not keep a refresh token from it); msgraph-user-test redeems.
   */
  redeemCode: boolean;
  /**
   * Whether to authenticate afresh instead of using a cached token. test-module does: it is how a
   * rotated, revoked or mistyped credential shows up, and a cached token would hide it for an hour.
   */
  fresh: boolean;
}

/** 'ok', or (authorization code flow not finished) the explanation of how to finish it. */
export async function checkConnection(
  ctx: CommandContext,
  options: ConnectionCheckOptions,
): Promise<string> {
  const session = await ctx.auth();
  if (session.flow === 'authorization-code' && !options.redeemCode) {
    const { context } = await ctx.state.get();
    const status = authorizationStatus(context, session.config);
    if (status !== 'authorized') return finishAuthorizationMessage(status);
  }
  await session.getAccessToken({ redeemCode: options.redeemCode, forceRefresh: options.fresh });
  await ctx.graph.request({ method: 'GET', path: 'users', query: { $top: 1, $select: 'id' } });
  return 'ok';
}
