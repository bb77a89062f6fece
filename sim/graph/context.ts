import type { JsonObject, SimResponse } from '../types.js';
import { isJsonObject, type Json } from '../types.js';
import type { AccessTokenRecord } from '../identity/tokens.js';
import type { SimState } from '../state.js';
import { GraphError, graphErrors } from './errors.js';

/** What a Graph handler sees, whether the request came over HTTP or as a $batch item. */
export interface GraphContext {
  state: SimState;
  version: 'v1.0' | 'beta';
  method: string;
  /** Raw path after the version segment, e.g. "/users/abc/manager". */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  params: Record<string, string>;
  principal: AccessTokenRecord;
}

export type GraphHandler = (ctx: GraphContext) => SimResponse | Promise<SimResponse>;

export const graphBase = (ctx: GraphContext): string => `${ctx.state.url}/${ctx.version}`;

export function ok(json: Json, status = 200, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, json };
}

export const noContent = (): SimResponse => ({ status: 204 });

/** Parses the request body as a JSON object, with Graph's error for anything else. */
export function jsonBody(ctx: GraphContext): JsonObject {
  const text = ctx.body.toString('utf8').trim();
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonObject(value)) return value;
  } catch {
    // fall through to Graph's error
  }
  throw new GraphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );
}

/** Resolves `{id}` to a live user or throws Graph's 404. */
export function userParam(ctx: GraphContext, name = 'id'): JsonObject {
  const key = ctx.params[name] ?? '';
  const user = ctx.state.directory.resolve(key);
  if (!user) throw graphErrors.notFound(key);
  return user;
}

export function requireDelegated(ctx: GraphContext): void {
  if (ctx.principal.kind !== 'delegated') throw graphErrors.denied();
}

export const hasEventualConsistency = (ctx: GraphContext): boolean =>
  (ctx.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
