/**
 * The retry decorator: resends a request per its RetryMode (retry.ts) and waits what the policy
 * says, on the policy's clock. Every request the product makes gets the same rules, identity
 * requests included.
 */
import type { Logger } from '../base/log.js';
import { defaultRetryMode, isRetryableStatus } from './retry.js';
import { abortedError, isTransientTransportError, TransportError } from './transport-error.js';
import type { HttpClient, HttpRequest, HttpResponse, RetryMode, RetryPolicy } from './types.js';

// Response headers worth a debug line when Graph throttles (concepts/throttling.md).
const THROTTLE_HEADERS = ['x-ms-throttle-scope', 'x-ms-throttle-information', 'x-ms-resource-unit'];

function retryNote(answer: HttpResponse | TransportError): string {
  if (answer instanceof TransportError) return answer.code ?? answer.kind;
  const extra = THROTTLE_HEADERS.filter((h) => answer.headers[h]).map(
    (h) => `${h}: ${answer.headers[h]}`,
  );
  const retryAfter = answer.headers['retry-after'];
  return [`${answer.status}`, ...(retryAfter ? [`Retry-After: ${retryAfter}`] : []), ...extra].join(
    '; ',
  );
}

export function withRetry(inner: HttpClient, retryPolicy: RetryPolicy, log: Logger): HttpClient {
  async function send(request: HttpRequest): Promise<HttpResponse> {
    const mode: RetryMode = request.retry ?? defaultRetryMode(request.method);
    const budget = retryPolicy.begin();
    for (;;) {
      let outcome: HttpResponse | TransportError;
      try {
        outcome = await inner.send(request);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        outcome = error;
      }
      const transport = outcome instanceof TransportError ? outcome : undefined;
      const retryable = transport
        ? mode === 'idempotent' && isTransientTransportError(transport)
        : isRetryableStatus(mode, (outcome as HttpResponse).status);
      if (transport?.kind === 'timeout') budget.spend(transport.timeoutMs ?? 0);
      const wait = !retryable
        ? undefined
        : transport
          ? budget.next(undefined)
          : budget.next(
              (outcome as HttpResponse).headers['retry-after'],
              (outcome as HttpResponse).status === 429,
            );
      if (wait === undefined) {
        if (transport) throw transport;
        const answer = outcome as HttpResponse;
        log.debug(`${request.method} ${request.url} -> ${answer.status}`);
        return { ...answer, retries: budget.retries };
      }
      log.debug(
        `${request.method} ${request.url} -> ${retryNote(outcome)}; retry ${budget.retries} in ${wait} ms`,
      );
      await retryPolicy.sleep(wait, request.signal).catch(() => {
        throw abortedError(request.url);
      });
    }
  }
  return { send, retryPolicy };
}
