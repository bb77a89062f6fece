/**
 * msal-node's INetworkModule on the product's one HttpClient, so MSAL's token requests and the
 * managed-identity endpoint get the same proxy, TLS, timeout, retry, redaction and recording as
 * Graph. MSAL itself never opens a connection.
 *
 * MSAL replaces any non-MSAL error a network module throws with a bare "network_error", and turns
 * error bodies into messages with trace ids mixed in. So the module keeps the last transport
 * failure and the last identity-platform error body on the side (`NetworkTrace`), and the error
 * mapper reports those instead.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { UserError } from '../base/errors.js';
import type { HttpClient, HttpRequest, RetryMode } from '../http/types.js';

export interface NetworkTrace {
  /** The last request that failed below HTTP (timeout, TLS, connection) or returned a non-JSON body. */
  failure?: Error;
  /** The last error response body (`{error, error_description, error_codes}`) and its status. */
  errorBody?: Record<string, unknown>;
  errorStatus?: number;
  /**
   * The last token answer's lifetime as the server stated it: `expires_in` seconds, or an absolute
   * `expires_on` (IMDS on App Service). MSAL measures expiry on the system clock; the session
   * measures it on the runtime's clock (tokenExpiry), which a replay pins to the recording.
   */
  expiresIn?: number;
  expiresOn?: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An authorization code is single-use: if the server redeemed it but the answer was lost, a
 * retry could only fail with AADSTS54005, so only throttling (the server did nothing) is retried.
 * Client credentials, refresh tokens (Entra keeps the old one valid after rotation) and IMDS are
 * safe to send twice.
 */
function retryModeFor(method: 'GET' | 'POST', body: string | undefined): RetryMode {
  if (method === 'GET') return 'idempotent';
  return /(^|&)grant_type=authorization_code(&|$)/.test(body ?? '')
    ? 'throttle-only'
    : 'idempotent';
}

export function createMsalNetworkModule(
  http: HttpClient,
  trace: NetworkTrace = {},
): INetworkModule & { trace: NetworkTrace } {
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const request: HttpRequest = {
      method,
      url,
      headers: { ...options?.headers },
      retry: retryModeFor(method, options?.body),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      ...(timeout ? { timeoutMs: timeout } : {}),
    };
    let response;
    try {
      response = await http.send(request);
    } catch (error) {
      trace.failure = error instanceof Error ? error : new Error(String(error));
      throw trace.failure;
    }
    let body: unknown;
    try {
      body = response.body === '' ? {} : JSON.parse(response.body);
    } catch {
      const origin = new URL(url).origin;
      const snippet = response.body.replace(/\s+/g, ' ').slice(0, 200);
      trace.failure = new UserError(
        `${origin} answered HTTP ${response.status} with a body that is not JSON: ${snippet}`,
        'Check the Azure cloud / Azure AD endpoint parameters, and that no proxy rewrites the answer.',
      );
      throw trace.failure;
    }
    if (response.status >= 400 && isRecord(body)) {
      trace.errorBody = body;
      trace.errorStatus = response.status;
    }
    if (response.status === 200 && isRecord(body) && 'access_token' in body) {
      const seconds = (value: unknown) =>
        Number.isFinite(Number(value)) ? Number(value) : undefined;
      trace.expiresIn = body.expires_in === undefined ? undefined : seconds(body.expires_in);
      trace.expiresOn = body.expires_on === undefined ? undefined : seconds(body.expires_on);
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }

  return {
    trace,
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>('POST', url, options),
  };
}
