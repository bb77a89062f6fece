import type { AccessTokenRecord } from '../identity/tokens.js';
import type { SimState } from '../state.js';
import type { Json, JsonObject, SimResponse } from '../types.js';
import { isJsonObject } from '../types.js';
import { ok } from './context.js';
import { GraphError, graphErrorResponse } from './errors.js';
import { requestIds, runGraph, type GraphCall } from './dispatch.js';

const MAX_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Json | undefined;
  dependsOn: string[];
}

const invalid = (message: string) => new GraphError(400, 'BadRequest', message);

function parseItems(body: Buffer): BatchItem[] {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('Invalid batch payload format.');
  }
  if (!isJsonObject(payload) || !Array.isArray(payload.requests)) {
    throw invalid('Invalid batch payload format.');
  }
  if (payload.requests.length > MAX_REQUESTS) {
    throw invalid(
      `The number of requests in the batch (${payload.requests.length}) exceeds the limit of ${MAX_REQUESTS}.`,
    );
  }
  const seen = new Set<string>();
  const items = payload.requests.map((raw): BatchItem => {
    if (
      !isJsonObject(raw) ||
      typeof raw.id !== 'string' ||
      typeof raw.method !== 'string' ||
      typeof raw.url !== 'string'
    ) {
      throw invalid('Invalid batch payload format: every request needs string id, method and url.');
    }
    if (seen.has(raw.id.toLowerCase())) {
      throw invalid(`Request id '${raw.id}' is used more than once.`);
    }
    seen.add(raw.id.toLowerCase());
    const headers: Record<string, string> = {};
    if (isJsonObject(raw.headers)) {
      for (const [k, v] of Object.entries(raw.headers)) {
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
      }
    }
    const dependsOn = Array.isArray(raw.dependsOn) ? raw.dependsOn.map(String) : [];
    return {
      id: raw.id,
      method: raw.method.toUpperCase(),
      url: raw.url,
      headers,
      body: raw.body,
      dependsOn,
    };
  });
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!seen.has(dep.toLowerCase())) {
        throw invalid(`Request '${item.id}' depends on unknown request '${dep}'.`);
      }
    }
  }
  return items;
}

/** Orders items so each runs after what it depends on (request order otherwise). */
function executionOrder(items: BatchItem[]): BatchItem[] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: BatchItem[] = [];
  const visit = (item: BatchItem): void => {
    const key = item.id.toLowerCase();
    if (done.has(key)) return;
    if (visiting.has(key)) throw invalid(`Circular dependency involving request '${item.id}'.`);
    visiting.add(key);
    for (const dep of item.dependsOn) visit(byId.get(dep.toLowerCase()) as BatchItem);
    visiting.delete(key);
    done.add(key);
    order.push(item);
  };
  items.forEach(visit);
  return order;
}

function toCall(item: BatchItem, version: 'v1.0' | 'beta'): GraphCall | GraphError {
  if (/^https?:/i.test(item.url)) {
    return invalid('Batch request URLs must be relative, e.g. "/users".');
  }
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const q = relative.indexOf('?');
  const rawPath = q < 0 ? relative : relative.slice(0, q);
  if (/^\/\$batch/i.test(rawPath)) return invalid('Nested $batch requests are not supported.');
  let body = Buffer.alloc(0);
  if (item.body !== undefined && item.body !== null) {
    if (!item.headers['content-type']) {
      return invalid('A Content-Type header is required when a request has a body.');
    }
    body = Buffer.from(
      typeof item.body === 'string' ? Buffer.from(item.body, 'base64') : JSON.stringify(item.body),
    );
  }
  return {
    method: item.method,
    version,
    rawPath,
    query: new URLSearchParams(q < 0 ? '' : relative.slice(q + 1)),
    headers: item.headers,
    body,
  };
}

/** Header names as Graph writes them inside batch responses (JSON keys are case-sensitive). */
const BATCH_HEADER_NAMES: Record<string, string> = {
  'content-type': 'Content-Type',
  location: 'Location',
  'retry-after': 'Retry-After',
};

function subResponse(id: string, response: SimResponse): JsonObject {
  const headers: JsonObject = { 'Cache-Control': 'no-cache', 'OData-Version': '4.0' };
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    headers[BATCH_HEADER_NAMES[name] ?? name] = value;
  }
  const out: JsonObject = { id, status: response.status, headers };
  if (response.json !== undefined) out.body = response.json;
  else if (response.text !== undefined) out.body = response.text;
  return out;
}

/** POST /$batch: up to 20 items, dependsOn (424 for failed dependencies), faults per item. */
export async function runBatch(
  state: SimState,
  version: 'v1.0' | 'beta',
  headers: Record<string, string>,
  body: Buffer,
  principal: AccessTokenRecord,
): Promise<SimResponse> {
  let parsed: BatchItem[];
  let items: BatchItem[];
  try {
    parsed = parseItems(body);
    items = executionOrder(parsed);
  } catch (err) {
    if (err instanceof GraphError) {
      return graphErrorResponse(err, requestIds(headers), state.clock.now());
    }
    throw err;
  }
  const statuses = new Map<string, number>();
  const responses = new Map<string, JsonObject>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    const failedDependency = item.dependsOn.some((dep) => {
      const status = statuses.get(dep.toLowerCase()) ?? 424;
      return status < 200 || status >= 300;
    });
    if (failedDependency) {
      statuses.set(key, 424);
      responses.set(key, { id: item.id, status: 424 });
      continue;
    }
    const call = toCall(item, version);
    let response: SimResponse;
    if (call instanceof GraphError) {
      response = graphErrorResponse(call, requestIds(item.headers), state.clock.now());
      state.stats.countBatchItem(`${item.method} (invalid)`);
    } else {
      const itemHeaders = { ...call.headers };
      itemHeaders['client-request-id'] ??= headers['client-request-id'] ?? '';
      if (!itemHeaders['client-request-id']) delete itemHeaders['client-request-id'];
      const result = await runGraph(state, { ...call, headers: itemHeaders }, principal);
      state.stats.countBatchItem(result.template);
      response = result.response;
    }
    statuses.set(key, response.status);
    responses.set(key, subResponse(item.id, response));
  }
  // Responses are listed in request order (Graph allows any order; callers correlate by id).
  return ok({ responses: parsed.map((i) => responses.get(i.id.toLowerCase()) as JsonObject) });
}
