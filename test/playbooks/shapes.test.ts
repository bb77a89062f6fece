/**
 * The recordings look like Microsoft Graph: every recorded exchange whose route has a documented
 * example with the same status (test/sim/fixtures/graph-http-examples.json, from the Graph and
 * identity platform docs) has each documented top-level key, with the documented JSON type.
 * Documented `value` items are compared the same way, on the keys both sides have.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { RecordedExchange } from '../../src/playbook/fixture.js';
import { RECORDINGS, recordingName } from './catalog.js';
import { readRecording } from './support.js';

interface Example {
  name: string;
  method: string | null;
  path: string | null;
  status: number | null;
  responseBody: unknown;
}

type Json = Record<string, unknown>;

const { examples } = JSON.parse(
  readFileSync(new URL('../sim/fixtures/graph-http-examples.json', import.meta.url), 'utf8'),
) as { examples: Example[] };

/** `GET /v1.0/users/{id}/authentication/phoneMethods/{id}`: ids, UPNs, /me and tenants as slots. */
export function routeOf(method: string, path: string): string {
  const route = path
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/\?.*$/, '')
    .replace(/^\/(v1\.0|beta)\/me(?=\/|$)/, '/$1/users/{id}')
    .replace(/^(\/(?:v1\.0|beta)\/users\/)(?!delta$|\$count$)[^/]+/, '$1{id}')
    .replace(/\/(\w*[mM]ethods|operations|servicePrincipals)\/[^/]+/g, '/$1/{id}')
    .replace(/^\/[^/]+\/oauth2\//, '/{tenant}/oauth2/');
  return `${method.toUpperCase()} ${route}`;
}

/** Annotations that depend on paging or query options, not on the resource's shape. */
const PAGING = new Set(['@odata.nextLink', '@odata.deltaLink', '@odata.count']);

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isObject = (v: unknown): v is Json => kind(v) === 'object';

/** Differences of `recorded` from `documented`; `selected` limits the keys required. */
function differences(documented: Json, recorded: Json, selected?: Set<string>): string[] {
  const problems: string[] = [];
  for (const [key, doc] of Object.entries(documented)) {
    if (PAGING.has(key)) continue;
    if (!(key in recorded)) {
      const optional = selected && !selected.has(key.toLowerCase()) && !key.startsWith('@');
      if (!optional) problems.push(`${key}: missing`);
      continue;
    }
    const rec = recorded[key];
    if (doc !== null && rec !== null && kind(doc) !== kind(rec)) {
      problems.push(`${key}: documented ${kind(doc)}, recorded ${kind(rec)}`);
    }
    if (key === 'value' && Array.isArray(doc) && Array.isArray(rec)) {
      const [docItem] = doc;
      const recItem = rec.find((r) => isObject(r) && isObject(docItem)) as Json | undefined;
      if (isObject(docItem) && recItem) {
        for (const [k, v] of Object.entries(docItem)) {
          const r = recItem[k];
          if (k in recItem && v !== null && r !== null && kind(v) !== kind(r)) {
            problems.push(`value[].${k}: documented ${kind(v)}, recorded ${kind(r)}`);
          }
        }
      }
    }
  }
  return problems;
}

function selectedKeys(exchange: RecordedExchange): Set<string> | undefined {
  const select = exchange.request.query?.$select;
  if (typeof select !== 'string') return undefined;
  return new Set(['id', ...select.split(',')].map((k) => k.trim().toLowerCase()));
}

const documentedRoutes = new Map<string, Example[]>();
for (const example of examples) {
  if (!example.method || !example.path || !isObject(example.responseBody)) continue;
  const key = `${routeOf(example.method, example.path)} ${example.status ?? ''}`;
  documentedRoutes.set(key, [...(documentedRoutes.get(key) ?? []), example]);
}

describe('sample playbooks: recorded shapes match the documented Graph examples', () => {
  it('agree on top-level keys and value types wherever a route is documented', async () => {
    const problems: string[] = [];
    const checked = new Set<string>();
    for (const recording of RECORDINGS) {
      for (const exchange of (await readRecording(recording)).exchanges) {
        const { request, response } = exchange;
        const route = routeOf(request.method, request.path);
        const candidates = documentedRoutes.get(`${route} ${response.status}`);
        if (!candidates || !isObject(response.body)) continue;
        checked.add(route);
        const found = candidates.map((example) => ({
          example,
          diff: differences(
            example.responseBody as Json,
            response.body as Json,
            selectedKeys(exchange),
          ),
        }));
        if (found.some((f) => f.diff.length === 0)) continue;
        const best = found.sort((a, b) => a.diff.length - b.diff.length)[0]!;
        problems.push(
          `${recordingName(recording)}, task "${exchange.task}": ${route} ${response.status} vs "${best.example.name}": ${best.diff.join('; ')}`,
        );
      }
    }
    expect(problems).to.deep.equal([]);
    // The comparison must have had something to compare.
    expect(checked.size, [...checked].join('\n')).to.be.at.least(20);
  });
});
