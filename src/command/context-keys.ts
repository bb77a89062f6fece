/**
 * Parsing of EntryContext keys: `Path`, `Path(true)` and `Path(val.K && val.K == obj.K && ...)`.
 * The server's merge algorithm is not public; anchor-xsoar-runtime.md §2.5 gives the behaviour we
 * emulate: keyed paths upsert by their key fields, `(true)` replaces, plain paths accumulate.
 */

export type ContextKey =
  | { kind: 'plain'; path: string[] }
  | { kind: 'replace'; path: string[] }
  | { kind: 'keyed'; path: string[]; keyFields: string[] };

/** Splits a dotted path; a key such as `@Odata.Type` may itself hold dots, so callers resolve greedily. */
export const splitPath = (path: string): string[] => path.split('.').filter((p) => p.length > 0);

// `val.K == obj.K`, `obj.K === val.K` and friends, with optional `val.K &&` guards.
const EQUALITY = /^(?:val|obj)\.([\w@$.-]+)\s*={2,3}\s*(?:val|obj)\.([\w@$.-]+)$/;
const GUARD = /^(?:val|obj)\.[\w@$.-]+$/;

function parseKeyFields(selector: string): string[] | undefined {
  const fields: string[] = [];
  for (const clause of selector.split('&&').map((c) => c.trim())) {
    if (GUARD.test(clause)) continue;
    const match = EQUALITY.exec(clause);
    if (!match || match[1] !== match[2]) return undefined;
    if (!fields.includes(match[1]!)) fields.push(match[1]!);
  }
  return fields.length > 0 ? fields : undefined;
}

export function parseContextKey(key: string): ContextKey {
  const open = key.indexOf('(');
  if (open < 0 || !key.endsWith(')')) return { kind: 'plain', path: splitPath(key) };
  const path = splitPath(key.slice(0, open));
  const selector = key.slice(open + 1, -1).trim();
  if (selector === 'true') return { kind: 'replace', path };
  const keyFields = parseKeyFields(selector);
  return keyFields ? { kind: 'keyed', path, keyFields } : { kind: 'plain', path };
}
