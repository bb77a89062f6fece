import { graphErrorDate } from '../clock.js';
import type { Json, JsonObject, SimResponse } from '../types.js';

/** A Graph error a handler throws; rendered with Graph's envelope by the dispatcher. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: Json; headers?: Record<string, string>; inner?: JsonObject } = {},
  ) {
    super(message);
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}` */
export function graphErrorResponse(err: GraphError, ids: RequestIds, nowMs: number): SimResponse {
  const error: JsonObject = { code: err.code, message: err.message };
  if (err.extra.details !== undefined) error.details = err.extra.details;
  error.innerError = {
    ...(err.extra.inner ?? {}),
    date: graphErrorDate(nowMs),
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
  };
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      ...(err.extra.headers ?? {}),
    },
    json: { error },
  };
}

/** Graph's errors, worded as Graph words them. */
export const graphErrors = {
  notFound: (key: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  badRequest: (message: string, details?: Json) =>
    new GraphError(400, 'Request_BadRequest', message, details === undefined ? {} : { details }),
  unsupportedQuery: (message: string) => new GraphError(400, 'Request_UnsupportedQuery', message),
  odataBadRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  denied: () =>
    new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    ),
  tokenEmpty: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  tokenMalformed: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format.',
    ),
  tokenInvalid: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    ),
  tokenUnknown: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid signature.',
    ),
  tokenExpired: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    ),
  methodNotAllowed: () =>
    new GraphError(
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    ),
  noSegment: (segment: string) =>
    new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotFound: (id: string) =>
    new GraphError(404, 'itemNotFound', `A key with identifier '${id}' was not found.`),
  authUserNotFound: () =>
    new GraphError(404, 'itemNotFound', 'The specified user could not be found.'),
  throttled: (retryAfter: string, nowMs: number) =>
    new GraphError(429, 'TooManyRequests', 'Please retry again later.', {
      headers: { 'retry-after': retryAfter },
      inner: {
        code: '429',
        date: graphErrorDate(nowMs),
        message: 'Please retry after',
        status: '429',
      },
    }),
  unavailable: (retryAfter: string) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable. Please retry after the interval in the Retry-After header.',
      {
        headers: { 'retry-after': retryAfter },
      },
    ),
};
