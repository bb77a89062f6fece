import type { JsonObject } from '../types.js';
import type { FilterNode } from './odata-filter.js';

/** A positional source of entities; `at` returns undefined for holes (deleted items). */
export interface EntitySource {
  size: number;
  at(position: number): JsonObject | undefined;
  /**
   * Positions of the entities whose `prop` equals `value`, for indexed properties only
   * (undefined otherwise). Lets `userPrincipalName eq '...'` skip a scan of 100,000 users.
   */
  lookup?(prop: string, value: unknown): number[] | undefined;
}

export const arraySource = (items: JsonObject[]): EntitySource => ({
  size: items.length,
  at: (position) => items[position],
});

/** Counts matching entities, over `positions` when given (index hits or a sort order). */
export function countMatches(
  source: EntitySource,
  matches: (entity: JsonObject) => boolean,
  positions?: number[],
): number {
  let count = 0;
  const length = positions ? positions.length : source.size;
  for (let i = 0; i < length; i++) {
    const entity = source.at(positions ? (positions[i] as number) : i);
    if (entity && matches(entity)) count++;
  }
  return count;
}

const sortCache = new WeakMap<EntitySource, Map<string, number[]>>();

/** Positions of the source ordered by a property (case-insensitive), cached per source. */
export function sortedPositions(
  source: EntitySource,
  prop: string,
  descending: boolean,
  version: number,
): number[] {
  const key = `${prop}:${descending}:${version}`;
  const cache = sortCache.get(source) ?? new Map<string, number[]>();
  sortCache.set(source, cache);
  const cached = cache.get(key);
  if (cached) return cached;
  const keyed: { position: number; value: string }[] = [];
  for (let position = 0; position < source.size; position++) {
    const entity = source.at(position);
    if (entity) keyed.push({ position, value: String(entity[prop] ?? '').toLowerCase() });
  }
  keyed.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.position - b.position));
  const positions = keyed.map((k) => k.position);
  if (descending) positions.reverse();
  cache.clear();
  cache.set(key, positions);
  return positions;
}

/**
 * Candidate positions for a filter that pins an indexed property (eq / in, possibly inside an
 * `and`, or in every branch of an `or`); undefined when a scan is needed. The full filter is
 * still evaluated on every candidate.
 */
export function indexedPositions(source: EntitySource, node: FilterNode): number[] | undefined {
  if (!source.lookup) return undefined;
  const lookup = source.lookup.bind(source);
  const visit = (n: FilterNode): number[] | undefined => {
    if (n.kind === 'cmp' && n.op === 'eq') return lookup(n.prop, n.value);
    if (n.kind === 'in') {
      const all = n.values.map((v) => lookup(n.prop, v));
      return all.every((p) => p !== undefined) ? all.flat() : undefined;
    }
    if (n.kind === 'and') return visit(n.left) ?? visit(n.right);
    if (n.kind === 'or') {
      const left = visit(n.left);
      const right = left && visit(n.right);
      return left && right ? [...left, ...right] : undefined;
    }
    return undefined;
  };
  const found = visit(node);
  return found && [...new Set(found)].sort((a, b) => a - b);
}
