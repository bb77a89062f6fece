/**
 * The per-tenant throttle gate. Graph throttles per application and tenant: once it answers 429
 * with Retry-After, every request of the instance gets the same answer until then, and each one
 * that tries anyway costs quota (docs: concepts/throttling.md). The gate is a decorator on the
 * instance's transport, below the retries: a 429 (or 429 items in a $batch answer) closes it until
 * the moment Graph named, and every Graph request of the instance waits there instead of earning
 * its own 429 and spending its own retries. The request that was throttled waits in the retry
 * layer for the same Retry-After, so it finds the gate open.
 *
 * The gate's state lives behind ThrottleStore (src/state/throttle-store.ts): in memory for one
 * process, on Redis for replicas that share it. A store that fails (Redis unreachable) fails the
 * request that asked, at once: the gate neither waits for the store nor goes on without it.
 */
import type { Clock } from '../base/clock.js';
import { parseRetryAfter } from '../http/retry.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/types.js';
import type { ThrottleStore } from '../state/throttle-store.js';
import { isBatchUrl, type UpstreamOf } from './upstream.js';

export interface GateOptions {
  /** Whose gate it is: the instance's identity (cloud, app, tenant, flow), as its state is named. */
  key: string;
  store: ThrottleStore;
  clock: Clock;
  upstreamOf: UpstreamOf;
  /** Longest a request waits at the gate in all; after it, the request goes (the retries bound the rest). */
  maxWaitMs: number;
  /** Graph throttled `count` requests or $batch items. */
  onThrottled?(count: number): void;
  /** A request waited `ms` at the gate. */
  onWaited?(ms: number): void;
}

interface Throttling {
  count: number;
  /** The longest Retry-After among them, in ms (undefined when none said). */
  waitMs?: number;
}

function longest(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found === undefined ? undefined : String(found[1]);
}

/** The throttling an answer reports: a 429, or 429 items inside a successful $batch. */
function throttling(request: HttpRequest, response: HttpResponse, now: number): Throttling {
  if (response.status === 429) {
    return { count: 1, waitMs: parseRetryAfter(response.headers['retry-after'], now) };
  }
  if (response.status !== 200 || !isBatchUrl(request.url) || !response.body.includes('429')) {
    return { count: 0 };
  }
  let items: unknown;
  try {
    items = (JSON.parse(response.body) as { responses?: unknown }).responses;
  } catch {
    return { count: 0 };
  }
  if (!Array.isArray(items)) return { count: 0 };
  const throttled = items.filter((item: { status?: unknown }) => item?.status === 429);
  return {
    count: throttled.length,
    waitMs: longest(
      throttled.map((item: { headers?: unknown }) =>
        parseRetryAfter(headerValue(item.headers, 'retry-after'), now),
      ),
    ),
  };
}

export function throttleGate(inner: HttpClient, options: GateOptions): HttpClient {
  const { key, store, clock } = options;

  async function waitForGate(signal: AbortSignal | undefined): Promise<void> {
    let waited = 0;
    for (;;) {
      const openAt = await store.openAt(key);
      const wait = Math.min((openAt ?? 0) - clock.now(), options.maxWaitMs - waited);
      if (wait <= 0) break;
      await clock.sleep(wait, signal);
      waited += wait;
    }
    if (waited > 0) options.onWaited?.(waited);
  }

  async function send(request: HttpRequest): Promise<HttpResponse> {
    if (options.upstreamOf(request.url) !== 'graph') return inner.send(request);
    await waitForGate(request.signal);
    const response = await inner.send(request);
    const seen = throttling(request, response, clock.now());
    if (seen.count > 0) options.onThrottled?.(seen.count);
    if (seen.waitMs !== undefined && seen.waitMs > 0) {
      await store.closeUntil(key, clock.now() + seen.waitMs);
    }
    return response;
  }

  return { send, retryPolicy: inner.retryPolicy };
}
