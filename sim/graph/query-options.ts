import { hashText } from '../data/ids.js';
import type { EntitySchema } from '../data/schema.js';
import type { JsonObject } from '../types.js';
import { graphBase, hasEventualConsistency, type GraphContext } from './context.js';
import { graphErrors } from './errors.js';
import type { ParsedFilter } from './odata-filter.js';

/** OData query options shared by every collection: $select, $top, $search and $skiptoken. */

/** Parses and validates $select against a schema; undefined means the default set. */
export function parseSelect(ctx: GraphContext, schema: EntitySchema): string[] | undefined {
  const raw = ctx.query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const props = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (props.includes('*')) return Object.keys(schema.props);
  for (const prop of props) {
    if (!schema.props[prop]) {
      throw graphErrors.badRequest(
        `Could not find a property named '${prop}' on type '${schema.typeName}'.`,
      );
    }
  }
  return props;
}

/** Applies $select (or the default property set); @odata.type survives projection. */
export function project(
  entity: JsonObject,
  select: string[] | undefined,
  schema: EntitySchema,
): JsonObject {
  const props = select ?? schema.defaultSelect;
  if (!props) return { ...entity };
  const out: JsonObject = {};
  if (entity['@odata.type'] !== undefined) out['@odata.type'] = entity['@odata.type'];
  for (const prop of props) out[prop] = entity[prop] ?? null;
  return out;
}

export function contextUrl(
  ctx: GraphContext,
  path: string,
  select?: string[],
  entity = false,
): string {
  const selection = ctx.query.get('$select') && select ? `(${ctx.query.get('$select')})` : '';
  return `${graphBase(ctx)}/$metadata#${path}${selection}${entity ? '/$entity' : ''}`;
}

export function parseTop(ctx: GraphContext, fallback: number): number {
  const raw = ctx.query.get('$top');
  if (raw === null) return fallback;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw graphErrors.badRequest(
      `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
    );
  }
  return top;
}

/** Graph refuses these unless the request is an advanced query (documented in the examples). */
export function checkAdvanced(
  ctx: GraphContext,
  filter: ParsedFilter | undefined,
  counted: boolean,
): void {
  if (!filter || filter.advanced.length === 0) return;
  if (hasEventualConsistency(ctx) && counted) return;
  const operator = filter.advanced[0] as string;
  throw graphErrors.unsupportedQuery(
    `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

/** $search="displayName:wa" [AND|OR "mail:x"]: word-prefix matching, as directory search does. */
export function parseSearch(raw: string): (entity: JsonObject) => boolean {
  const clauses = [...raw.matchAll(/"([^":]+):([^"]*)"|\b(AND|OR)\b/g)];
  const terms: { prop: string; term: string }[] = [];
  let anyOf = false;
  for (const m of clauses) {
    if (m[3]) anyOf = anyOf || m[3] === 'OR';
    else terms.push({ prop: m[1] as string, term: (m[2] as string).toLowerCase() });
  }
  if (terms.length === 0) {
    throw graphErrors.odataBadRequest(
      `Syntax error: character '${raw[0] ?? ''}' is not valid at position 0 in '${raw}'.`,
    );
  }
  const matches = (entity: JsonObject, t: { prop: string; term: string }): boolean => {
    const value = entity[t.prop];
    return (
      typeof value === 'string' &&
      value
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((w) => w.startsWith(t.term))
    );
  };
  return (entity) =>
    anyOf ? terms.some((t) => matches(entity, t)) : terms.every((t) => matches(entity, t));
}

interface Cursor {
  position: number;
  queryHash: number;
}

const queryHash = (ctx: GraphContext): number =>
  hashText(['$filter', '$search', '$orderby'].map((k) => ctx.query.get(k) ?? '').join('\u0000'));

export function decodeSkipToken(ctx: GraphContext): number {
  const raw = ctx.query.get('$skiptoken');
  if (raw === null) return 0;
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(cursor.position) && cursor.queryHash === queryHash(ctx)) {
      return cursor.position;
    }
  } catch {
    // reported below
  }
  throw graphErrors.badRequest(`Invalid skip token '${raw}'.`);
}

export function nextLink(ctx: GraphContext, position: number): string {
  const token = Buffer.from(JSON.stringify({ position, queryHash: queryHash(ctx) })).toString(
    'base64url',
  );
  const parts: string[] = [];
  for (const [key, value] of ctx.query) {
    if (key !== '$skiptoken') parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  parts.push(`$skiptoken=${token}`);
  return `${graphBase(ctx)}${ctx.rawPath}?${parts.join('&')}`;
}
