/**
 * MSAL's token cache, persisted in the integration context through msal-node's ICachePlugin seam.
 * The plugin works on the context object of the current locked read-modify-write, so a refresh
 * token MSAL rotates is written back in the same atomic update that stores the new access token:
 * no other process can read the old one in between, and none can overwrite the new one.
 *
 * Access tokens are left out: the session keeps the one Graph token of the instance under its own
 * keys (token-cache.ts), and every MSAL call we make asks the server anyway (skipCache,
 * forceRefresh), so a second copy would only be one more place for a token to sit.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { ContextData } from '../base/integration-context.js';
import type { Redactor } from '../base/redact.js';
import { AUTH_KEYS } from './token-cache.js';

type CacheSection = Record<string, Record<string, unknown>>;

/** The serialized cache's sections that hold credentials (`secret` fields). */
const SECRET_SECTIONS = ['AccessToken', 'RefreshToken', 'IdToken'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function section(context: ContextData, name: string): CacheSection {
  const cache = context[AUTH_KEYS.msalCache];
  const part = isRecord(cache) ? cache[name] : undefined;
  return isRecord(part) ? (part as CacheSection) : {};
}

/** Every token in the persisted MSAL cache, to register with the redactor. */
export function msalCacheSecrets(context: ContextData): string[] {
  const secrets: string[] = [];
  for (const name of SECRET_SECTIONS) {
    for (const entry of Object.values(section(context, name))) {
      if (typeof entry.secret === 'string') secrets.push(entry.secret);
    }
  }
  return secrets;
}

/** The cached refresh token of `clientId`, if MSAL holds one. */
export function cachedRefreshToken(context: ContextData, clientId: string): string | undefined {
  for (const entry of Object.values(section(context, 'RefreshToken'))) {
    if (entry.client_id === clientId && typeof entry.secret === 'string' && entry.secret) {
      return entry.secret;
    }
  }
  return undefined;
}

/** Whether MSAL holds an account (needed for acquireTokenSilent). */
export function hasCachedAccount(context: ContextData): boolean {
  return Object.keys(section(context, 'Account')).length > 0;
}

/**
 * A cache plugin reading from and writing to `context` (the working copy of one locked update).
 * Every token MSAL stores is registered with the redactor as it is persisted.
 */
export function contextCachePlugin(context: ContextData, redactor: Redactor): ICachePlugin {
  return {
    async beforeCacheAccess(cacheContext: TokenCacheContext): Promise<void> {
      const stored = context[AUTH_KEYS.msalCache];
      cacheContext.tokenCache.deserialize(isRecord(stored) ? JSON.stringify(stored) : '');
    },
    async afterCacheAccess(cacheContext: TokenCacheContext): Promise<void> {
      if (!cacheContext.cacheHasChanged) return;
      const serialized = JSON.parse(cacheContext.tokenCache.serialize()) as Record<string, unknown>;
      context[AUTH_KEYS.msalCache] = { ...serialized, AccessToken: {} };
      for (const secret of msalCacheSecrets(context)) redactor.add(secret);
    },
  };
}
