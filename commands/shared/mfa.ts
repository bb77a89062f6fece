/**
 * Where the MFA commands keep their credentials: the instance's state (a 0600 file or the shared
 * store), never the incident context. The reference wrote the secret and the token to the incident
 * context; here they are registered as secrets, so no war-room entry, context or log shows them.
 *
 * The MFA token follows the Graph token's cache policy (src/auth/token-cache.ts): reused until the
 * same margin before expiry, and only by the secret that bought it.
 */
import { isReusable, sha256 } from '../../src/auth/token-cache.js';
import { nowSeconds } from '../../src/base/clock.js';
import type { CommandContext } from '../../src/command/handler.js';
import type { MfaToken } from '../../src/mfa/service.js';

/** State keys (kept apart from the Graph token keys of src/auth/token-cache.ts). */
const SECRET_KEY = 'mfa_client_secret';
const TOKEN_KEY = 'mfa_access_token';

/** State keys holding MFA credentials (cleared by msgraph-user-auth-reset). */
export const MFA_CONTEXT_KEYS: readonly string[] = [SECRET_KEY, TOKEN_KEY];

export interface StoredSecret {
  secret: string;
  keyId?: string;
  validFrom?: string;
  validUntil?: string;
}

interface StoredToken extends MfaToken {
  /** Digest of the client secret that bought the token (never the secret itself). */
  owner: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A token stored without its purchase time (an older version) is judged as if it lived an hour. */
function readToken(value: unknown): StoredToken | undefined {
  if (!isObject(value) || typeof value.token !== 'string' || typeof value.expiresOn !== 'number') {
    return undefined;
  }
  return {
    token: value.token,
    expiresOn: value.expiresOn,
    obtainedAt: typeof value.obtainedAt === 'number' ? value.obtainedAt : value.expiresOn - 3600,
    owner: typeof value.owner === 'string' ? value.owner : '',
  };
}

/** Identifies the secret a token was bought with; a token is used with no other. */
const tokenOwner = (secret: string | undefined): string =>
  secret ? sha256(`mfa\n${secret}`).slice(0, 32) : 'argument';

export async function storeSecret(ctx: CommandContext, secret: StoredSecret): Promise<void> {
  await ctx.state.update((context) => ({ ...context, [SECRET_KEY]: secret }));
}

export async function storedSecret(ctx: CommandContext): Promise<string | undefined> {
  const value = (await ctx.state.get()).context[SECRET_KEY];
  const secret = isObject(value) && typeof value.secret === 'string' ? value.secret : undefined;
  if (secret) ctx.addSecret(secret);
  return secret || undefined;
}

/** Stores a token bought with `secret` (undefined: the client_secret argument, not the stored one). */
export async function storeToken(
  ctx: CommandContext,
  token: MfaToken,
  secret: string | undefined,
): Promise<void> {
  const stored: StoredToken = { ...token, owner: tokenOwner(secret) };
  await ctx.state.update((context) => ({ ...context, [TOKEN_KEY]: stored }));
}

/** The stored token, if it was bought with the stored secret and is not about to expire. */
export async function storedToken(ctx: CommandContext): Promise<string | undefined> {
  const { context } = await ctx.state.get();
  const entry = readToken(context[TOKEN_KEY]);
  if (!entry) return undefined;
  ctx.addSecret(entry.token);
  const secret = context[SECRET_KEY];
  const owners = [tokenOwner(isObject(secret) ? String(secret.secret ?? '') : undefined)];
  // A token bought with a client_secret argument has no stored secret to vouch for it.
  if (entry.owner === tokenOwner(undefined)) owners.push(entry.owner);
  return owners.some((owner) => isReusable(entry, owner, nowSeconds(ctx.clock)))
    ? entry.token
    : undefined;
}
