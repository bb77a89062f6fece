/** A Graph client over the test HttpClient, with a fake session and an auth() spy. */
import sinon from 'sinon';
import { createGraphClient } from '../../src/graph/client.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { HttpClientOptions } from '../../src/http/types.js';
import type { Progress } from '../../src/base/progress.js';
import { fakeSession, testHttp, type FakeSession } from '../http/support.js';

export const GRAPH = 'https://graph.microsoft.com';

export interface TestGraph {
  graph: GraphClient;
  session: FakeSession;
  auth: sinon.SinonStub;
  sleeps: number[];
}

export function testGraph(
  options: { http?: Partial<HttpClientOptions>; progress?: Progress; graphUrl?: string } = {},
): TestGraph {
  const { http, sleeps } = testHttp(options.http);
  const session = fakeSession();
  const auth = sinon.stub().resolves(session);
  const graph = createGraphClient({
    http,
    auth,
    cloud: { graphUrl: options.graphUrl ?? GRAPH },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    progress: options.progress,
  });
  return { graph, session, auth, sleeps };
}

/** Graph's error envelope as the docs print it (graph-http-examples §6). */
export function graphError(
  code: string,
  message: string,
  requestId = 'd9bbd4d8-bb2d-44e6-99a1-71a9516da744',
) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: '2021-05-18T19:03:10',
        'request-id': requestId,
        'client-request-id': '539da3bd-942f-25db-636b-27f6f6e8eae4',
      },
    },
  };
}
