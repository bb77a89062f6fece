/**
 * Connection pools, TLS trust and the proxy decision.
 *
 * Keep-alive agents with a bounded socket count: every command talks to one or two hosts, and a
 * reused TLS connection saves a handshake per request. With the proxy option on, the proxy comes
 * from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (proxy-from-env) and every request is tunnelled with
 * CONNECT (https-proxy-agent): axios's own proxy support is switched off so the environment is
 * never read behind our back, and the option off means direct even when the variables are set.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
import { systemClock, type Clock } from '../base/clock.js';
import { invalidProxy } from './transport-error.js';

export interface AgentOptions {
  proxy: boolean;
  insecure: boolean;
  ca?: string;
  maxSockets?: number;
  /** The request timeout: a proxy must answer the CONNECT within it. */
  timeoutMs?: number;
  /** Times that deadline (default: the system clock). */
  clock?: Clock;
}

export interface Route {
  httpAgent: HttpAgent;
  /** An https.Agent, or the tunnelling agent (an http.Agent that hands back TLS sockets). */
  httpsAgent: HttpAgent;
  /** The proxy URL the request is tunnelled through, when it is. */
  proxy?: string;
}

export interface TargetTls {
  rejectUnauthorized: boolean;
  secureContext?: SecureContext;
}

function trustedCertificates(extraCa: string | undefined): string[] | undefined {
  if (!extraCa) return undefined;
  // A custom `ca` replaces Node's store, so keep the public roots and NODE_EXTRA_CA_CERTS too.
  const extra: string[] = [];
  const envFile = process.env.NODE_EXTRA_CA_CERTS;
  if (envFile) {
    try {
      extra.push(readFileSync(envFile, 'utf8'));
    } catch {
      // Node already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  return [...rootCertificates, ...extra, extraCa];
}

const PROXY_VARIABLES = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'all_proxy',
  'ALL_PROXY',
];

/**
 * The proxy for `url`, or '' for a direct connection. proxy-from-env gives a scheme-less
 * `HTTPS_PROXY=host:3128` the target's scheme (https); like curl and Python requests we read it
 * as http://, which is what such proxies speak.
 */
export function proxyFor(url: URL): string {
  // Link-local (IMDS, 169.254.169.254) and loopback (Azure Arc) endpoints are on this host or its
  // hypervisor; a corporate proxy cannot reach them, whatever NO_PROXY forgot to list.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || (isIP(host) && /^(127\.|169\.254\.|::1$)/.test(host))) return '';
  const proxy = getProxyForUrl(url.href);
  if (!proxy) return '';
  const schemeless = PROXY_VARIABLES.some((name) => {
    const value = process.env[name];
    return value && !value.includes('://') && proxy === `${url.protocol}//${value}`;
  });
  const chosen = schemeless ? `http://${proxy.slice(url.protocol.length + 2)}` : proxy;
  checkProxyUrl(chosen, url);
  return chosen;
}

/** A proxy URL https-proxy-agent can use, or a proxy error naming the variable (not its value). */
function checkProxyUrl(proxy: string, target: URL): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(proxy);
  } catch {
    parsed = undefined;
  }
  if (parsed && ['http:', 'https:'].includes(parsed.protocol) && parsed.hostname) return;
  // The value may hold the proxy's password: say where it came from, never what it is.
  const variable =
    PROXY_VARIABLES.find((name) => {
      const value = process.env[name];
      return value && proxy.endsWith(value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
    }) ?? 'the proxy variable';
  throw invalidProxy(target.href, variable);
}

/**
 * Picks the agents for a URL. Direct routes are returned as they are; a proxied route is a promise
 * the first time, because the tunnelling agent is loaded only when a proxy is actually used.
 */
export function createRouter(options: AgentOptions): (url: URL) => Route | Promise<Route> {
  const maxSockets = options.maxSockets ?? 16;
  let targetTls: TargetTls | undefined;
  // Lazily, and once: with `ca`, Node would otherwise parse the ~140 public roots again for every
  // connection (~50 ms), and a command that fails validation never connects at all.
  const tls = (): TargetTls => {
    if (targetTls) return targetTls;
    const ca = trustedCertificates(options.ca);
    targetTls = {
      rejectUnauthorized: !options.insecure,
      ...(ca ? { secureContext: createSecureContext({ ca }) } : {}),
    };
    return targetTls;
  };
  let direct: Route | undefined;
  const directRoute = (): Route =>
    (direct ??= {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets, ...tls() }),
    });
  if (!options.proxy) return directRoute;

  // Decided once per origin: NO_PROXY matching parses the environment on every call.
  const byOrigin = new Map<string, Route>();
  const byProxy = new Map<string, Promise<Route>>();
  const tunnelled = async (proxy: string): Promise<Route> => {
    const { TunnellingAgent } = await import('./tunnel.js');
    const agent = new TunnellingAgent(proxy, tls(), maxSockets, {
      timeoutMs: options.timeoutMs ?? 60_000,
      clock: options.clock ?? systemClock,
    });
    // Plain-http targets (rare: local test servers) go through the same CONNECT tunnel.
    return { httpAgent: agent, httpsAgent: agent, proxy };
  };
  return (parsed) => {
    const known = byOrigin.get(parsed.origin);
    if (known) return known;
    const proxy = proxyFor(parsed);
    if (!proxy) {
      const route = directRoute();
      byOrigin.set(parsed.origin, route);
      return route;
    }
    let pending = byProxy.get(proxy);
    if (!pending) {
      pending = tunnelled(proxy);
      byProxy.set(proxy, pending);
    }
    return pending.then((route) => {
      byOrigin.set(parsed.origin, route);
      return route;
    });
  };
}
