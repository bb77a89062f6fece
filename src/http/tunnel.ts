/**
 * The CONNECT tunnel through a proxy, loaded only when the proxy option is on and a request is
 * actually proxied (https-proxy-agent and its dependencies cost start-up time otherwise).
 */
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { TargetTls } from './agents.js';

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * https-proxy-agent applies its constructor's TLS options to the proxy connection only; the TLS
 * session to the target is built from the request's options, which axios does not fill. This
 * subclass hands the target the same trust (CA, or no verification with `insecure`).
 */
export class TunnellingAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly targetTls: TargetTls,
    maxSockets: number,
  ) {
    super(proxy, { keepAlive: true, maxSockets, ...targetTls });
  }

  override connect(req: Parameters<HttpsProxyAgent<string>['connect']>[0], opts: ConnectOptions) {
    return super.connect(req, { ...opts, ...this.targetTls });
  }
}
