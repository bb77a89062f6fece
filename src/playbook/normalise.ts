/**
 * The one normalisation, applied identically to a recorded request (when it is written, and again
 * when a replay loads it) and to a live request (before it is matched). It replaces values that
 * differ on every run and carry no meaning for the exchange:
 *  - in query strings and form bodies, the identity library's per-request fields:
 *    `client-request-id`, `return-client-request-id`, `state`, `nonce`, `code_challenge`,
 *    `x-ms-lib-capability` and every `x-client-*` field (SKU, version, OS, CPU, telemetry)
 *    -> `<volatile>`;
 *  - anywhere (path, query, form, JSON), ISO 8601 date-times such as `2025-01-31T12:00:00Z` or
 *    `2025-01-31 12:00:00.5+01:00` -> `<timestamp>`;
 *  - in text bodies (the MFA connector's XML), GUIDs -> `<uuid>`: there they are per-request
 *    correlation ids (`ContextId`), never the object a request is about;
 *  - the fields a fixture lists under `volatile`, in any encoding -> `<volatile>`.
 * Secrets and GenerateUUID values are already placeholders by then (scrub.ts); the match key
 * ignores placeholder numbers, so `<refresh_token:2>` matches `<refresh_token:1>`.
 */
import type { RecordedRequest } from './fixture.js';

const VOLATILE_FORM_FIELDS = new Set([
  'client-request-id',
  'return-client-request-id',
  'state',
  'nonce',
  'code_challenge',
  'x-ms-lib-capability',
]);
const TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?![\d:])/g;
export const VOLATILE = '<volatile>';

const isVolatile = (key: string, form: boolean, extra: ReadonlySet<string>): boolean => {
  const lower = key.toLowerCase();
  if (extra.has(lower)) return true;
  return form && (VOLATILE_FORM_FIELDS.has(lower) || lower.startsWith('x-client-'));
};

const timestamps = (text: string): string => text.replace(TIMESTAMP, '<timestamp>');
const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

function walk(value: unknown, form: boolean, extra: ReadonlySet<string>, key?: string): unknown {
  if (key !== undefined && isVolatile(key, form, extra) && value !== undefined) return VOLATILE;
  if (typeof value === 'string') return timestamps(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, form, extra, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, form, extra, k);
    return out;
  }
  return value;
}

export function normaliseRequest(
  request: RecordedRequest,
  volatileFields: readonly string[] = [],
): RecordedRequest {
  const extra = new Set(volatileFields.map((f) => f.toLowerCase()));
  const out: RecordedRequest = {
    method: request.method.toUpperCase(),
    origin: request.origin.toLowerCase(),
    path: timestamps(request.path),
  };
  if (request.query && Object.keys(request.query).length > 0) {
    out.query = walk(request.query, true, extra) as RecordedRequest['query'];
  }
  if (typeof request.body === 'string' && request.bodyType === 'text') {
    out.body = timestamps(request.body).replace(GUID, '<uuid>');
    out.bodyType = request.bodyType;
  } else if (request.body !== undefined) {
    out.body = walk(request.body, request.bodyType === 'form', extra);
    if (request.bodyType) out.bodyType = request.bodyType;
  }
  return out;
}

/** JSON with object keys sorted, so equal values print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Secret placeholders are numbered per file; generated values keep their order of creation.
const stripNumbers = (text: string): string =>
  text.replace(/<(?!generated_)([a-z][a-z0-9_]*):\d+>/g, '<$1>');

/** What a replay matches on: method, origin, path, sorted query and body, normalised. */
export function matchKey(normalised: RecordedRequest): string {
  const { method, origin, path, query, body } = normalised;
  return stripNumbers(canonicalJson({ method, origin, path, query, body }));
}
