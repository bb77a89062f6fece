/** JSON values as the sim stores and serves them. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An HTTP request after the server has read it; header names are lower-case. */
export interface SimRequest {
  method: string;
  /** Raw (still percent-encoded) path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * What a handler answers. Handlers return values instead of writing to the socket so that
 * $batch can run the same handlers for its items.
 */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; serialised by the server. */
  json?: Json;
  /** Non-JSON body (text/plain counts, XML, HTML); the handler sets Content-Type. */
  text?: string;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
