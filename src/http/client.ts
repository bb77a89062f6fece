/**
 * The one HTTP layer. Statuses are answers (the caller decides what is an error);
 * transport failures become TransportError with a message that says what to check. Retries
 * happen here, per the request's RetryMode (retry.ts), so every caller gets the same policy.
 */
import { version } from '../base/version.js';
import { createRouter } from './agents.js';
import { ACCEPT_ENCODING, exchange } from './transport.js';
import {
  createRetryPolicy,
  defaultRetryMode,
  isRetryableStatus,
  type RetryPolicyOptions,
} from './retry.js';
import {
  abortedError,
  describeTransportFailure,
  isTransientTransportError,
  proxyRefusal,
  timeoutError,
  TransportError,
} from './transport-error.js';
import type {
  HttpClient,
  HttpClientOptions,
  HttpRequest,
  HttpResponse,
  RetryMode,
  RetryPolicy,
} from './types.js';

export { TransportError, type TransportFailure } from './transport-error.js';

type Answer = Omit<HttpResponse, 'retries'>;

const USER_AGENT = `msgraph-user/${version} (+Cortex XSOAR Microsoft Graph User)`;
// Response headers worth a debug line when Graph throttles (concepts/throttling.md).
const THROTTLE_HEADERS = ['x-ms-throttle-scope', 'x-ms-throttle-information', 'x-ms-resource-unit'];
const TIMED_OUT = Symbol('timeout');

function encodeBody(request: HttpRequest, headers: Record<string, string>): Buffer | undefined {
  if (request.body === undefined) return undefined;
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body, 'utf8');
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return Buffer.from(JSON.stringify(request.body), 'utf8');
}

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';

function retryNote(answer: Answer | TransportError): string {
  if (answer instanceof TransportError) return answer.code ?? answer.kind;
  const extra = THROTTLE_HEADERS.filter((h) => answer.headers[h]).map(
    (h) => `${h}: ${answer.headers[h]}`,
  );
  const retryAfter = answer.headers['retry-after'];
  return [`${answer.status}`, ...(retryAfter ? [`Retry-After: ${retryAfter}`] : []), ...extra].join(
    '; ',
  );
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const route = createRouter(options);
  const policyOptions: RetryPolicyOptions = {
    ...options.retry,
    timeScale: options.timeScale,
    sleep: options.sleep,
    random: options.random,
  };
  const retryPolicy: RetryPolicy = createRetryPolicy(policyOptions);

  /** One attempt, bounded by a wall-clock deadline (connect, proxy tunnel and body included). */
  async function attempt(
    request: HttpRequest,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | undefined,
    timeoutMs: number,
  ): Promise<Answer> {
    if (request.signal?.aborted) throw abortedError(request.url);
    const { httpAgent, httpsAgent, proxy } = await route(url);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
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
      return answer;
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (controller.signal.reason === TIMED_OUT) throw timeoutError(request.url, timeoutMs);
      if (controller.signal.aborted) throw abortedError(request.url);
      const message = error instanceof Error ? error.message : String(error);
      throw describeTransportFailure(request.url, errorCode(error), message, proxy);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const mode: RetryMode = request.retry ?? defaultRetryMode(request.method);
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    const url = new URL(request.url);
    const headers: Record<string, string> = {
      'User-Agent': USER_AGENT,
      'Accept-Encoding': ACCEPT_ENCODING,
      ...request.headers,
    };
    const body = encodeBody(request, headers);
    const budget = retryPolicy.begin();
    for (;;) {
      let outcome: Answer | TransportError;
      try {
        outcome = await attempt(request, url, headers, body, timeoutMs);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        outcome = error;
      }
      const retryable =
        outcome instanceof TransportError
          ? mode === 'idempotent' && isTransientTransportError(outcome)
          : isRetryableStatus(mode, outcome.status);
      if (outcome instanceof TransportError && outcome.kind === 'timeout') budget.spend(timeoutMs);
      const wait = retryable
        ? outcome instanceof TransportError
          ? budget.next(undefined)
          : budget.next(outcome.headers['retry-after'], outcome.status === 429)
        : undefined;
      if (wait === undefined) {
        if (outcome instanceof TransportError) throw outcome;
        options.log.debug(`${request.method} ${request.url} -> ${outcome.status}`);
        return { ...outcome, retries: budget.retries };
      }
      options.log.debug(
        `${request.method} ${request.url} -> ${retryNote(outcome)}; retry ${budget.retries} in ${wait} ms`,
      );
      await retryPolicy.sleep(wait, request.signal).catch(() => {
        throw abortedError(request.url);
      });
    }
  }

  return { send, retryPolicy };
}
