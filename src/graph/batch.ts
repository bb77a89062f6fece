/**
 * A GraphClient view that packs concurrent requests into JSON $batch calls.
 *
 * When to flush: every request made during one turn of the event loop is queued, and the queue is
 * flushed at the end of that turn (setImmediate), in calls of at most 20 items (Graph's limit,
 * docs: concepts/json-batching.md) and at most ceil(concurrency / 20) calls in flight. A bulk
 * command whose handlers all start together therefore needs ceil(n / 20) calls, and a lone
 * request goes out as itself. Absolute URLs (next-page links) cannot be batched and go directly.
 *
 * Graph throttles items inside a batch one by one (a 200 batch with 429 items) and the SDKs never
 * retry them (microsoft-graph-toolkit#448, msgraph-sdk-dotnet#1759), so here each item has its
 * own retry budget: 429 always, 503/504 for idempotent methods, and one fresh token after a 401.
 * Items that must wait go back to the front of the queue after the longest Retry-After among
 * them, as the throttling guidance asks. One item's failure never fails the others.
 */
import { UserError } from '../base/errors.js';
import type { HttpClient, RetryBudget, RetryPolicy } from '../http/types.js';
import { isRetryableStatus } from '../http/retry.js';
import { isAbsoluteUrl, type GraphEndpoint } from './endpoint.js';
import { graphErrorFrom } from './errors.js';
import {
  isRejectedToken,
  parseBody,
  retryModeOf,
  sendDirect,
  toGraphResponse,
  type Authorizer,
} from './exchange.js';
import { iteratePages } from './paging.js';
import type { Progress } from '../base/progress.js';
import type {
  BatchOptions,
  GraphClient,
  GraphRequest,
  GraphResponse,
  GraphVersion,
} from './types.js';

export const MAX_BATCH_ITEMS = 20;
/** Default for BatchOptions.concurrency: five $batch calls of 20 in flight. */
export const DEFAULT_BATCH_CONCURRENCY = 100;

export interface BatchDeps {
  base: GraphClient;
  http: HttpClient;
  endpoint: GraphEndpoint;
  authorizer: Authorizer;
  retryPolicy: RetryPolicy;
  progress: Progress;
}

interface Item {
  request: GraphRequest;
  resolve(response: GraphResponse<unknown>): void;
  reject(error: unknown): void;
  budget?: RetryBudget;
  tokenRefreshed?: boolean;
}

