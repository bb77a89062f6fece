/**
 * msgraph-user-terminate-session (deprecated): the reference's old name for
 * msgraph-user-account-disable. Same request and sentence, plus a note naming the replacements.
 */
import type { Handler } from '../src/command/handler.js';
import { disableAccount } from './msgraph-user-account-disable.js';

export const TERMINATE_SESSION_DEPRECATION =
  '**Note:** msgraph-user-terminate-session is deprecated. Use msgraph-user-account-disable to disable the account, ' +
  'and msgraph-user-session-revoke to end the sessions that are already open.';

const terminateSession: Handler = async (ctx) => {
  const result = await disableAccount(ctx);
  return {
    ...result,
    readable_output: `${result.readable_output ?? ''}\n\n${TERMINATE_SESSION_DEPRECATION}`,
  };
};

export default terminateSession;
