/**
 * Where authentication state lives in the instance's integration context, and how a cached access
 * token is judged. Every flow stores its Graph access token the same way, so the fast path (a
 * valid token already cached) never loads MSAL and costs one file read.
 */
import { createHash } from 'node:crypto';
import type { ContextData } from '../base/integration-context.js';
import type { CloudEndpoints } from './clouds.js';
import type { AuthConfig } from './flow.js';

/** Integration-context keys owned by authentication (msgraph-user-auth-reset clears exactly these). */
export const AUTH_KEYS = {
  /** The Graph access token, whatever the flow. */
  accessToken: 'access_token',
  /** Its expiry as the server stated it, epoch seconds. */
  expiresOn: 'access_token_expires_on',
  /** When it was obtained, epoch seconds (the reuse margin depends on the token's lifetime). */
  obtainedAt: 'access_token_obtained_at',
  /** Fingerprint of the configuration that obtained it: a token is never reused after ID, tenant, cloud, flow or credential change. */
  owner: 'access_token_owner',
  /** MSAL's serialized token cache (self-deployed flows): account, refresh token, id token. */
  msalCache: 'msal_cache',
  /** Refresh token the Cortex XSOAR token exchange returned; encrypted instead of the Token next time. */
  xsoarRefreshToken: 'current_refresh_token',
  /** SHA-256 of the last authorization code redeemed (or superseded by msgraph-user login). */
  redeemedCode: 'auth_code_redeemed_sha256',
  /** Cortex XSOAR token exchange backoff: no request before this epoch second. */
  nextRequestTime: 'next_request_time',
  /** Cortex XSOAR token exchange backoff exponent (delays 2, 4, ... 64 s). */
  delayCounter: 'delay_request_counter',
} as const;

export const AUTH_CONTEXT_KEYS: readonly string[] = Object.values(AUTH_KEYS);

/**
 * A cached token is reused until 5 minutes before it expires. Entra's tokens live 60-90 minutes,
 * so little reuse is lost, while a command that starts with the token (paging through every user,
 * a long $batch) finishes before Graph would reject it, and a host clock a few minutes off does not
 * cause 401s. It is also MSAL's own renewal offset, so both caches agree on when a token is stale.
 * Tokens living under 10 minutes (simulators, test tenants) keep half their lifetime instead.
 */
export const EXPIRY_MARGIN_SECONDS = 300;

export interface CachedToken {
  token: string;
  expiresOn: number;
  obtainedAt: number;
  owner: string;
}

export const sha256 = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A digest of the credential the flow signs in with (client secret, certificate, Cortex XSOAR app
 * key and token), or '' for a flow without one. A token obtained with one credential is never
 * handed out under another: a rotated or mistyped secret must fail now, not when the cached
 * token expires. Only the digest enters the owner, itself hashed; the credential is never stored.
 */
function credentialDigest(config: AuthConfig): string {
  const credential = [
    config.clientSecret,
    config.certificate?.thumbprint,
    config.certificate?.privateKey,
    config.xsoarApp?.tenantToken,
    config.xsoarApp?.key,
  ];
  if (!credential.some(Boolean)) return '';
  return sha256(['msgraph-user credential', ...credential.map((c) => c ?? '')].join('\n'));
}

/** Identifies the configuration a token belongs to; secrets enter only hashed. */
export function configOwner(config: AuthConfig, cloud: CloudEndpoints): string {
  const parts = [
    config.flow,
    cloud.loginUrl,
    cloud.graphUrl,
    config.clientId ?? '',
    config.tenantId?.toLowerCase() ?? '',
    config.managedIdentityClientId ?? '',
    config.xsoarApp?.registrationId ?? '',
    config.xsoarApp?.tokenUrl ?? '',
    credentialDigest(config),
  ];
  return sha256(parts.join('\n')).slice(0, 32);
}

export function readCachedToken(context: ContextData): CachedToken | undefined {
  const token = context[AUTH_KEYS.accessToken];
  const expiresOn = context[AUTH_KEYS.expiresOn];
  const obtainedAt = context[AUTH_KEYS.obtainedAt];
  const owner = context[AUTH_KEYS.owner];
  if (typeof token !== 'string' || !token || typeof expiresOn !== 'number') return undefined;
  return {
    token,
    expiresOn,
    obtainedAt: typeof obtainedAt === 'number' ? obtainedAt : expiresOn - 3600,
    owner: typeof owner === 'string' ? owner : '',
  };
}

export function writeCachedToken(context: ContextData, entry: CachedToken): void {
  context[AUTH_KEYS.accessToken] = entry.token;
  context[AUTH_KEYS.expiresOn] = entry.expiresOn;
  context[AUTH_KEYS.obtainedAt] = entry.obtainedAt;
  context[AUTH_KEYS.owner] = entry.owner;
}

export function dropCachedToken(context: ContextData): void {
  delete context[AUTH_KEYS.accessToken];
  delete context[AUTH_KEYS.expiresOn];
  delete context[AUTH_KEYS.obtainedAt];
  delete context[AUTH_KEYS.owner];
}

/** Seconds before expiry at which a token stops being reused. */
export function reuseMargin(entry: Pick<CachedToken, 'expiresOn' | 'obtainedAt'>): number {
  const lifetime = Math.max(0, entry.expiresOn - entry.obtainedAt);
  return Math.min(EXPIRY_MARGIN_SECONDS, Math.floor(lifetime / 2));
}

export function isReusable(
  entry: CachedToken | undefined,
  owner: string,
  nowSeconds: number,
): entry is CachedToken {
  return (
    entry !== undefined &&
    entry.owner === owner &&
    nowSeconds < entry.expiresOn - reuseMargin(entry)
  );
}

/** Removes every authentication key and keeps the rest of the context. */
export function clearAuthState(context: ContextData): ContextData {
  const kept: ContextData = {};
  for (const [key, value] of Object.entries(context)) {
    if (!AUTH_CONTEXT_KEYS.includes(key)) kept[key] = value;
  }
  return kept;
}
