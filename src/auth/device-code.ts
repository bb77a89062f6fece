/**
 * `msgraph-user login --device-code`: signs in for the delegated commands on a machine with no
 * browser (SSH, a jump host) through msal-node's device code flow. The user opens the printed
 * page on any device and enters the code; MSAL polls the token endpoint until they have signed in
 * (at most the code's lifetime, 15 minutes). The tokens then go where the authorization code
 * flow keeps them (MSAL's cache in the integration context), so the delegated commands refresh
 * from them as after `msgraph-user login`.
 *
 * The wait happens outside the instance lock, on a scratch cache; only storing takes the lock.
 */
import { nowSeconds } from '../base/clock.js';
import { ConfigurationError, UserError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import { codeScopes } from './authorization-code.js';
import { tokenExpiry } from './client-credentials.js';
import { fromMsalError } from './errors.js';
import type { LoginOptions } from './login.js';
import { publicApp } from './msal-app.js';
import type { NetworkTrace } from './msal-network.js';
import {
  AUTH_KEYS,
  configOwner,
  dropCachedToken,
  sha256,
  writeCachedToken,
} from './token-cache.js';

/** Seconds MSAL keeps polling at most (Entra's device codes live 15 minutes). */
const DEVICE_CODE_TIMEOUT_SECONDS = 900;

export type DeviceCodeLoginOptions = Omit<LoginOptions, 'openBrowser'>;

interface SignedIn {
  token: string;
  expiresOn: number;
  username?: string;
  cache: unknown;
}

async function signIn(options: DeviceCodeLoginOptions): Promise<SignedIn> {
  const { io, redactor } = options;
  const scratch: ContextData = {};
  let trace: NetworkTrace | undefined;
  try {
    const client = await publicApp(options, scratch);
    trace = client.trace;
    const result = await client.app.acquireTokenByDeviceCode({
      scopes: codeScopes(options),
      deviceCodeCallback: (response) => io.stderr.write(`${response.message}\n`),
      timeout: Math.round((options.timeoutMs ?? DEVICE_CODE_TIMEOUT_SECONDS * 1000) / 1000),
    });
    if (!result?.accessToken) {
      throw new ConfigurationError('The token endpoint returned no access token.');
    }
    redactor.add(result.accessToken);
    return {
      token: result.accessToken,
      expiresOn: tokenExpiry(client.trace, options.clock),
      username: result.account?.username || undefined,
      cache: scratch[AUTH_KEYS.msalCache],
    };
  } catch (error) {
    throw trace ? fromMsalError(error, trace, redactor) : error;
  }
}

/** Runs the sign-in; resolves to the exit code (0 signed in, 1 not). */
export async function runDeviceCodeLogin(options: DeviceCodeLoginOptions): Promise<number> {
  const { config, cloud, io, redactor, clock } = options;
  const print = (stream: { write(text: string): unknown }, text: string) =>
    stream.write(`${redactor.redact(text)}\n`);
  if (config.flow !== 'authorization-code' || !config.clientId || !config.tenantId) {
    print(
      io.stderr,
      'msgraph-user login --device-code signs in for the delegated commands: configure "Use a self-deployed Azure application" (self_deployed), "ID" (creds_auth_id), "Token" (creds_tenant_id), "Key" (creds_enc_key) and "Redirect URI" (redirect_uri), and allow public client flows on the app registration.',
    );
    return 1;
  }
  try {
    const signedIn = await signIn(options);
    await options.store.update((context) => {
      dropCachedToken(context);
      context[AUTH_KEYS.msalCache] = signedIn.cache;
      writeCachedToken(context, {
        token: signedIn.token,
        expiresOn: signedIn.expiresOn,
        obtainedAt: nowSeconds(clock),
        owner: configOwner(config, cloud),
      });
      // This sign-in supersedes a code pasted earlier: never redeem that one over it.
      if (config.authCode) context[AUTH_KEYS.redeemedCode] = sha256(config.authCode);
      return context;
    });
    print(
      io.stdout,
      `Signed in${signedIn.username ? ` as ${signedIn.username}` : ''}; the tokens are stored for this instance.`,
    );
    return 0;
  } catch (error) {
    print(io.stderr, error instanceof UserError ? error.userMessage : String(error));
    return 1;
  }
}
