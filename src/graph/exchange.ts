/**
 * One Graph exchange: bearer token, HTTP send, 401 recovery, and the answer as a GraphResponse or
 * a GraphError. The batching view reuses the pieces for the items inside a $batch.
 */
import type { AuthSession } from '../auth/types.js';
import { UserError } from '../base/errors.js';
import type { Logger } from '../base/log.js';
import type { HttpClient, HttpResponse, RetryMode } from '../http/types.js';
import { graphErrorCode, graphErrorFrom } from './errors.js';
import type { GraphEndpoint } from './endpoint.js';
import type { GraphRequest, GraphResponse } from './types.js';

export interface Authorizer {
  /**
   * Runs `send` with a bearer token. A 401 InvalidAuthenticationToken (revoked, or expired despite
   * the cache's margin) invalidates that token and resends once with a fresh one; concurrent
   * rejections of the same token share one refresh.
   */
  authorized(send: (token: string) => Promise<HttpResponse>): Promise<HttpResponse>;
  /** The refresh part alone, for $batch items rejected inside a successful batch. */
  refresh(rejected: string): Promise<string>;
  token(): Promise<string>;
}

export const isRejectedToken = (status: number, body: unknown): boolean =>
  status === 401 && graphErrorCode(body) === 'InvalidAuthenticationToken';

export function createAuthorizer(auth: () => Promise<AuthSession>, log: Logger): Authorizer {
  let session: Promise<AuthSession> | undefined;
  const current = () => {
    // Lazily: a command that fails validation never authenticates.
    session ??= auth();
    session.catch(() => (session = undefined));
    return session;
  };
  // The last refresh, by the token it replaced: concurrent (or late) rejections of that token reuse
  // its result instead of refreshing again.
  let last: { rejected: string; fresh: Promise<string> } | undefined;

  const refresh = (rejected: string): Promise<string> => {
    if (last?.rejected === rejected) return last.fresh;
    log.debug('Graph rejected the access token (InvalidAuthenticationToken); acquiring a new one');
    const fresh = (async () => {
      const s = await current();
      await s.invalidate(rejected);
      return s.getAccessToken({ forceRefresh: true });
    })();
    const entry = { rejected, fresh };
    last = entry;
    // A failed refresh is not remembered, so the next rejection tries again.
    fresh.catch(() => {
      if (last === entry) last = undefined;
    });
    return fresh;
  };

  const token = async () => (await current()).getAccessToken();

  return {
    token,
    refresh,
    async authorized(send) {
      const first = await token();
      const response = await send(first);
      if (!isRejectedToken(response.status, response.body)) return response;
      return send(await refresh(first));
    },
  };
}

export const retryModeOf = (request: GraphRequest): RetryMode =>
  (request.idempotent ?? request.method !== 'POST') ? 'idempotent' : 'throttle-only';

const isJson = (contentType: string | undefined, text: string): boolean =>
  contentType ? /[/+]json\b/i.test(contentType) : /^\s*[{[]/.test(text);

/** Parses a body as Graph sends it: JSON (by content type), text otherwise, undefined if empty. */
export function parseBody(status: number, headers: Record<string, string>, text: string): unknown {
  if (text === '') return undefined;
  if (!isJson(headers['content-type'], text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    const id = headers['request-id'] ? `, request-id: ${headers['request-id']}` : '';
    throw new UserError(
      `Microsoft Graph returned malformed JSON (HTTP ${status}${id}): ${text.slice(0, 200)}`,
      'This is usually a proxy or gateway answering instead of Graph; check the Server URL and proxy settings.',
    );
  }
}

/** A parsed answer as the caller sees it: 2xx and `okStatuses` are answers, the rest GraphErrors. */
export function toGraphResponse<T>(
  request: GraphRequest,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  retries: number,
): GraphResponse<T> {
  const ok = (status >= 200 && status < 300) || (request.okStatuses?.includes(status) ?? false);
  if (!ok) throw graphErrorFrom(status, headers, body, retries);
  return { status, headers, body: body as T };
}

export function headersFor(request: GraphRequest): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  return headers;
}

/** Sends one request straight to Graph (no $batch). */
export async function sendDirect<T>(
  http: HttpClient,
  endpoint: GraphEndpoint,
  authorizer: Authorizer,
  request: GraphRequest,
): Promise<GraphResponse<T>> {
  const url = endpoint.url(request);
  const headers = headersFor(request);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const retry = retryModeOf(request);
  const response = await authorizer.authorized((token) =>
    http.send({
      method: request.method,
      url,
      headers: { ...headers, Authorization: `Bearer ${token}` },
      body,
      retry,
    }),
  );
  const parsed = parseBody(response.status, response.headers, response.body);
  return toGraphResponse<T>(request, response.status, response.headers, parsed, response.retries);
}
