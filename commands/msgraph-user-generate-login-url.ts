/**
 * msgraph-user-generate-login-url: the sign-in URL of the authorization code flow, on the
 * configured cloud's login host, with every value percent-encoded and a random state. It needs
 * only ID, Token and Redirect URI, so it works before the rest of the configuration is complete.
 */
import { buildLoginUrl, randomUrlSafe } from '../src/auth/login-url.js';
import { XSOAR_AUTH_GUIDE } from '../src/auth/flow.js';
import { ConfigurationError } from '../src/base/errors.js';
import type { Handler } from '../src/command/handler.js';

const generateLoginUrl: Handler = async (ctx) => {
  const { application } = ctx.instance;
  if (application.kind === 'managed-identity') {
    throw new ConfigurationError(
      'A managed identity needs no sign-in, so there is no login URL: the authorization code flow needs a self-deployed application.',
    );
  }
  if (application.kind === 'xsoar-app') {
    throw new ConfigurationError(
      `The Cortex XSOAR Azure app signs in through ${XSOAR_AUTH_GUIDE}, which gives ID, Token and Key, so it has no login URL.`,
      'For the authorization code flow, select "Use a self-deployed Azure application" and fill in "ID" (application ID), "Token" (tenant ID), "Key" (client secret) and "Redirect URI".',
    );
  }
  const { clientId, tenantId, redirectUri } = application;
  const missing = [
    !clientId && '"ID"',
    !tenantId && '"Token"',
    !redirectUri && '"Redirect URI"',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `Please make sure you entered the Authorization configuration correctly. Missing: ${missing.join(', ')}.`,
      '"ID" is the application (client) ID, "Token" the tenant ID, "Redirect URI" a redirect URI registered for the application.',
    );
  }
  const url = buildLoginUrl(ctx.instance.cloud, {
    tenantId,
    clientId,
    redirectUri,
    state: randomUrlSafe(16),
  });
  const readable = [
    '### Authorization instructions',
    `1. Click on the [login URL](${url}) to sign in and grant Cortex XSOAR permissions for your Microsoft Entra ID users.`,
    // Written without "?code=", which the redactor treats as a real code in any output.
    'You will be automatically redirected to your redirect URI, with this query string: `code=AUTH_CODE&state=STATE&session_state=SESSION_STATE`',
    '2. Copy the `AUTH_CODE` (without the `code=` prefix and without the `state` and `session_state` parameters) and paste it in your instance configuration under the **Authorization code** parameter.',
    '3. Save the instance and run `!msgraph-user-test`: it redeems the code (a code works once and expires after about 10 minutes) and stores the refresh token.',
    '',
    'On a computer with a browser, `msgraph-user login` does all of this without copying the code.',
  ].join('\n');
  return { readable_output: readable };
};

export default generateLoginUrl;
