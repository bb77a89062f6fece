/**
 * For a request a replay could not serve: the recorded exchange it most resembles, and how they
 * differ, so the message says what changed (a path, a query parameter, a body field).
 */
import { describeRequest, type RecordedExchange, type RecordedRequest } from './fixture.js';
import { canonicalJson } from './normalise.js';

const CAP = 300;

/** Edit distance, on at most CAP characters of each side. */
export function editDistance(a: string, b: string): number {
  const [s, t] = [a.slice(0, CAP), b.slice(0, CAP)];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[t.length]!;
}

/** `a.b[0].c` -> canonical JSON of each leaf. */
function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix || '(body)', canonicalJson(value));
  return out;
}

function fieldDifferences(live: unknown, recorded: unknown, label: string): string[] {
  const [a, b] = [leaves(live), leaves(recorded)];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${label} ${k}: ${a.get(k) ?? '(absent)'}, recorded ${b.get(k) ?? '(absent)'}`);
}

export function differences(live: RecordedRequest, recorded: RecordedRequest): string[] {
  const found: string[] = [];
  if (live.method !== recorded.method) found.push(`method: recorded ${recorded.method}`);
  if (live.origin !== recorded.origin) found.push(`origin: recorded ${recorded.origin}`);
  if (live.path !== recorded.path) found.push(`path: recorded ${recorded.path}`);
  found.push(...fieldDifferences(live.query ?? {}, recorded.query ?? {}, 'query'));
  found.push(...fieldDifferences(live.body ?? {}, recorded.body ?? {}, 'body'));
  return found;
}

const pathAndQuery = (r: RecordedRequest): string =>
  describeRequest(r).slice(r.method.length + 1 + r.origin.length);

/** Index of the closest recorded exchange: same method and origin first, unused ones on ties. */
export function nearestExchange(
  live: RecordedRequest,
  exchanges: readonly RecordedExchange[],
  used: ReadonlySet<number>,
): number | undefined {
  const indexed = exchanges.map((exchange, index) => ({ exchange, index }));
  const pools = [
    indexed.filter(
      ({ exchange: e }) => e.request.method === live.method && e.request.origin === live.origin,
    ),
    indexed.filter(({ exchange: e }) => e.request.origin === live.origin),
    indexed,
  ];
  const pool = pools.find((p) => p.length > 0);
  if (!pool) return undefined;
  const target = pathAndQuery(live);
  const scored = pool.map(({ exchange, index }) => ({
    index,
    score:
      editDistance(target, pathAndQuery(exchange.request)) * 10 +
      fieldDifferences(live.body ?? {}, exchange.request.body ?? {}, '').length +
      (used.has(index) ? 0.5 : 0),
  }));
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored[0]!.index;
}

/** One line per difference, at most `limit`. */
export function describeDifferences(
  live: RecordedRequest,
  recorded: RecordedRequest,
  limit = 4,
): string {
  const found = differences(live, recorded);
  if (found.length === 0) return 'identical once normalised';
  const shown = found.slice(0, limit).join('; ');
  return found.length > limit ? `${shown}; and ${found.length - limit} more` : shown;
}
