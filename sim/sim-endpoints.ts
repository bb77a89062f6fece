import { checkFaultSettings, type FaultSettings } from './faults.js';
import { isFlow, paramsFor } from './params.js';
import type { SimState } from './state.js';
import type { SimRequest, SimResponse } from './types.js';
import { isJsonObject } from './types.js';

const reply = (status: number, json: SimResponse['json']): SimResponse => ({ status, json });

function parseJson(req: SimRequest): Record<string, unknown> | undefined {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Applies a fault-settings patch from JSON; returns an error text or null. */
export function applyFaults(state: SimState, body: Record<string, unknown>): string | null {
  const patch: Partial<FaultSettings> & { seed?: number | string } = {};
  for (const key of ['p429', 'p503', 'retryAfter', 'latencyMs'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number') return `${key} must be a number`;
    patch[key] = value;
  }
  const seed = body.seed;
  if (seed !== undefined) {
    if (typeof seed !== 'number' && typeof seed !== 'string') {
      return 'seed must be a number or a string';
    }
    patch.seed = seed;
  }
  const error = checkFaultSettings(patch);
  if (error) return error;
  state.faults.update(patch);
  return null;
}

/** /_sim/*: unauthenticated control endpoints for tests, benches and the CLI. */
export function simEndpoint(state: SimState, req: SimRequest): SimResponse {
  const key = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  if (key === 'GET /_sim/stats') return reply(200, state.stats.toJson());
  if (key === 'POST /_sim/expire-tokens') {
    state.tokens.expireAll();
    return reply(200, { expired: true });
  }
  if (key === 'POST /_sim/faults') {
    const body = parseJson(req);
    if (!body) return reply(400, { error: 'the body must be a JSON object' });
    const error = applyFaults(state, body);
    if (error) return reply(400, { error });
    return reply(200, { ...state.faults.settings });
  }
  if (key === 'POST /_sim/advance-clock') {
    const seconds = parseJson(req)?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      return reply(400, { error: 'seconds must be a number' });
    }
    state.clock.advance(seconds);
    return reply(200, { now: new Date(state.clock.now()).toISOString() });
  }
  if (key === 'GET /_sim/ca.pem') {
    return {
      status: 200,
      headers: { 'content-type': 'application/x-pem-file' },
      text: state.certs.ca.pem,
    };
  }
  const params = /^GET \/_sim\/params\/([a-z-]+)$/.exec(key);
  if (params) {
    const flow = params[1] as string;
    const userAssigned = req.query.get('userAssigned') === 'true';
    if (!isFlow(flow)) return reply(404, { error: `unknown flow '${flow}'` });
    return reply(200, paramsFor(state, flow, { userAssigned }));
  }
  return reply(404, { error: `no sim endpoint ${key}` });
}
