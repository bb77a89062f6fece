/**
 * The instance's authentication session: one token cache in the integration context for every
 * flow, shared by all processes running the instance.
 *
 * getAccessToken is double-checked:
 *  1. without any lock, read the context; a reusable token (owner matches, not within the expiry
 *     margin, not rejected) is returned at once; MSAL is not even loaded;
 *  2. otherwise take the instance's cross-process lock, read the context again, and return the
 *     token another process may have stored meanwhile;
 *  3. only then ask the flow for a new token, and store it (with a rotated refresh token, MSAL's
 *     cache, the code marker) in the same atomic write, still under the lock.
 * So N cold processes make one token request, and a refresh token is never rotated twice.
 */
import { UserError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import { authorizationCodeSource } from './authorization-code.js';
import { clientCredentialsSource } from './client-credentials.js';
import type { AuthDeps, TokenSource } from './deps.js';
import { configSecrets } from './flow.js';
import { managedIdentitySource } from './managed-identity.js';
import { msalCacheSecrets } from './msal-cache.js';
import {
  AUTH_KEYS,
  configOwner,
  dropCachedToken,
  isReusable,
  readCachedToken,
  writeCachedToken,
  type CachedToken,
} from './token-cache.js';
import type { AuthSession, TokenRequestOptions } from './types.js';
import { xsoarAppSource } from './xsoar-app.js';

export type { AuthDeps } from './deps.js';

export function tokenSource(deps: AuthDeps): TokenSource {
  switch (deps.config.flow) {
    case 'xsoar-app':
      return xsoarAppSource(deps);
    case 'client-credentials':
    case 'client-certificate':
      return clientCredentialsSource(deps);
    case 'authorization-code':
      return authorizationCodeSource(deps);
    case 'managed-identity':
      return managedIdentitySource(deps);
  }
}

/** Thrown out of a store update to leave the file untouched (nothing changed). */
const UNCHANGED = Symbol('unchanged');

/** `store.update`, except that a mutation throwing UNCHANGED writes nothing. */
async function updateUnlessUnchanged(
  deps: AuthDeps,
  mutate: (context: ContextData) => Promise<ContextData>,
): Promise<void> {
  try {
    await deps.store.update(mutate);
  } catch (error) {
    if (error === UNCHANGED) return;
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED') {
      // A shared lock's own message names the lock, the server and its holder: keep it.
      const detail = error instanceof UserError ? `${error.message} ` : '';
      throw new UserError(
        "Timed out waiting for another msgraph-user command that holds this instance's token lock.",
        `${detail}That command is still getting a token (a slow or unreachable identity endpoint?); try again when it ends.`,
      );
    }
    throw error;
  }
}

export async function createAuthSession(deps: AuthDeps): Promise<AuthSession> {
  const { config, redactor } = deps;
  const nowSeconds = () => deps.clock.now() / 1000;
  for (const secret of configSecrets(config)) redactor.add(secret);
  const source = tokenSource(deps);
  const owner = configOwner(config, deps.cloud);
  /** Tokens Graph rejected or the caller asked to replace: never handed out again. */
  const rejected = new Set<string>();
  let lastHandedOut: string | undefined;
  let inflight: Promise<CachedToken> | undefined;

  const reusable = (entry: CachedToken | undefined): entry is CachedToken =>
    isReusable(entry, owner, nowSeconds()) && !rejected.has(entry.token);

  function registerSecrets(context: ContextData): void {
    const token = context[AUTH_KEYS.accessToken];
    redactor.add(token);
    redactor.add(context[AUTH_KEYS.xsoarRefreshToken]);
    for (const secret of msalCacheSecrets(context)) redactor.add(secret);
  }

  /** Steps 2 and 3: under the lock, re-read; acquire only if still needed. */
  async function acquireLocked(redeemCode: boolean): Promise<CachedToken> {
    let result: CachedToken | undefined;
    let failure: unknown;
    await updateUnlessUnchanged(deps, async (context) => {
      registerSecrets(context);
      const entry = readCachedToken(context);
      if (reusable(entry) && !(redeemCode && source.pending?.(context))) {
        result = entry;
        throw UNCHANGED;
      }
      const before = structuredClone(context);
      try {
        const acquired = await source.acquire(context, { redeemCode });
        result = {
          token: acquired.token,
          expiresOn: acquired.expiresOn,
          obtainedAt: Math.floor(nowSeconds()),
          owner,
        };
        writeCachedToken(context, result);
        return context;
      } catch (error) {
        failure = error;
        if (!source.recordFailure) throw UNCHANGED;
        source.recordFailure(before, error);
        return before;
      }
    });
    if (failure !== undefined) throw failure;
    if (!result) throw new Error('token acquisition produced no token');
    return result;
  }

  function handOut(entry: CachedToken): string {
    redactor.add(entry.token);
    lastHandedOut = entry.token;
    return entry.token;
  }

  async function getAccessToken(options: TokenRequestOptions = {}): Promise<string> {
    const redeemCode = options.redeemCode ?? true;
    if (options.forceRefresh) {
      // Replace the token this session last used; one stored by another process since is fine.
      if (lastHandedOut) rejected.add(lastHandedOut);
      else {
        const current = readCachedToken((await deps.store.get()).context);
        if (current) rejected.add(current.token);
      }
      return handOut(await acquireLocked(redeemCode));
    }
    // No in-memory copy: the file is the truth (msgraph-user-auth-reset or another process may
    // have changed it), and reading it costs far less than the request the token is for.
    const { context } = await deps.store.get();
    registerSecrets(context);
    const cached = readCachedToken(context);
    if (reusable(cached) && !(redeemCode && source.pending?.(context))) return handOut(cached);
    // Concurrent callers in this process share one trip through the lock.
    inflight ??= acquireLocked(redeemCode).finally(() => {
      inflight = undefined;
    });
    return handOut(await inflight);
  }

  async function invalidate(token: string): Promise<void> {
    rejected.add(token);
    await updateUnlessUnchanged(deps, async (context) => {
      if (context[AUTH_KEYS.accessToken] !== token) throw UNCHANGED;
      dropCachedToken(context);
      return context;
    });
  }

  return { flow: config.flow, config, getAccessToken, invalidate };
}
