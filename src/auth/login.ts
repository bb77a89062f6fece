/**
 * `msgraph-user login`: finishes the authorization code flow without copy and paste. It listens on
 * the loopback Redirect URI, prints (and can open) the sign-in URL with a random state and a PKCE
 * S256 challenge, checks the state of the redirect it receives, redeems the code with the PKCE
 * verifier, and stores the tokens (MSAL's cache) in the instance's integration context.
 */
import { nowSeconds, type Clock, type Timer } from '../base/clock.js';
import { UserError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import { redeemCode, type RedeemedCode } from './authorization-code.js';
import type { AuthDeps } from './deps.js';
import { buildLoginUrl, pkceChallenge, randomUrlSafe } from './login-url.js';
import {
  loopbackTarget,
  startLoopbackListener,
  type Callback,
  type LoopbackListener,
} from './login-server.js';
import { AUTH_KEYS, configOwner, sha256, writeCachedToken } from './token-cache.js';

export interface LoginIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface LoginOptions extends AuthDeps {
  io: LoginIo;
  /** Opens the sign-in URL in a browser (the CLI passes one unless told not to). */
  openBrowser?: (url: string) => Promise<void>;
  /** How long to wait for the sign-in (default 5 minutes). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.timer(ms, () =>
      reject(
        new UserError(
          `No sign-in arrived within ${Math.round(ms / 1000)} seconds.`,
          'Run msgraph-user login again and finish the sign-in in the browser.',
        ),
      ),
    );
  });
  return Promise.race([promise, timeout]).finally(() => timer?.cancel());
}

/**
 * Waits for the redirect that carries this login's `state`. Any other request to the redirect URI
 * (a forged link, another sign-in, a page reloaded) is answered with a refusal and the wait goes
 * on: ending the login there would let one stray request cost the user their real sign-in.
 */
async function awaitOwnRedirect(
  listener: LoopbackListener,
  state: string,
  stderr: (text: string) => void,
): Promise<Callback> {
  for (;;) {
    const callback = await listener.next();
    if (callback.query.get('state') === state) return callback;
    stderr(
      'Rejected an answer at the redirect URI that did not carry the state this login sent (another sign-in or a forged link); still waiting for the sign-in.',
    );
    await callback.respond(
      400,
      'Sign-in rejected',
      'This answer does not belong to the sign-in msgraph-user is waiting for. Use the URL msgraph-user login printed.',
    );
  }
}

/** The code from this login's redirect, unless the sign-in failed. */
function codeFrom(callback: Callback): string {
  const { query } = callback;
  const error = query.get('error');
  if (error) {
    const description = (query.get('error_description') ?? '').split(/\r?\n/)[0];
    throw new UserError(
      `Sign-in failed: ${error}${description ? `: ${description}` : ''}`,
      'Check the app registration (redirect URI, permissions, consent) and run msgraph-user login again.',
    );
  }
  const code = query.get('code');
  if (!code) throw new UserError('The sign-in answer carried no authorization code.');
  return code;
}

/** Redeems under the instance lock and stores tokens; nothing is written when redemption fails. */
async function redeemAndStore(
  deps: AuthDeps,
  code: string,
  verifier: string,
): Promise<RedeemedCode> {
  let redeemed: RedeemedCode | undefined;
  await deps.store.update(async (context: ContextData) => {
    redeemed = await redeemCode(deps, context, code, verifier);
    const obtainedAt = nowSeconds(deps.clock);
    writeCachedToken(context, {
      token: redeemed.token,
      expiresOn: redeemed.expiresOn,
      obtainedAt,
      owner: configOwner(deps.config, deps.cloud),
    });
    // This sign-in supersedes a code pasted earlier: never redeem that one over it.
    if (deps.config.authCode) context[AUTH_KEYS.redeemedCode] = sha256(deps.config.authCode);
    return context;
  });
  if (!redeemed) throw new Error('redemption produced no token');
  return redeemed;
}

const message = (error: unknown): string =>
  error instanceof UserError
    ? error.userMessage
    : error instanceof Error
      ? error.message
      : String(error);

/** Runs the sign-in; resolves to the exit code (0 signed in, 1 not). */
export async function runLogin(options: LoginOptions): Promise<number> {
  const { config, cloud, io, redactor } = options;
  const print = (stream: { write(text: string): unknown }, text: string) =>
    stream.write(`${redactor.redact(text)}\n`);
  if (
    config.flow !== 'authorization-code' ||
    !config.redirectUri ||
    !config.clientId ||
    !config.tenantId
  ) {
    print(
      io.stderr,
      'msgraph-user login finishes the authorization code flow: configure "Use a self-deployed Azure application", "ID", "Token", "Key" (or a certificate) and a loopback "Redirect URI" such as http://localhost:8765/callback.',
    );
    return 1;
  }
  let callback: Callback | undefined;
  let listener: LoopbackListener | undefined;
  try {
    const target = loopbackTarget(config.redirectUri);
    listener = await startLoopbackListener(target);
    const state = randomUrlSafe();
    const verifier = randomUrlSafe();
    redactor.add(verifier);
    const url = buildLoginUrl(cloud, {
      tenantId: config.tenantId,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      state,
      extraScopes: ['openid', 'profile'],
      codeChallenge: pkceChallenge(verifier),
    });
    print(
      io.stderr,
      `Sign in to authorize msgraph-user; open this URL in a browser:\n\n  ${url}\n\nWaiting for the sign-in at ${config.redirectUri} ...`,
    );
    // Not awaited: the sign-in may complete before the browser opener returns.
    const { openBrowser } = options;
    if (openBrowser) {
      Promise.resolve()
        .then(() => openBrowser(url))
        .catch(() => print(io.stderr, 'Could not open a browser; open the URL above yourself.'));
    }
    callback = await withTimeout(
      awaitOwnRedirect(listener, state, (text) => print(io.stderr, text)),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.clock,
    );
    const code = codeFrom(callback);
    const redeemed = await redeemAndStore(options, code, verifier);
    await callback.respond(200, 'Signed in', 'Signed in; you can close this tab.');
    print(
      io.stdout,
      `Signed in${redeemed.username ? ` as ${redeemed.username}` : ''}; the tokens are stored for this instance.`,
    );
    return 0;
  } catch (error) {
    await callback?.respond(
      400,
      'Sign-in failed',
      redactor.redact(message(error).split('\n')[0] ?? ''),
    );
    print(io.stderr, message(error));
    return 1;
  } finally {
    await listener?.close();
  }
}
