import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { createCipheriv, randomBytes, sign } from 'node:crypto';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Simulator } from '../../sim/index.js';

export type Obj = Record<string, unknown>;

export interface SimHttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body; tests cast it to the shape they assert (see the interfaces below). */
  json: unknown;
}

export interface GraphPage {
  '@odata.context'?: string;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  '@odata.count'?: number;
  value: Obj[];
}

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: Obj; details?: Obj[] };
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri?: string;
}

export interface TokenBody {
  token_type: string;
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  client_info?: string;
}

export const page = (res: SimHttpResponse): GraphPage => res.json as GraphPage;
export const graphError = (res: SimHttpResponse): GraphErrorBody['error'] =>
  (res.json as GraphErrorBody).error;
export const aadError = (res: SimHttpResponse): AadErrorBody => res.json as AadErrorBody;
export const tokens = (res: SimHttpResponse): TokenBody => res.json as TokenBody;
export const obj = (res: SimHttpResponse): Obj => res.json as Obj;

export interface SimRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const agents = new WeakMap<Simulator, Agent>();

/** An agent trusting only the sim's CA, so the certificate chain is really verified. */
export function simAgent(sim: Simulator): Agent {
  let agent = agents.get(sim);
  if (!agent) {
    agent = new Agent({ ca: sim.caPem, keepAlive: true });
    agents.set(sim, agent);
  }
  return agent;
}

/** Sends a request to the sim (HTTPS, or the IMDS listener for http:// URLs). */
export function call(
  sim: Simulator,
  url: string,
  init: SimRequestInit = {},
): Promise<SimHttpResponse> {
  const target = new URL(url.startsWith('http') ? url : `${sim.url}${url}`);
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = String(v);
        resolve({ status: res.statusCode ?? 0, headers: flat, text, json });
      });
      res.on('error', reject);
    };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { ...options, agent: simAgent(sim) }, onResponse)
        : httpRequest(target, options, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

export const form = (fields: Record<string, string>): SimRequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const postJson = (value: unknown, headers: Record<string, string> = {}): SimRequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

export const tokenUrl = (sim: Simulator, tenant = sim.tenantId) => `/${tenant}/oauth2/v2.0/token`;

/** An application token through client credentials with the secret app. */
export async function appToken(sim: Simulator): Promise<string> {
  const res = await call(
    sim,
    tokenUrl(sim),
    form({
      grant_type: 'client_credentials',
      client_id: sim.apps.clientSecret.clientId,
      client_secret: sim.apps.clientSecret.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  );
  if (res.status !== 200) throw new Error(`token failed: ${res.text}`);
  return tokens(res).access_token;
}

/** Runs the authorization-code flow (authorize redirect + redemption) for the admin. */
export async function delegatedTokens(
  sim: Simulator,
  scope = 'offline_access openid profile https://graph.microsoft.com/.default',
): Promise<TokenBody> {
  const { clientId, clientSecret, redirectUri } = sim.apps.clientSecret;
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state: 's1',
  });
  const auth = await call(sim, `/${sim.tenantId}/oauth2/v2.0/authorize?${query.toString()}`);
  const code = new URL(auth.headers.location ?? '').searchParams.get('code') ?? '';
  const res = await call(
    sim,
    tokenUrl(sim),
    form({
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  );
  if (res.status !== 200) throw new Error(`code redemption failed: ${res.text}`);
  return tokens(res);
}

export const bearer = (token: string, extra: Record<string, string> = {}): SimRequestInit => ({
  headers: { authorization: `Bearer ${token}`, ...extra },
});

/** Graph GET/POST/PATCH/... with a bearer token. */
export function graph(
  sim: Simulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: SimRequestInit = {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  return call(sim, path.startsWith('/') || path.startsWith('http') ? path : `/v1.0/${path}`, init);
}

/** Encrypts "{epoch}:{content}" the way the XSOAR client does: base64(nonce ‖ ciphertext ‖ tag). */
export function oproxyEncrypt(
  content: string,
  keyBase64: string,
  epochSeconds = Math.floor(Date.now() / 1000),
): string {
  const key = Buffer.from(keyBase64, 'base64');
  const nonce = randomBytes(12);
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce);
  const encrypted = Buffer.concat([
    cipher.update(`${epochSeconds}:${content}`, 'utf8'),
    cipher.final(),
  ]);
  return Buffer.concat([nonce, encrypted, cipher.getAuthTag()]).toString('base64');
}

/** A client assertion signed with the certificate app's key (RS256 + x5t), overridable per test. */
export function clientAssertion(
  sim: Simulator,
  overrides: {
    header?: Record<string, unknown>;
    payload?: Record<string, unknown>;
    key?: string;
  } = {},
): string {
  const app = sim.apps.certificate;
  const now = Math.floor(Date.now() / 1000);
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    x5t: Buffer.from(app.thumbprint, 'hex').toString('base64url'),
    ...overrides.header,
  };
  const payload = {
    aud: `${sim.url}/${sim.tenantId}/oauth2/v2.0/token`,
    iss: app.clientId,
    sub: app.clientId,
    jti: randomBytes(8).toString('hex'),
    nbf: now,
    exp: now + 600,
    ...overrides.payload,
  };
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), overrides.key ?? app.privateKeyPem).toString('base64url')}`;
}

/** msal-node network module that trusts the sim's CA (the INetworkModule seam). */
export function msalNetwork(sim: Simulator): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const init: SimRequestInit = { method, headers: options?.headers ?? {} };
    if (options?.body !== undefined) init.body = options.body;
    const res = await call(sim, url, init);
    return { status: res.status, headers: res.headers, body: res.json as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
