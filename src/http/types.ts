/**
 * The one HTTP layer's contract. Every request the product makes (Graph, the identity platform
 * through MSAL's network module, the Cortex XSOAR token exchange, IMDS, the MFA service) goes
 * through an HttpClient, so proxy, TLS, timeouts, retries, redaction and recording apply to all.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/log.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Which failures may be retried:
 *  - `idempotent`: 429, 503, 504 and transport errors (the request can safely run twice);
 *  - `throttle-only`: only 429 (the server did not process the request), e.g. a POST that creates;
 *  - `never`.
 */
export type RetryMode = 'idempotent' | 'throttle-only' | 'never';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL; query parameters already encoded. */
  url: string;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; any other value is sent as JSON. */
  body?: unknown;
  /** Overrides the client's timeout for this request, in ms. */
  timeoutMs?: number;
  /** Default: `idempotent` for GET/PUT/PATCH/DELETE, `throttle-only` for POST. */
  retry?: RetryMode;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body as text ('' when empty). */
  body: string;
  /** How many retries it took (0 = first attempt succeeded). */
  retries: number;
}

export interface HttpClient {
  /**
   * Sends a request, retrying per its RetryMode. Resolves for every HTTP status (callers decide
   * what is an error); rejects with TransportError for timeouts, connection, TLS and proxy failures.
   */
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * The client's retry policy, for layers that retry above HTTP (items inside a Graph $batch), so
   * one set of numbers and one time scale govern every wait.
   */
  readonly retryPolicy?: RetryPolicy;
}

/** One operation's retry allowance: attempts and total wait, shared by all its retries. */
export interface RetryBudget {
  /** Retries granted so far. */
  readonly retries: number;
  /**
   * Grants one more retry and returns its wait in ms (unscaled), or undefined when the attempts
   * are used up or the wait would exceed the total. `retryAfter` is the server's header, if any.
   */
  next(retryAfter?: string, throttled?: boolean): number | undefined;
  /** Counts time already lost (an attempt that timed out) against the total wait. */
  spend(ms: number): void;
}

export interface RetryPolicy {
  begin(): RetryBudget;
  /** Waits `ms` on the policy's clock; rejects if `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The clock every wait and Retry-After date is measured on. */
  readonly clock: Clock;
}

export interface RetryOptions {
  /** Attempts including the first, counting failures (5xx, transport errors) only (default 5). */
  maxAttempts?: number;
  /**
   * Attempts including the first, counting throttling (429) only (default 10): the server says
   * how long to wait, and maxTotalWaitMs still bounds the whole.
   */
  maxThrottledAttempts?: number;
  /** Give up when the next wait would push the total over this, in ms (default 120 s). */
  maxTotalWaitMs?: number;
  /** First backoff step without Retry-After, in ms (default 1000), doubled per attempt with jitter. */
  baseDelayMs?: number;
  /** Longest single wait, in ms (default 60 s). */
  maxDelayMs?: number;
}

export interface HttpClientOptions {
  /** Per-request timeout in ms (the `timeout` parameter, default 60 s). */
  timeoutMs: number;
  /** Use the system proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the `proxy` parameter). */
  proxy: boolean;
  /** Skip TLS certificate verification (the `insecure` parameter). */
  insecure: boolean;
  /** Extra trusted CA certificates (PEM), added to Node's defaults (e.g. the simulator's CA). */
  ca?: string;
  retry?: RetryOptions;
  /** Deadlines and retry waits (default: the system clock). */
  clock?: Clock;
  /** Most sockets per origin (default 16); more requests queue in the agent. */
  maxSockets?: number;
  /** The jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  log: Logger;
}
