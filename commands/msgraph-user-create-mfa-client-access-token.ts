/**
 * msgraph-user-create-mfa-client-access-token: exchanges the MFA app's client secret (the
 * client_secret argument, else the one msgraph-user-create-mfa-client-secret stored) for a token
 * to the strong authentication service, on the v1 token endpoint of the configured cloud's login
 * host, through the one HTTP layer (proxy, TLS, timeouts). The reference hard-coded the worldwide
 * host and bypassed proxy and certificate settings.
 *
 * The token goes to the integration context with its expiry, for msgraph-user-request-mfa; the
 * context gets only ValidUntil.
 */
import { ConfigurationError, UserError } from '../src/base/errors.js';
import type { Handler } from '../src/command/handler.js';
import { MFA_APP_ID, nowSeconds, shortBody, storedSecret, storeToken } from './shared/mfa.js';
import { textArg } from './shared/args.js';

interface TokenAnswer {
  access_token?: string;
  expires_on?: string | number;
  expires_in?: string | number;
  error?: string;
  error_description?: string;
}

function parseAnswer(text: string): TokenAnswer {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TokenAnswer) : {};
  } catch {
    return {};
  }
}

/** The token endpoint's failure, with what to do for the usual causes. */
function tokenError(status: number, answer: TokenAnswer, text: string): UserError {
  const what = answer.error
    ? `${answer.error}: ${answer.error_description ?? ''}`.trim()
    : shortBody(text);
  const badSecret = answer.error === 'invalid_client' || answer.error === 'unauthorized_client';
  return new UserError(
    `Error obtaining access token: [${status}] ${what}`,
    badSecret
      ? 'The MFA client secret is wrong, expired or not active yet (a new secret takes 30-60 seconds): run msgraph-user-create-mfa-client-secret, wait a minute and try again.'
      : undefined,
  );
}

const createMfaClientAccessToken: Handler = async (ctx) => {
  const secret = textArg(ctx.args, 'client_secret') || (await storedSecret(ctx));
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
  const form = new URLSearchParams({
    resource: `${ctx.cloud.mfaResource}/StrongAuthenticationService.svc/Connector`,
    client_id: MFA_APP_ID,
    client_secret: secret,
    grant_type: 'client_credentials',
    scope: 'openid',
  });
  const response = await ctx.http.send({
    method: 'POST',
    url: `${ctx.cloud.loginUrl}/${encodeURIComponent(tenant)}/oauth2/token`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form.toString(),
    // Asking for a token twice is harmless, so 5xx and timeouts may be retried too.
    retry: 'idempotent',
  });
  const answer = parseAnswer(response.body);
  if (response.status !== 200 || !answer.access_token) {
    throw tokenError(response.status, answer, response.body);
  }
  ctx.addSecret(answer.access_token);
  const expiresOn = Number(answer.expires_on) || nowSeconds() + (Number(answer.expires_in) || 3600);
  await storeToken(ctx, { token: answer.access_token, expiresOn });
  const validUntil = String(expiresOn);
  return {
    outputs_prefix: 'MSGraphUser.MFAAccessToken',
    outputs: { ValidUntil: validUntil },
    readable_output:
      `A new access token has been created. It is valid until ${new Date(expiresOn * 1000).toISOString()} and is stored in this ` +
      "instance's integration context, not in the incident context; msgraph-user-request-mfa uses it when no access_token is given.",
    raw_response: { ValidUntil: validUntil },
  };
};

export default createMfaClientAccessToken;
