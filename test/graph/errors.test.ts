import { expect } from 'chai';
import nock from 'nock';
import { GraphError, graphErrorFrom, isNotFound } from '../../src/graph/errors.js';
import { UserError } from '../../src/base/errors.js';
import { useNock } from '../http/support.js';
import { GRAPH, graphError, testGraph } from './support.js';

async function failure(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<GraphError> {
  nock(GRAPH)
    .get('/v1.0/users/adele')
    .reply(status, body as nock.Body, headers);
  const error = await testGraph()
    .graph.request({ method: 'GET', path: 'users/adele' })
    .catch((e: unknown) => e);
  expect(error).to.be.instanceOf(GraphError);
  return error as GraphError;
}

describe('graph errors', () => {
  useNock();

  it('maps a 403 Authorization_RequestDenied to the war-room text and a permission hint', async () => {
    const error = await failure(
      403,
      graphError(
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
        'req-403',
      ),
    );
    expect(error).to.be.instanceOf(UserError);
    expect(error.message).to.equal(
      'Error in API call [403] - Authorization_RequestDenied: Insufficient privileges to complete the operation. (request-id: req-403)',
    );
    expect(error).to.deep.include({
      status: 403,
      code: 'Authorization_RequestDenied',
      requestId: 'req-403',
      clientRequestId: '539da3bd-942f-25db-636b-27f6f6e8eae4',
      date: '2021-05-18T19:03:10',
    });
    expect(error.hint).to.include('admin consent').and.include('User.ReadWrite.All');
  });

  it('maps a 400 Request_BadRequest and a Request_UnsupportedQuery with their hints', async () => {
    const bad = await failure(
      400,
      graphError('Request_BadRequest', '$count is not currently supported.'),
    );
    expect(bad.message).to.match(
      /^Error in API call \[400\] - Request_BadRequest: \$count is not currently supported\./,
    );
    expect(bad.hint).to.include('Check the arguments');
    const unsupported = await failure(
      400,
      graphError(
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      ),
    );
    expect(unsupported.hint).to.include('ConsistencyLevel: eventual').and.include('$count=true');
  });

  it('maps a 404 Request_ResourceNotFound, which isNotFound recognises', async () => {
    const error = await failure(
      404,
      graphError(
        'Request_ResourceNotFound',
        "Resource 'adele' does not exist or one of its queried reference-property objects are not present.",
      ),
    );
    expect(isNotFound(error)).to.equal(true);
    expect(error.hint).to.include('userPrincipalName');
    expect(isNotFound(new Error('404'))).to.equal(false);
    expect(
      isNotFound(graphErrorFrom(403, {}, graphError('Authorization_RequestDenied', 'x'))),
    ).to.equal(false);
  });

  it('maps a 429 that outlasted the retries, saying how often it was retried', async () => {
    const throttled = graphError('TooManyRequests', 'Please retry again later.', '94fb3b52');
    // 429s have their own, larger budget (10 attempts): Graph says how long to wait.
    nock(GRAPH).get('/v1.0/users/adele').times(10).reply(429, throttled, { 'Retry-After': '1' });
    const error = (await testGraph()
      .graph.request({ method: 'GET', path: 'users/adele' })
      .catch((e: unknown) => e)) as GraphError;
    expect(error.message).to.equal(
      'Error in API call [429] - TooManyRequests: Please retry again later. (request-id: 94fb3b52)',
    );
    expect(error.hint).to.include('throttling').and.include('retried 9 times');
    expect(error.hint).to.include('Graph asked to wait 1 s');
  });

  it('maps a 5xx with a non-JSON body to its text and the request-id header', async () => {
    const error = await failure(500, '<html>upstream error</html>', {
      'content-type': 'text/html',
      'request-id': 'hdr-id',
    });
    expect(error.message).to.equal(
      'Error in API call [500] - <html>upstream error</html> (request-id: hdr-id)',
    );
    expect(error.code).to.equal('');
    expect(error.hint).to.include('server-side problem');
  });

  it('uses the status phrase for an empty error body', () => {
    const error = graphErrorFrom(502, {}, undefined);
    expect(error.message).to.equal('Error in API call [502] - Bad Gateway');
  });

  it('shortens a long non-JSON body', () => {
    const error = graphErrorFrom(502, {}, 'x'.repeat(5000));
    expect(error.graphMessage).to.have.length(501);
  });

  it('reads an envelope with an empty code (as a $batch item can carry)', () => {
    const error = graphErrorFrom(
      403,
      {},
      graphError('', 'You do not have the required permissions to access this item.', 'r'),
    );
    expect(error.message).to.equal(
      'Error in API call [403] - You do not have the required permissions to access this item. (request-id: r)',
    );
    expect(error.hint).to.include('admin consent');
  });
});
