/**
 * msgraph-user-create-mfa-client-access-token: exchanges the MFA app's client secret (the
 * client_secret argument, else the one msgraph-user-create-mfa-client-secret stored) for a token
 * to the strong authentication service, on the v1 token endpoint of the configured cloud's login
 * host (src/mfa/service.ts).
 *
 * The token goes to the instance's state with its expiry, for msgraph-user-request-mfa; the
 * context gets only ValidUntil.
 */
import { ConfigurationError, UserError } from '../src/base/errors.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { storedSecret, storeToken } from './shared/mfa.js';

const createMfaClientAccessToken: Handler = async (ctx) => {
  const given = textArg(ctx.args, 'client_secret');
  const secret = given || (await storedSecret(ctx));
  if (!secret) {
    throw new UserError(
      'No MFA client secret: this instance has none stored and no client_secret was given.',
      'Run msgraph-user-create-mfa-client-secret first (it stores the secret for this command).',
    );
  }
  const tenant = (await ctx.auth()).config.tenantId;
  if (!tenant) {
    throw new ConfigurationError(
      'The MFA access token is requested from your tenant, and this configuration has no tenant ID.',
      'Use a self-deployed application and put the tenant ID in "Token".',
    );
  }
  const token = await ctx.mfa.requestToken(tenant, secret);
  ctx.addSecret(token.token);
  await storeToken(ctx, token, given ? undefined : secret);
  const validUntil = String(token.expiresOn);
  return {
    outputs_prefix: ctx.outputsPrefix,
    outputs: { ValidUntil: validUntil },
    readable_output:
      `A new access token has been created. It is valid until ${new Date(token.expiresOn * 1000).toISOString()} and is stored in this ` +
      "instance's integration context, not in the incident context; msgraph-user-request-mfa uses it when no access_token is given.",
    raw_response: { ValidUntil: validUntil },
  };
};

export default createMfaClientAccessToken;
