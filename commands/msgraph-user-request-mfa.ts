/**
 * msgraph-user-request-mfa: pushes an MFA request to the user's Authenticator app and waits (at
 * most `timeout` seconds) for the answer. It uses the access_token argument, else the unexpired
 * token msgraph-user-create-mfa-client-access-token stored.
 */
import { UserError } from '../src/base/errors.js';
import type { Handler } from '../src/command/handler.js';
import { twoWayOutcome } from '../src/mfa/two-way-auth.js';
import { textArg } from './shared/args.js';
import { storedToken } from './shared/mfa.js';

const requestMfa: Handler = async (ctx) => {
  const userMail = String(ctx.args.user_mail);
  const timeout = Number(ctx.args.timeout);
  const token = textArg(ctx.args, 'access_token') || (await storedToken(ctx));
  if (!token) {
    throw new UserError(
      'No valid MFA access token: this instance has none stored (or it has expired) and no access_token was given.',
      'Run msgraph-user-create-mfa-client-access-token first; it stores a token that this command uses.',
    );
  }
  const answer = await ctx.mfa.pushRequest(token, userMail, timeout);
  const outcome =
    answer === 'timeout'
      ? {
          approved: false,
          status: `Status: MFA Request Timed Out (no answer within ${timeout} seconds)`,
        }
      : twoWayOutcome(answer);
  if (!outcome.approved) {
    throw new UserError(`Failed to pop MFA request for user ${userMail}: ${outcome.status}`);
  }
  return { readable_output: outcome.status };
};

export default requestMfa;
