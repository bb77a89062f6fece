import { randomUUID } from 'node:crypto';
import type { AccessTokenRecord } from '../identity/tokens.js';
import { matchRoute, splitPath } from '../router.js';
import type { SimState } from '../state.js';
import type { SimResponse } from '../types.js';
import type { GraphContext } from './context.js';
import { GraphError, graphErrorResponse, graphErrors, type RequestIds } from './errors.js';
import { GRAPH_ROUTES } from './routes.js';

/** One Graph call, from the wire or from a $batch item. */
export interface GraphCall {
  method: string;
  version: 'v1.0' | 'beta';
  /** Raw path after the version, starting with "/". */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface GraphResult {
  response: SimResponse;
  /** "GET /v1.0/users/{id}", or "GET (unmatched)". */
  template: string;
}

export function requestIds(headers: Record<string, string>): RequestIds {
  return { requestId: randomUUID(), clientRequestId: headers['client-request-id'] ?? randomUUID() };
}

/** /me is an alias of /users/{signed-in user}; app-only tokens have no "me". */
function rewriteMe(call: GraphCall, principal: AccessTokenRecord): string {
  if (!/^\/me(\/|$)/i.test(call.rawPath)) return call.rawPath;
  if (principal.kind !== 'delegated' || !principal.userId) {
    throw new GraphError(
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    );
  }
  return `/users/${principal.userId}${call.rawPath.slice(3)}`;
}

/** The stats key of a call without running it (used when authentication fails first). */
export function graphTemplate(call: GraphCall): string {
  const { match } = matchRoute(
    GRAPH_ROUTES,
    call.method,
    splitPath(`/${call.version}${call.rawPath}`),
  );
  return match ? `${call.method} ${match.route.template}` : `${call.method} (unmatched)`;
}

/**
 * Routes a Graph call, applies fault injection (once per call, so each $batch item draws its
 * own fault), runs the handler and renders thrown GraphErrors with Graph's envelope.
 */
export async function runGraph(
  state: SimState,
  call: GraphCall,
  principal: AccessTokenRecord,
): Promise<GraphResult> {
  const ids = requestIds(call.headers);
  const now = state.clock.now();
  let template = `${call.method} (unmatched)`;
  let response: SimResponse;
  try {
    const rawPath = rewriteMe(call, principal);
    const segments = splitPath(`/${call.version}${rawPath}`);
    const { match, methodNotAllowed } = matchRoute(GRAPH_ROUTES, call.method, segments);
    if (!match) {
      if (methodNotAllowed) throw graphErrors.methodNotAllowed();
      throw graphErrors.noSegment(segments[segments.length - 1] ?? '');
    }
    template = `${call.method} ${match.route.template}`;
    const fault = state.faults.decide();
    const retryAfter = String(state.faults.settings.retryAfter);
    if (fault === 'throttled') {
      state.stats.throttled++;
      throw graphErrors.throttled(retryAfter, now);
    }
    if (fault === 'unavailable') {
      state.stats.unavailable++;
      throw graphErrors.unavailable(retryAfter);
    }
    const ctx: GraphContext = {
      state,
      version: call.version,
      method: call.method,
      rawPath,
      query: call.query,
      headers: call.headers,
      body: call.body,
      params: match.params,
      principal,
    };
    response = await match.route.handler(ctx);
  } catch (err) {
    const graphError =
      err instanceof GraphError
        ? err
        : new GraphError(500, 'generalException', err instanceof Error ? err.message : String(err));
    response = graphErrorResponse(graphError, ids, now);
  }
  response.headers = {
    ...(response.headers ?? {}),
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
  };
  return { response, template };
}

/** Validates the bearer token of a Graph request; returns the principal or a 401 response. */
export function authenticate(
  state: SimState,
  headers: Record<string, string>,
): AccessTokenRecord | SimResponse {
  const header = headers.authorization ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
  let error: GraphError | undefined;
  const found = token ? state.tokens.lookup(token) : undefined;
  if (!token) error = graphErrors.tokenEmpty();
  else if (!token.includes('.')) error = graphErrors.tokenMalformed();
  else if (!found) error = graphErrors.tokenUnknown();
  else if (found.record.audience !== 'graph') error = graphErrors.tokenInvalid();
  else if (found.expired) error = graphErrors.tokenExpired();
  if (!error && found) return found.record;
  const response = graphErrorResponse(
    error ?? graphErrors.tokenUnknown(),
    requestIds(headers),
    state.clock.now(),
  );
  response.headers = {
    ...response.headers,
    'www-authenticate': `Bearer realm="", authorization_uri="${state.url}/${state.tenantId}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  };
  return response;
}
