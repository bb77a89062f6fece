import { createClock } from '../../src/base/clock.js';
import type { GraphClient, GraphRequest, GraphResponse } from '../../src/graph/types.js';
import { createRetryPolicy } from '../../src/http/retry.js';

/** A GraphClient that records requests and answers from `respond`; `batching()` returns itself. */
export class FakeGraph implements GraphClient {
  readonly requests: GraphRequest[] = [];
  batchingViews = 0;

  constructor(private readonly respond: (request: GraphRequest) => unknown = () => ({})) {}

  async request<T>(request: GraphRequest): Promise<GraphResponse<T>> {
    this.requests.push(request);
    return { status: 200, headers: {}, body: (await this.respond(request)) as T };
  }

  async *pages<T>(request: GraphRequest) {
    const response = await this.request<{ value: T[] }>(request);
    yield { items: response.body.value ?? [], annotations: {} };
  }

  url(path: string): string {
    return `https://graph.example/v1.0/${path}`;
  }

  batching(): GraphClient {
    this.batchingViews++;
    return this;
  }

  readonly retryPolicy = createRetryPolicy({ clock: createClock({ scale: 0 }) });
}
