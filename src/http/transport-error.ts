/**
 * Failures below HTTP (no status came back), as UserErrors that say what failed and what to check.
 * The parameter names quoted here are the instance's display names (integration.yml).
 */
import { UserError } from '../base/errors.js';

export type TransportFailure = 'timeout' | 'connection' | 'tls' | 'proxy' | 'aborted';

export class TransportError extends UserError {
  constructor(
    readonly kind: TransportFailure,
    readonly url: string,
    message: string,
    hint?: string,
    /** The system or library error code (ECONNRESET, DEPTH_ZERO_SELF_SIGNED_CERT, ...). */
    readonly code?: string,
    /** For a timeout: how long the request waited (counted against the retry budget). */
    readonly timeoutMs?: number,
  ) {
    super(message, hint);
  }
}

const TIMEOUT_PARAM = '"HTTP request timeout (seconds)"';
const PROXY_PARAM = '"Use system proxy settings"';
const INSECURE_PARAM = '"Trust any certificate (not secure)"';

// Connection failures worth another attempt: the network or the server hiccuped. A host that does
// not resolve (ENOTFOUND) is a configuration problem, and a retry only delays the message.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
]);

/** Whether an idempotent request may be retried after this failure. */
export const isTransientTransportError = (error: TransportError): boolean =>
  error.kind === 'timeout' ||
  (error.kind === 'connection' && TRANSIENT_CODES.has(error.code ?? ''));

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
};

const TLS_FAILURE = /CERT|SSL|TLS|self[- ]signed|UNABLE_TO_VERIFY|ERR_SSL/i;

export function timeoutError(url: string, timeoutMs: number): TransportError {
  const origin = new URL(url).origin;
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  return new TransportError(
    'timeout',
    url,
    `Request to ${origin} timed out: no answer within ${seconds}.`,
    `Check that the server is reachable from this host, or raise the ${TIMEOUT_PARAM} parameter.`,
    'ETIMEDOUT',
    timeoutMs,
  );
}

export function abortedError(url: string): TransportError {
  return new TransportError('aborted', url, `Request to ${new URL(url).origin} was cancelled.`);
}

/** A proxy that answered the CONNECT with a refusal (407 and friends). */
export function proxyRefusal(url: string, proxy: string, status: number): TransportError {
  const what = status === 407 ? 'requires authentication' : `refused the tunnel (HTTP ${status})`;
  return new TransportError(
    'proxy',
    url,
    `The proxy ${new URL(proxy).origin} ${what} for ${new URL(url).origin}.`,
    `Check the proxy in HTTPS_PROXY / HTTP_PROXY (credentials go in the URL), add the host to NO_PROXY, or clear the ${PROXY_PARAM} checkbox.`,
    `HTTP_${status}`,
  );
}

/** A proxy variable that holds no usable proxy URL. */
export function invalidProxy(url: string, variable: string): TransportError {
  return new TransportError(
    'proxy',
    url,
    `${variable} is not a valid proxy URL, so ${new URL(url).origin} cannot be reached through it.`,
    `Set it to http://host:port (with user:password@ before the host if the proxy needs them), or clear the ${PROXY_PARAM} checkbox to connect directly.`,
    'ERR_INVALID_PROXY',
  );
}

/**
 * Maps a socket-level error. `proxy` is the proxy the request went through (if any): failing to
 * reach it is a proxy problem, whatever the code says.
 */
export function describeTransportFailure(
  url: string,
  code: string,
  detail: string,
  proxy: string | undefined,
): TransportError {
  const origin = new URL(url).origin;
  if (TLS_FAILURE.test(`${code} ${detail}`)) {
    return new TransportError(
      'tls',
      url,
      `TLS certificate verification failed for ${origin}: ${detail}.`,
      `Trust the server's CA (NODE_EXTRA_CA_CERTS), or select the ${INSECURE_PARAM} checkbox.`,
      code,
    );
  }
  const what = DESCRIPTIONS[code] ? `${code}, ${DESCRIPTIONS[code]}` : code || detail;
  if (proxy && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
    return new TransportError(
      'proxy',
      url,
      `Could not reach the proxy ${new URL(proxy).origin} (${what}).`,
      `Check HTTPS_PROXY / HTTP_PROXY on this host, or clear the ${PROXY_PARAM} checkbox to connect directly.`,
      code,
    );
  }
  return new TransportError(
    'connection',
    url,
    `Could not connect to ${origin} (${what}).`,
    proxy
      ? `Check that the server URL is correct and that the proxy ${new URL(proxy).origin} can reach it (or clear the ${PROXY_PARAM} checkbox).`
      : `Check that the server URL is correct and reachable from this host (a proxy is only used when the ${PROXY_PARAM} checkbox is selected).`,
    code,
  );
}
