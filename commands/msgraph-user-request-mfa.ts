/**
 * msgraph-user-request-mfa: pushes an MFA request to the user's Authenticator app and waits (at
 * most `timeout` seconds) for the answer. It uses the access_token argument, else the unexpired
 * token msgraph-user-create-mfa-client-access-token stored. The call goes to the configured
 * cloud's strong authentication service through the one HTTP layer; the reference hard-coded the
 * worldwide host and bypassed proxy and certificate settings.
 */
import { randomUUID } from 'node:crypto';
import { TransportError } from '../src/http/transport-error.js';
import type { HttpResponse } from '../src/http/types.js';
import { UserError } from '../src/base/errors.js';
import type { Handler } from '../src/command/handler.js';
import { nowSeconds, shortBody, storedToken } from './shared/mfa.js';
import { textArg } from './shared/args.js';
import {
  parseTwoWayAuthenticationResponse,
  twoWayAuthenticationRequest,
  twoWayOutcome,
} from './shared/two-way-auth.js';

const requestMfa: Handler = async (ctx) => {
  const userMail = String(ctx.args.user_mail);
  const timeout = Number(ctx.args.timeout);
  const token = textArg(ctx.args, 'access_token') || (await storedToken(ctx, nowSeconds()));
  if (!token) {
    throw new UserError(
      'No valid MFA access token: this instance has none stored (or it has expired) and no access_token was given.',
      'Run msgraph-user-create-mfa-client-access-token first; it stores a token that this command uses.',
    );
  }
  const failed = (detail: string, hint?: string) =>
    new UserError(`Failed to pop MFA request for user ${userMail}: ${detail}`, hint);
  let response: HttpResponse;
  try {
    response = await ctx.http.send({
      method: 'POST',
      url: `${ctx.cloud.mfaServiceUrl}/StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication`,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/xml' },
      body: twoWayAuthenticationRequest(userMail, randomUUID()),
      timeoutMs: timeout * 1000,
    });
  } catch (err) {
    // The service holds the call open until the user answers: a timeout means no answer in time.
    if (err instanceof TransportError && err.kind === 'timeout') {
      throw failed(`Status: MFA Request Timed Out (no answer within ${timeout} seconds)`);
    }
    throw err;
  }
  if (response.status < 200 || response.status >= 300) {
    throw failed(
      `Error sending MFA challenge: [${response.status}] ${shortBody(response.body)}`,
      response.status === 401
        ? 'The MFA access token is invalid or expired: run msgraph-user-create-mfa-client-access-token again.'
        : undefined,
    );
  }
  const result = parseTwoWayAuthenticationResponse(response.body);
  if (!result) {
    throw failed(
      `Error: Could not parse MFA response.\nRaw Response:\n${shortBody(response.body)}`,
    );
  }
  const outcome = twoWayOutcome(result);
  if (!outcome.approved) throw failed(outcome.status);
  return { readable_output: outcome.status };
};

export default requestMfa;
