/**
 * The CONNECT tunnel through a proxy, loaded only when the proxy option is on and a request is
 * actually proxied (https-proxy-agent and its dependencies cost start-up time otherwise).
 */
import type { ClientRequest } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Clock } from '../base/clock.js';
import type { TargetTls } from './agents.js';

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * https-proxy-agent applies its constructor's TLS options to the proxy connection only; the TLS
 * session to the target is built from the request's options, which axios does not fill. This
 * subclass hands the target the same trust (CA, or no verification with `insecure`).
 *
 * It also bounds the wait for the proxy's CONNECT answer. https-proxy-agent keeps the socket to
 * the proxy to itself until the proxy answers, and an aborted request has no socket to destroy
 * yet, so a proxy that accepts and never answers would keep that socket, and the process, alive
 * after the request timed out.
 */
export class TunnellingAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly targetTls: TargetTls,
    maxSockets: number,
    private readonly connectDeadline: { timeoutMs: number; clock: Clock },
  ) {
    super(proxy, { keepAlive: true, maxSockets, ...targetTls });
  }

  override connect(req: ClientRequest, opts: ConnectOptions) {
    const deadline = new AbortController();
    const timer = this.connectDeadline.clock.timer(this.connectDeadline.timeoutMs, () =>
      deadline.abort(),
    );
    // The parent opens the proxy socket synchronously, before its first await, from connectOpts;
    // the signal destroys it only if the tunnel is not up by the deadline.
    const shared = this.connectOpts;
    this.connectOpts = { ...shared, signal: deadline.signal };
    try {
      return super.connect(req, { ...opts, ...this.targetTls }).finally(() => timer.cancel());
    } finally {
      this.connectOpts = shared;
    }
  }
}
