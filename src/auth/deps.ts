/**
 * What every flow needs from the runtime, and the shape a flow implements.
 */
import type { Clock } from '../base/clock.js';
import type { HttpClient } from '../http/types.js';
import type { ContextData } from '../base/integration-context.js';
import type { Logger } from '../base/log.js';
import type { Redactor } from '../base/redact.js';
import type { InstanceStore } from '../state/instance-store.js';
import type { CloudEndpoints } from './clouds.js';
import type { AuthConfig } from './flow.js';

export interface AuthDeps {
  config: AuthConfig;
  cloud: CloudEndpoints;
  /** The one HTTP layer; every identity request goes through it. */
  http: HttpClient;
  /** The instance's integration context, where every token lives (a folder or Redis). */
  store: InstanceStore;
  redactor: Redactor;
  log: Logger;
  /** Token expiries and backoff are judged on it (a replay runs at the recording's time). */
  clock: Clock;
}

export interface AcquiredToken {
  token: string;
  /** Epoch seconds. */
  expiresOn: number;
}

export interface AcquireOptions {
  /** Whether a pasted authorization code not yet redeemed may be redeemed now. */
  redeemCode: boolean;
}

/** One flow's way to get a new token. */
export interface TokenSource {
  /**
   * Requests a new token (never from a cache). Runs under the instance lock; `context` is the
   * working copy of the integration context, and whatever the flow changes in it (MSAL cache,
   * rotated refresh token) is written atomically with the token. When it throws, its changes are
   * discarded: a failed redemption never wipes a working authorization.
   */
  acquire(context: ContextData, options: AcquireOptions): Promise<AcquiredToken>;
  /** Records a failure in the context as it was before `acquire` (the token exchange's backoff). */
  recordFailure?(context: ContextData, error: unknown): void;
  /** True when the configuration asks for a new token even though a cached one is valid (a new authorization code). */
  pending?(context: ContextData): boolean;
}
