import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { runBatch } from './graph/batch.js';
import { authenticate, graphTemplate, requestIds, runGraph } from './graph/dispatch.js';
import { authorize } from './identity/authorize.js';
import type { IdentityHandler } from './identity/context.js';
import { imdsToken } from './identity/imds.js';
import { instanceDiscovery, jwks, openIdConfiguration } from './identity/metadata.js';
import { obtainToken } from './identity/oproxy.js';
import { tokenEndpoint } from './identity/token-endpoint.js';
import { deviceCodeEndpoint, deviceLogin } from './identity/device-code.js';
import { v1TokenEndpoint } from './identity/v1-token.js';
import { beginTwoWayAuthentication } from './mfa-connector.js';
import { matchRoute, routeTable, splitPath } from './router.js';
import { simEndpoint } from './sim-endpoints.js';
import type { SimState } from './state.js';
import type { SimRequest, SimResponse } from './types.js';

const MAX_BODY = 16 * 1024 * 1024;
const MFA_PATH = '/StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication';
const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** login.microsoftonline.com paths, plus the oproxy exchange which lives on the same host here. */
const IDENTITY_ROUTES = routeTable<IdentityHandler>({
  'GET /{tenant}/v2.0/.well-known/openid-configuration': openIdConfiguration,
  'GET /{tenant}/.well-known/openid-configuration': openIdConfiguration,
  'GET /common/discovery/instance': instanceDiscovery,
  'GET /{tenant}/discovery/v2.0/keys': jwks,
  'GET /{tenant}/discovery/keys': jwks,
  'GET /{tenant}/oauth2/v2.0/authorize': authorize,
  'POST /{tenant}/oauth2/v2.0/token': tokenEndpoint,
  'POST /{tenant}/oauth2/v2.0/devicecode': deviceCodeEndpoint,
  'GET /devicelogin': deviceLogin,
  'POST /{tenant}/oauth2/token': v1TokenEndpoint,
  'POST /obtain-token': obtainToken,
});

const IMDS_ROUTES = routeTable<IdentityHandler>({
  'GET /metadata/identity/oauth2/token': imdsToken,
});

async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  // Keep the raw path: `//` in the MFA connector path and percent-encoding must survive.
  const rawPath = (req.url ?? '/').split('?')[0] as string;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: rawPath,
    query: url.searchParams,
    headers,
    body: Buffer.concat(chunks),
  };
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let body: string | undefined;
  if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json';
  } else if (response.text !== undefined) {
    body = response.text;
  }
  headers['content-length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}

async function handleGraph(
  state: SimState,
  req: SimRequest,
): Promise<{ response: SimResponse; route: string }> {
  const [, version = ''] = req.path.split('/');
  const rawPath = req.path.slice(version.length + 1) || '/';
  const call = {
    method: req.method,
    version: version as 'v1.0' | 'beta',
    rawPath,
    query: req.query,
    headers: req.headers,
    body: req.body,
  };
  const principal = authenticate(state, req.headers);
  const isBatch = /^\/\$batch\/?$/i.test(rawPath) && req.method === 'POST';
  if (!('kind' in principal)) {
    return {
      response: principal,
      route: isBatch ? `POST /${version}/$batch` : graphTemplate(call),
    };
  }
  if (isBatch) {
    const response = await runBatch(state, call.version, req.headers, req.body, principal);
    const ids = requestIds(req.headers);
    response.headers = {
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      ...(response.headers ?? {}),
    };
    return { response, route: `POST /${version}/$batch` };
  }
  const result = await runGraph(state, call, principal);
  return { response: result.response, route: result.template };
}

type Routed = { response: SimResponse; route?: string };

async function identityRoute(
  state: SimState,
  req: SimRequest,
  routes: typeof IDENTITY_ROUTES,
): Promise<Routed> {
  const { match } = matchRoute(routes, req.method, splitPath(req.path));
  if (!match) {
    const error = {
      error: 'not_found',
      error_description: `No route for ${req.method} ${req.path}`,
    };
    return { response: { status: 404, json: error }, route: `${req.method} (unmatched)` };
  }
  const response = await match.route.handler({ state, req, params: match.params });
  return { response, route: `${match.route.method} ${match.route.template}` };
}

async function route(state: SimState, req: SimRequest, imds: boolean): Promise<Routed> {
  if (imds) return identityRoute(state, req, IMDS_ROUTES);
  // The /_sim endpoints are not counted, so stats only describe client traffic.
  if (req.path.startsWith('/_sim/')) return { response: simEndpoint(state, req) };
  if (/^\/(v1\.0|beta)\//i.test(req.path)) {
    const result = await handleGraph(state, req);
    const headers = result.response.headers;
    if (headers?.['content-type'] === 'application/json') headers['content-type'] = GRAPH_JSON;
    return result;
  }
  if (req.path === MFA_PATH && req.method === 'POST') {
    return { response: beginTwoWayAuthentication(state, req), route: `POST ${MFA_PATH}` };
  }
  return identityRoute(state, req, IDENTITY_ROUTES);
}

function handler(state: SimState, imds: boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      try {
        const request = await readRequest(req);
        const latency = state.faults.settings.latencyMs;
        if (latency > 0) await sleep(latency);
        const started = performance.now();
        const { response, route: key } = await route(state, request, imds);
        if (key) {
          state.stats.countRequest(key);
          state.stats.recordTiming(latency, performance.now() - started);
        }
        response.headers = {
          date: new Date(state.clock.now()).toUTCString(),
          ...(response.headers ?? {}),
        };
        send(res, response);
      } catch (err) {
        send(res, {
          status: 500,
          json: {
            error: 'sim_error',
            error_description: err instanceof Error ? err.message : String(err),
          },
        });
      }
    })();
  };
}

export interface SimServers {
  https: Server;
  imds: Server;
}

export function createServers(state: SimState): SimServers {
  const tls = { key: state.certs.server.keyPem, cert: state.certs.server.pem };
  return {
    https: createHttpsServer(tls, handler(state, false)),
    imds: createHttpServer(handler(state, true)),
  };
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
