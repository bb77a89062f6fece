/**
 * What the rest of the runtime needs from authentication.
 */
import type { AuthConfig, AuthFlow } from './flow.js';

export interface TokenRequestOptions {
  /** Ignore any cached access token (after Graph rejected it). */
  forceRefresh?: boolean;
  /**
   * Authorization code flow: whether a pasted code not yet redeemed may be redeemed now (default
   * true). test-module passes false: it only proves an existing authorization.
   */
  redeemCode?: boolean;
}

export interface AuthSession {
  readonly flow: AuthFlow;
  readonly config: AuthConfig;
  /** A valid Graph access token: cached when still valid (minus a margin), else acquired under the instance lock. */
  getAccessToken(options?: TokenRequestOptions): Promise<string>;
  /** Forgets `token` if it is the cached one, so the next call acquires a new one. */
  invalidate(token: string): Promise<void>;
}
