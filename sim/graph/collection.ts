import type { EntitySchema } from '../data/schema.js';
import type { JsonObject, SimResponse } from '../types.js';
import { hasEventualConsistency, ok, type GraphContext } from './context.js';
import { graphErrors } from './errors.js';
import { evaluateFilter, parseFilter, type ParsedFilter } from './odata-filter.js';
import {
  checkAdvanced,
  contextUrl,
  decodeSkipToken,
  nextLink,
  parseSearch,
  parseSelect,
  parseTop,
  project,
} from './query-options.js';
import { countMatches, indexedPositions, sortedPositions, type EntitySource } from './source.js';

export { arraySource, type EntitySource } from './source.js';
export { contextUrl, parseSelect, project } from './query-options.js';

export interface ListOptions {
  schema: EntitySchema;
  /** @odata.context suffix after $metadata#, e.g. "users" or "users('id')/ownedDevices". */
  contextPath: string;
  defaultTop?: number;
  /** Properties $orderby accepts; none when omitted. */
  orderBy?: string[];
  search?: boolean;
  /** Items keep @odata.type and ignore $select (authentication methods). */
  raw?: boolean;
  /** Cheap count of live items, used for $count when nothing is filtered. */
  liveCount?: () => number;
}

interface ListQuery {
  select: string[] | undefined;
  filter: ParsedFilter | undefined;
  search: ((entity: JsonObject) => boolean) | undefined;
  top: number;
  counted: boolean;
  continuation: boolean;
  /** Positions to walk (a sort order or index hits); all positions when undefined. */
  order: number[] | undefined;
}

const SEARCH_NEEDS_HEADER =
  "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";

function parseListQuery(
  ctx: GraphContext,
  source: EntitySource,
  options: ListOptions,
  version: number,
): ListQuery {
  const select = options.raw ? undefined : parseSelect(ctx, options.schema);
  const rawFilter = ctx.query.get('$filter');
  const filter = rawFilter ? parseFilter(rawFilter, options.schema) : undefined;
  const counted = (ctx.query.get('$count') ?? '').toLowerCase() === 'true';
  const continuation = ctx.query.has('$skiptoken');
  // Advanced-query rules are checked on the first page only; next pages are opaque links.
  if (!continuation) checkAdvanced(ctx, filter, counted);
  const rawSearch = ctx.query.get('$search');
  if (rawSearch !== null && (!options.search || !hasEventualConsistency(ctx))) {
    throw graphErrors.unsupportedQuery(SEARCH_NEEDS_HEADER);
  }
  const search = rawSearch !== null ? parseSearch(rawSearch) : undefined;
  const top = parseTop(ctx, options.defaultTop ?? 100);
  let order: number[] | undefined;
  const rawOrder = ctx.query.get('$orderby');
  if (rawOrder) {
    const [prop = '', dir = 'asc'] = rawOrder.trim().split(/\s+/);
    if (!options.orderBy?.includes(prop)) {
      throw graphErrors.unsupportedQuery(`Sorting not supported for '${prop}'.`);
    }
    if (filter && !(hasEventualConsistency(ctx) && counted) && !continuation) {
      throw graphErrors.unsupportedQuery('Sorting not supported for current query.');
    }
    order = sortedPositions(source, prop, dir.toLowerCase() === 'desc', version);
  } else if (filter) {
    order = indexedPositions(source, filter.root);
  }
  return { select, filter, search, top, counted, continuation, order };
}

/** Serves one page of a collection with $select/$filter/$search/$orderby/$top/$count/$skiptoken. */
export function listResponse(
  ctx: GraphContext,
  source: EntitySource,
  options: ListOptions,
  version = 0,
): SimResponse {
  const q = parseListQuery(ctx, source, options, version);
  const { filter, search, order } = q;
  const matches = (entity: JsonObject): boolean =>
    (!filter || evaluateFilter(filter.root, entity)) && (!search || search(entity));
  const length = order ? order.length : source.size;
  const items: JsonObject[] = [];
  let next: number | undefined;
  for (let index = decodeSkipToken(ctx); index < length; index++) {
    const entity = source.at(order ? (order[index] as number) : index);
    if (!entity || !matches(entity)) continue;
    // One match past the page decides whether there is a next page (no empty last pages).
    if (items.length === q.top) {
      next = index;
      break;
    }
    items.push(options.raw ? entity : project(entity, q.select, options.schema));
  }
  const body: JsonObject = { '@odata.context': contextUrl(ctx, options.contextPath, q.select) };
  // $count=true is silently ignored without ConsistencyLevel, and only the first page carries it.
  if (q.counted && hasEventualConsistency(ctx) && !q.continuation) {
    const cheap = !filter && !search && options.liveCount;
    body['@odata.count'] = cheap ? cheap() : countMatches(source, matches, order);
  }
  if (next !== undefined) body['@odata.nextLink'] = nextLink(ctx, next);
  body.value = items;
  return ok(body);
}

/** GET .../$count: text/plain integer; refused without ConsistencyLevel: eventual. */
export function countResponse(
  ctx: GraphContext,
  source: EntitySource,
  schema: EntitySchema,
  liveCount?: () => number,
): SimResponse {
  if (!hasEventualConsistency(ctx)) {
    throw graphErrors.badRequest('$count is not currently supported.');
  }
  const rawFilter = ctx.query.get('$filter');
  const filter = rawFilter ? parseFilter(rawFilter, schema) : undefined;
  const count =
    !filter && liveCount
      ? liveCount()
      : countMatches(
          source,
          (entity) => !filter || evaluateFilter(filter.root, entity),
          filter ? indexedPositions(source, filter.root) : undefined,
        );
  return { status: 200, headers: { 'content-type': 'text/plain' }, text: String(count) };
}
