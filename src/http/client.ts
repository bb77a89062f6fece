/**
 * The one HTTP layer, as a stack of HttpClient decorators the composition root assembles:
 *
 *   withRetry( [recording( ] transport [ ) ] )        live, optionally recorded
 *   withRetry( replaying(fixture) )                   a replay: no network at all
 *
 * The transport makes one attempt: it puts the request on the wire (axios, through the agent the
 * router picked), bounds it with a deadline and maps failures below HTTP to TransportError.
 * Statuses are answers (the caller decides what is an error). Retries (retrying.ts) sit above the
 * recorder, so a recording holds every exchange, the 429s a retry absorbed included, and a replay
 * exercises the same retry logic.
 */
import { systemClock } from '../base/clock.js';
import { version } from '../base/version.js';
import { createRouter } from './agents.js';
import { createRetryPolicy } from './retry.js';
import { withRetry } from './retrying.js';
import { ACCEPT_ENCODING, exchange } from './transport.js';
import {
  abortedError,
  describeTransportFailure,
  proxyRefusal,
  timeoutError,
  TransportError,
} from './transport-error.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './types.js';

export { TransportError, type TransportFailure } from './transport-error.js';

const USER_AGENT = `msgraph-user/${version} (+Cortex XSOAR Microsoft Graph User)`;
const TIMED_OUT = Symbol('timeout');

/** The body as bytes; a JSON body also sets Content-Type unless the caller did. */
export function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return Buffer.from(JSON.stringify(body), 'utf8');
}

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';

export type TransportOptions = Pick<
  HttpClientOptions,
  'timeoutMs' | 'proxy' | 'insecure' | 'ca' | 'maxSockets' | 'clock'
>;

/** One attempt per request, on the network: no retries. */
export function createTransport(options: TransportOptions): HttpClient {
  const route = createRouter(options);
  const clock = options.clock ?? systemClock;

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    const url = new URL(request.url);
    const headers: Record<string, string> = {
      'User-Agent': USER_AGENT,
      'Accept-Encoding': ACCEPT_ENCODING,
      ...request.headers,
    };
    const body = encodeBody(request.body, headers);
    if (request.signal?.aborted) throw abortedError(request.url);
    const { httpAgent, httpsAgent, proxy } = await route(url);
    const controller = new AbortController();
    // The deadline covers connect, proxy tunnel and body alike.
    const deadline = clock.timer(timeoutMs, () => controller.abort(TIMED_OUT));
    const forwardAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      const answer = await exchange({
        method: request.method,
        url,
        headers,
        body,
        agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        signal: controller.signal,
      });
      // https-proxy-agent replays a refused CONNECT as if the target had answered.
      if (proxy && answer.status === 407) throw proxyRefusal(request.url, proxy, 407);
      return { ...answer, retries: 0 };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (controller.signal.reason === TIMED_OUT) throw timeoutError(request.url, timeoutMs);
      if (controller.signal.aborted) throw abortedError(request.url);
      const message = error instanceof Error ? error.message : String(error);
      throw describeTransportFailure(request.url, errorCode(error), message, proxy);
    } finally {
      deadline.cancel();
      request.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  return { send };
}

/**
 * The client the product uses: `decorate` (recording, or a replay that replaces the network)
 * wraps the transport, and retries wrap the whole.
 */
export function createHttpClient(
  options: HttpClientOptions,
  decorate: (transport: HttpClient) => HttpClient = (transport) => transport,
): HttpClient {
  const clock = options.clock ?? systemClock;
  const policy = createRetryPolicy({
    ...options.retry,
    clock,
    random: options.random,
  });
  return withRetry(decorate(createTransport(options)), policy, options.log);
}
