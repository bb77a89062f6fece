/**
 * The Graph client handlers use. Paths are built with `graphPath` (src/graph/path.ts), which
 * encodes every interpolated value as exactly one segment, and OData literals with `odataString`.
 */
import type { HttpMethod, RetryPolicy } from '../http/types.js';

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphRequest {
  method: HttpMethod;
  /**
   * A path relative to the version root (`users/{id}/manager`, built with graphPath), or an
   * absolute URL on the configured Graph host (an `@odata.nextLink` a user passed back).
   */
  path: string;
  version?: GraphVersion;
  /** Query parameters; undefined values are dropped. Values are encoded by the client. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Statuses besides 2xx that are answers rather than errors. */
  okStatuses?: number[];
  /** Safe to retry after an ambiguous failure (5xx, timeout). Default: true except for POST. */
  idempotent?: boolean;
}

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, the text for non-JSON bodies, or undefined when empty (204). */
  body: T;
}

export interface GraphPage<T> {
  items: T[];
  /** `@odata.nextLink`, when Graph has more. */
  nextLink?: string;
  deltaLink?: string;
  /** `@odata.count`, when requested. */
  count?: number;
  /** The page's other top-level properties (`@odata.context`, ...). */
  annotations: Record<string, unknown>;
}

export interface PageOptions {
  /** Follow every `@odata.nextLink` (pages are yielded as they arrive, not accumulated). */
  all?: boolean;
  /** What the progress line counts ("Listing users"); the total is Graph's `@odata.count`. */
  label?: string;
}

export interface BatchOptions {
  /**
   * Most requests in flight at once across all $batch calls (default 100, i.e. five calls of 20):
   * ceil(concurrency / 20) $batch calls run at a time.
   */
  concurrency?: number;
}

export interface GraphClient {
  /** Sends one request; throws GraphError for non-ok statuses. */
  request<T = unknown>(request: GraphRequest): Promise<GraphResponse<T>>;
  /** A collection's pages: the first only, or every page with `all`. */
  pages<T = Record<string, unknown>>(
    request: GraphRequest,
    options?: PageOptions,
  ): AsyncIterable<GraphPage<T>>;
  /** The absolute URL of a path (for `@odata.id` references). */
  url(path: string, version?: GraphVersion): string;
  /** A view whose concurrent requests are combined into JSON $batch calls (at most 20 each). */
  batching(options?: BatchOptions): GraphClient;
  /** How Graph requests are retried and paced, for a handler that resends on its own terms. */
  readonly retryPolicy: RetryPolicy;
}
