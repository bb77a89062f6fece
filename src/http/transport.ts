/**
 * One HTTP exchange, on axios, bodies as text. The client (client.ts) owns retries, deadlines and
 * error mapping; this file only puts a request on the wire through the agent the router picked
 * (keep-alive, proxy tunnel or TLS settings) and hands back status, headers and text.
 *
 * axios is configured to stay out of the way: statuses are answers (no throwing on 4xx/5xx),
 * no redirects (a bearer token must never follow a redirect to another host), no proxy of its
 * own (agents.ts tunnels through https-proxy-agent), bodies kept as text for the caller to parse,
 * compressed answers inflated.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Agent } from 'node:http';

export interface Exchange {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface ExchangeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  agent: Agent;
  signal: AbortSignal;
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

let instance: AxiosInstance | undefined;

function client(): AxiosInstance {
  instance ??= axios.create({
    adapter: 'http',
    responseType: 'text',
    responseEncoding: 'utf8',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
    decompress: true,
  });
  return instance;
}

function flatHeaders(headers: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/** Sends one request; rejects with the underlying error (its `code`) for anything below HTTP. */
export async function exchange(request: ExchangeRequest): Promise<Exchange> {
  const response = await client().request<string>({
    method: request.method,
    url: request.url.href,
    headers: request.headers,
    data: request.body,
    httpAgent: request.agent,
    httpsAgent: request.agent,
    signal: request.signal,
  });
  return {
    status: response.status,
    headers: flatHeaders(response.headers as Record<string, unknown>),
    body: typeof response.data === 'string' ? response.data : '',
  };
}