interface SubResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function lowerCase(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers === 'object' && headers !== null) {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

/** `{responses: [{id, status, headers, body}]}`, by id (Graph may answer in any order). */
function readResponses(body: unknown): Map<string, SubResponse> {
  const byId = new Map<string, SubResponse>();
  const list = (body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(list)) return byId;
  for (const entry of list as Record<string, unknown>[]) {
    if (typeof entry?.id !== 'string' || typeof entry.status !== 'number') continue;
    const headers = lowerCase(entry.headers);
    let payload = entry.body;
    if (typeof payload === 'string' && /json/i.test(headers['content-type'] ?? '')) {
      payload = parseBody(entry.status, headers, payload);
    }
    byId.set(entry.id, { status: entry.status, headers, body: payload });
  }
  return byId;
}

/** A $batch item: id, method, URL relative to the version root, headers, JSON body. */
function itemPayload(item: Item, index: number, endpoint: GraphEndpoint) {
  const { request } = item;
  const headers = { ...request.headers };
  // Graph requires a Content-Type on every item with a body (docs: json-batching.md).
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  return {
    id: String(index + 1),
    method: request.method,
    url: endpoint.relative(request),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

export function createBatchingClient(deps: BatchDeps, options: BatchOptions = {}): GraphClient {
  const concurrency = options.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  const maxCalls = Math.max(1, Math.ceil(concurrency / MAX_BATCH_ITEMS));
  const queues = new Map<GraphVersion, Item[]>();
  let inFlight = 0;
  let scheduled = false;
  let paused = 0;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  function pump(): void {
    scheduled = false;
    if (paused > 0) return;
    for (const [version, queue] of queues) {
      while (inFlight < maxCalls && queue.length > 0) {
        const items = queue.splice(0, MAX_BATCH_ITEMS);
        inFlight += 1;
        void dispatch(version, items).finally(() => {
          inFlight -= 1;
          if ([...queues.values()].some((q) => q.length > 0)) schedule();
        });
      }
    }
  }

  async function dispatch(version: GraphVersion, items: Item[]): Promise<void> {
    const [item] = items;
    // A lone request goes out as itself, unless it is an item being retried: its retry budget
    // lives here, and a direct send would start a second one in the HTTP layer.
    if (items.length === 1 && item && !item.budget && !item.tokenRefreshed) {
      await sendDirect(deps.http, deps.endpoint, deps.authorizer, item.request).then(
        item.resolve,
        item.reject,
      );
      return;
    }
    let token = '';
    let responses: Map<string, SubResponse>;
    try {
      const requests = items.map((each, index) => itemPayload(each, index, deps.endpoint));
      const allIdempotent = items.every((each) => retryModeOf(each.request) === 'idempotent');
      const response = await deps.authorizer.authorized((bearer) => {
        token = bearer;
        return deps.http.send({
          method: 'POST',
          url: `${deps.endpoint.root(version)}$batch`,
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            Authorization: `Bearer ${bearer}`,
          },
          body: JSON.stringify({ requests }),
          retry: allIdempotent ? 'idempotent' : 'throttle-only',
        });
      });
      const body = parseBody(response.status, response.headers, response.body);
      if (response.status !== 200) {
        throw graphErrorFrom(response.status, response.headers, body, response.retries);
      }
      responses = readResponses(body);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    // Not awaited: the call's slot is free while its throttled items wait (the pause holds the rest).
    void settle(version, items, responses, token);
  }

  async function settle(
    version: GraphVersion,
    items: Item[],
    responses: Map<string, SubResponse>,
    token: string,
  ): Promise<void> {
    const again: Item[] = [];
    let wait = 0;
    let refreshToken = false;
    items.forEach((item, index) => {
      const sub = responses.get(String(index + 1));
      if (!sub) {
        item.reject(
          new UserError(
            `Microsoft Graph's $batch answer had no response for ${item.request.method} ${item.request.path}.`,
            'Run the command again.',
          ),
        );
        return;
      }
      if (isRejectedToken(sub.status, sub.body) && !item.tokenRefreshed) {
        item.tokenRefreshed = refreshToken = true;
        again.push(item);
        return;
      }
      if (isRetryableStatus(retryModeOf(item.request), sub.status)) {
        item.budget ??= deps.retryPolicy.begin();
        const delay = item.budget.next(sub.headers['retry-after'], sub.status === 429);
        if (delay !== undefined) {
          wait = Math.max(wait, delay);
          again.push(item);
          return;
        }
      }
      try {
        item.resolve(
          toGraphResponse(
            item.request,
            sub.status,
            sub.headers,
            sub.body,
            item.budget?.retries ?? 0,
          ),
        );
      } catch (error) {
        item.reject(error);
      }
    });
    if (again.length === 0) return;
    // Throttling is per app and tenant, so nothing else goes out while these items wait.
    paused += 1;
    try {
      if (refreshToken) await deps.authorizer.refresh(token);
      await deps.retryPolicy.sleep(wait);
      queues.set(version, [...again, ...(queues.get(version) ?? [])]);
    } catch (error) {
      for (const item of again) item.reject(error);
    } finally {
      paused -= 1;
      schedule();
    }
  }

  const view: GraphClient = {
    request<T>(request: GraphRequest): Promise<GraphResponse<T>> {
      if (isAbsoluteUrl(request.path)) return deps.base.request<T>(request);
      return new Promise<GraphResponse<T>>((resolve, reject) => {
        const version = request.version ?? 'v1.0';
        let queue = queues.get(version);
        if (!queue) queues.set(version, (queue = []));
        queue.push({ request, resolve: resolve as Item['resolve'], reject });
        schedule();
      });
    },
    pages: (request, pageOptions) =>
      iteratePages(view.request, deps.progress, request, pageOptions),
    url: (path, version) => deps.base.url(path, version),
    batching: (batchOptions) => deps.base.batching(batchOptions),
    retryPolicy: deps.retryPolicy,
  };
  return view;
}
