/**
 * The MFA push flow (anchor-msgraph-user.md §2.5), which is not a Graph API: a client secret of the
 * tenant's "Azure Multi-Factor Auth Client" service principal buys a v1 token for the strong
 * authentication service, whose BeginTwoWayAuthentication call (the NPS extension's protocol)
 * pushes a notification to the user's Authenticator app and waits for the answer.
 *
 * The reference wrote the secret and the token to the incident context. Here they live only in the
 * instance's integration context (a 0600 file) and are registered as secrets, so no war-room entry,
 * context or log ever shows them.
 */
import type { CommandContext } from '../../src/command/handler.js';

/** The Azure Multi-Factor Auth Client application: the same app ID in every tenant. */
export const MFA_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';

/** Integration-context keys (kept apart from the Graph token keys of src/auth/token-cache.ts). */
const SECRET_KEY = 'mfa_client_secret';
const TOKEN_KEY = 'mfa_access_token';

/** Integration-context keys holding MFA credentials (cleared by msgraph-user-auth-reset). */
export const MFA_CONTEXT_KEYS: readonly string[] = [SECRET_KEY, TOKEN_KEY];

/** A stored token is used only if it stays valid at least this long (the push can take a minute). */
const TOKEN_MARGIN_SECONDS = 120;

export interface StoredSecret {
  secret: string;
  keyId?: string;
  validFrom?: string;
  validUntil?: string;
}

export interface StoredToken {
  token: string;
  /** Epoch seconds. */
  expiresOn: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function storeSecret(ctx: CommandContext, secret: StoredSecret): Promise<void> {
  await ctx.integrationContext.update((context) => ({ ...context, [SECRET_KEY]: secret }));
}

export async function storedSecret(ctx: CommandContext): Promise<string | undefined> {
  const value = (await ctx.integrationContext.get()).context[SECRET_KEY];
  const secret = isObject(value) && typeof value.secret === 'string' ? value.secret : undefined;
  if (secret) ctx.addSecret(secret);
  return secret || undefined;
}

export async function storeToken(ctx: CommandContext, token: StoredToken): Promise<void> {
  await ctx.integrationContext.update((context) => ({ ...context, [TOKEN_KEY]: token }));
}

/** The stored token, if it is still valid for a while. */
export async function storedToken(
  ctx: CommandContext,
  nowSeconds: number,
): Promise<string | undefined> {
  const value = (await ctx.integrationContext.get()).context[TOKEN_KEY];
  if (!isObject(value) || typeof value.token !== 'string' || typeof value.expiresOn !== 'number') {
    return undefined;
  }
  ctx.addSecret(value.token);
  return value.expiresOn - TOKEN_MARGIN_SECONDS > nowSeconds ? value.token : undefined;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A response body for an error message: trimmed and bounded. */
export function shortBody(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
