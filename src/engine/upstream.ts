/**
 * Which service a request of an instance goes to, read from its URL and the instance's cloud:
 * Microsoft Graph (under a version root of the Graph host), the Azure MFA service (its connector),
 * or a token request (to the identity platform's login host, the Cortex XSOAR token exchange,
 * IMDS). The engine's throttle gate, dry run and metrics decide by it. In the simulator every
 * service shares one host, so the path decides, not the host alone.
 */
import type { CloudEndpoints } from '../auth/clouds.js';
import type { HttpRequest } from '../http/types.js';

export type Upstream = 'graph' | 'mfa' | 'token';

/** Graph's version roots (src/graph/endpoint.ts builds every Graph URL under one of them). */
const GRAPH_VERSIONS = ['v1.0', 'beta'];
const MFA_CONNECTOR = 'StrongAuthenticationService.svc/';

export type UpstreamOf = (url: string) => Upstream;

export function upstreamClassifier(cloud: CloudEndpoints): UpstreamOf {
  const graphRoots = GRAPH_VERSIONS.map((version) => `${cloud.graphUrl}/${version}/`);
  const mfaRoot = `${cloud.mfaServiceUrl}/${MFA_CONNECTOR}`;
  return (url) => {
    if (graphRoots.some((root) => url.startsWith(root))) return 'graph';
    if (url.startsWith(mfaRoot)) return 'mfa';
    return 'token';
  };
}

/** A request that may change something: any method but GET, to Graph or the MFA service. */
export const changesState = (request: HttpRequest, upstream: Upstream): boolean =>
  upstream !== 'token' && request.method !== 'GET';

/** Whether a Graph URL is a JSON batch (`…/v1.0/$batch`). */
export const isBatchUrl = (url: string): boolean => /\/\$batch(\?|$)/.test(url);
