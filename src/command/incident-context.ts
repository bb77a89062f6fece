/**
 * The incident context a playbook reads: entries' EntryContext merged in the way the XSOAR server
 * does it, and `${Path.To.Value}` references resolved against it (dot paths map through arrays,
 * `[0]` indexes, keys may contain dots such as `@Odata.Type`).
 */
import { parseContextKey, splitPath, type ContextKey } from './context-keys.js';

export type ContextData = Record<string, unknown>;

const isPlainObject = (value: unknown): value is ContextData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function sameKey(a: unknown, b: unknown, keyFields: string[]): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  return keyFields.every(
    (k) => a[k] !== undefined && a[k] !== null && a[k] !== '' && a[k] === b[k],
  );
}

function upsert(existing: unknown, incoming: unknown, keyFields: string[]): unknown {
  const items = existing === undefined ? [] : [...asArray(existing)];
  for (const item of asArray(incoming)) {
    const index = items.findIndex((old) => sameKey(old, item, keyFields));
    if (index >= 0 && isPlainObject(items[index]) && isPlainObject(item)) {
      items[index] = { ...(items[index] as ContextData), ...item };
    } else {
      items.push(item);
    }
  }
  // A lone object stays an object; once either side was a list, the node is a list.
  const wasList = Array.isArray(existing) || Array.isArray(incoming);
  return items.length === 1 && !wasList ? items[0] : items;
}

function append(existing: unknown, incoming: unknown): unknown {
  if (existing === undefined || existing === null) return incoming;
  return [...asArray(existing), ...asArray(incoming)];
}

/** Finds (creating objects as needed) the object that holds the last segment of `path`. */
function parentOf(root: ContextData, path: string[]): ContextData {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (isPlainObject(next)) {
      node = next;
    } else if (Array.isArray(next)) {
      // Writing below a list: attach the value to a new element rather than lose either side.
      const child: ContextData = {};
      next.push(child);
      node = child;
    } else {
      const child: ContextData = {};
      node[segment] = child;
      node = child;
    }
  }
  return node;
}

function mergeKey(root: ContextData, key: ContextKey, value: unknown): void {
  if (key.path.length === 0) return;
  const parent = parentOf(root, key.path);
  const leaf = key.path[key.path.length - 1]!;
  if (key.kind === 'replace') {
    // `Path(true)` carries `{leaf: value}`: each leaf under Path is overwritten, siblings stay.
    if (!isPlainObject(value)) {
      parent[leaf] = value;
      return;
    }
    const target = parentOf(root, [...key.path, '*']);
    for (const [k, v] of Object.entries(value)) target[k] = v;
    return;
  }
  parent[leaf] =
    key.kind === 'keyed' ? upsert(parent[leaf], value, key.keyFields) : append(parent[leaf], value);
}

/** Merges one entry's EntryContext into `context` (mutates and returns it). */
export function mergeEntryContext(
  context: ContextData,
  entryContext: ContextData | null | undefined,
): ContextData {
  for (const [rawKey, value] of Object.entries(entryContext ?? {})) {
    mergeKey(context, parseContextKey(rawKey), structuredClone(value));
  }
  return context;
}

const INDEX = /^\[(\d+)\]$/;

/** Splits `A.B[0].C` and `A.B.[0].C` into segments, keeping `[n]` as its own segment. */
function referenceSegments(path: string): string[] {
  return splitPath(path.replace(/\[(\d+)\]/g, '.[$1]'));
}

function step(value: unknown, segments: string[], index: number): unknown {
  if (index >= segments.length) return value;
  const segment = segments[index]!;
  const indexMatch = INDEX.exec(segment);
  if (indexMatch) {
    if (!Array.isArray(value)) {
      return Number(indexMatch[1]) === 0 ? step(value, segments, index + 1) : undefined;
    }
    return step(value[Number(indexMatch[1])], segments, index + 1);
  }
  if (Array.isArray(value)) {
    const found = value.map((item) => step(item, segments, index)).filter((v) => v !== undefined);
    const flat = found.flatMap((v) => (Array.isArray(v) ? v : [v]));
    return flat.length === 0 ? undefined : flat;
  }
  if (!isPlainObject(value)) return undefined;
  // Greedy: prefer the longest key, so `@Odata.Type` resolves as one key.
  for (let end = segments.length; end > index; end--) {
    const key = segments.slice(index, end).join('.');
    if (key in value) {
      const resolved = step(value[key], segments, end);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/** The value at a dotted path (`MSGraphUser.ID`, `Account.[0].Username`), or undefined. */
export function getPath(context: ContextData, path: string): unknown {
  const segments = referenceSegments(path.trim());
  return segments.length === 0 ? undefined : step(context, segments, 0);
}

const REFERENCE = /\$\{([^}]+)\}/g;

const referenceText = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(referenceText).join(',');
  if (isPlainObject(value)) return JSON.stringify(value);
  return String(value);
};

/**
 * Resolves `${...}` references in `text`. A text that is exactly one reference yields the raw value
 * (list, object, number); references inside a longer text are printed, lists joined with commas.
 */
export function resolveReferences(text: string, context: ContextData): unknown {
  const whole = /^\$\{([^}]+)\}$/.exec(text);
  if (whole) return getPath(context, whole[1]!);
  return text.replace(REFERENCE, (_m, path: string) => referenceText(getPath(context, path)));
}
