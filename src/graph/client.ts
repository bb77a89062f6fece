/**
 * The Graph client handlers use: `request`, `pages`, `url`, and a `batching()` view for bulk
 * commands. Authentication is lazy (the first request calls `auth`), so a command that fails
 * validation never authenticates.
 */
import type { CloudEndpoints } from '../auth/clouds.js';
import type { AuthSession } from '../auth/types.js';
import { createRetryPolicy } from '../http/retry.js';
import type { HttpClient, RetryPolicy } from '../http/types.js';
import type { Logger } from '../base/log.js';
import { silentProgress, type Progress } from '../base/progress.js';
import { createBatchingClient } from './batch.js';
import { createEndpoint } from './endpoint.js';
import { createAuthorizer, sendDirect } from './exchange.js';
import { iteratePages } from './paging.js';
import type { GraphClient, GraphRequest, GraphResponse } from './types.js';

export interface GraphClientOptions {
  http: HttpClient;
  /** Called on the first request only; its session is reused. */
  auth: () => Promise<AuthSession>;
  cloud: Pick<CloudEndpoints, 'graphUrl'>;
  log: Logger;
  progress?: Progress;
  /** Retries of items inside a $batch; default: the HTTP client's policy. */
  retryPolicy?: RetryPolicy;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const { http, log } = options;
  const progress = options.progress ?? silentProgress;
  const endpoint = createEndpoint(options.cloud.graphUrl);
  const authorizer = createAuthorizer(options.auth, log);
  const retryPolicy = options.retryPolicy ?? http.retryPolicy ?? createRetryPolicy();

  const client: GraphClient = {
    request: <T>(request: GraphRequest): Promise<GraphResponse<T>> =>
      sendDirect<T>(http, endpoint, authorizer, request),
    pages: (request, pageOptions) => iteratePages(client.request, progress, request, pageOptions),
    url: (path, version) => endpoint.url({ path, version }),
    retryPolicy,
    batching: (batchOptions) =>
      createBatchingClient(
        { base: client, http, endpoint, authorizer, retryPolicy, progress },
        batchOptions,
      ),
  };
  return client;
}

export { GraphError, isNotFound } from './errors.js';
export { graphPath, odataString } from './path.js';
