import { expect } from 'chai';
import nock from 'nock';
import { GraphError } from '../../src/graph/errors.js';
import { UserError } from '../../src/base/errors.js';
import { useNock } from '../http/support.js';
import { GRAPH, graphError, testGraph } from './support.js';

// graph-http-examples §1, "Get user (default properties)".
const ADELE = {
  businessPhones: ['+1 425 555 0109'],
  displayName: 'Adele Vance',
  id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
  userPrincipalName: 'AdeleV@contoso.com',
};
const EXPIRED = graphError(
  'InvalidAuthenticationToken',
  'Lifetime validation failed, the token is expired.',
);

describe('graph client', () => {
  useNock();

  describe('requests', () => {
    it('authenticates on the first request only, not when created', async () => {
      const { graph, auth } = testGraph();
      expect(auth.called).to.equal(false);
      nock(GRAPH).get('/v1.0/users/adele').twice().reply(200, ADELE);
      await graph.request({ method: 'GET', path: 'users/adele' });
      await graph.request({ method: 'GET', path: 'users/adele' });
      expect(auth.callCount).to.equal(1);
    });

    it('sends the bearer token and Accept, and Content-Type only with a body', async () => {
      const { graph } = testGraph();
      nock(GRAPH, {
        reqheaders: { authorization: 'Bearer token-1', accept: 'application/json' },
        badheaders: ['content-type'],
      })
        .get('/v1.0/users/adele')
        .reply(200, ADELE);
      nock(GRAPH, { reqheaders: { 'content-type': 'application/json' } })
        .patch('/v1.0/users/adele', { accountEnabled: false })
        .reply(204);
      const got = await graph.request({ method: 'GET', path: 'users/adele' });
      expect(got).to.deep.include({ status: 200, body: ADELE });
      const patched = await graph.request({
        method: 'PATCH',
        path: 'users/adele',
        body: { accountEnabled: false },
      });
      expect(patched.status).to.equal(204);
      expect(patched.body).to.equal(undefined);
    });

    it('encodes query values and keeps the $ of OData options, dropping undefined ones', async () => {
      const { graph } = testGraph();
      nock(GRAPH)
        .get(
          '/beta/users?$select=id,displayName&$filter=mail%20eq%20%27a%2Bb%26c%40x.com%27&$top=5',
        )
        .reply(200, { value: [] });
      await graph.request({
        method: 'GET',
        path: 'users',
        version: 'beta',
        query: {
          $select: 'id,displayName',
          $filter: "mail eq 'a+b&c@x.com'",
          $top: 5,
          $skip: undefined,
        },
      });
    });

    it('passes statuses listed in okStatuses back as answers', async () => {
      const { graph } = testGraph();
      nock(GRAPH)
        .get('/v1.0/users/gone')
        .reply(404, graphError('Request_ResourceNotFound', 'gone'));
      const response = await graph.request({
        method: 'GET',
        path: 'users/gone',
        okStatuses: [404],
      });
      expect(response.status).to.equal(404);
    });

    it('explains malformed JSON instead of crashing', async () => {
      const { graph } = testGraph();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(200, '{"id": ', { 'content-type': 'application/json' });
      const error = await graph
        .request({ method: 'GET', path: 'users/adele' })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UserError);
      expect((error as UserError).message).to.match(
        /^Microsoft Graph returned malformed JSON \(HTTP 200\)/,
      );
    });

    it('returns a non-JSON body as text', async () => {
      const { graph } = testGraph();
      nock(GRAPH).get('/v1.0/users/$count').reply(200, '36', { 'content-type': 'text/plain' });
      const response = await graph.request({ method: 'GET', path: 'users/$count' });
      expect(response.body).to.equal('36');
    });

    it('builds absolute URLs for @odata.id references', () => {
      const { graph } = testGraph();
      expect(graph.url('directoryObjects/abc')).to.equal(`${GRAPH}/v1.0/directoryObjects/abc`);
      expect(graph.url('users', 'beta')).to.equal(`${GRAPH}/beta/users`);
    });
  });

  describe('absolute URLs (next_page)', () => {
    it('follows a nextLink on the Graph host as it is', async () => {
      const { graph } = testGraph();
      nock(GRAPH).get('/v1.0/users?$top=5&$skiptoken=X%274453707%27').reply(200, { value: [] });
      await graph.request({
        method: 'GET',
        path: `${GRAPH}/v1.0/users?$top=5&$skiptoken=X%274453707%27`,
      });
    });

    for (const link of [
      'https://evil.example/v1.0/users?$skiptoken=x',
      'https://graph.microsoft.com.evil.example/v1.0/users',
      'https://graph.microsoft.com@evil.example/v1.0/users',
      'http://graph.microsoft.com/v1.0/users',
      'https://graph.microsoft.us/v1.0/users',
    ]) {
      it(`refuses ${link} without authenticating or sending anything`, async () => {
        const { graph, auth } = testGraph();
        const error = await graph.request({ method: 'GET', path: link }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UserError);
        expect((error as UserError).message).to.include('Refusing to send the Graph access token');
        expect(auth.called).to.equal(false);
      });
    }
  });

  describe('relative paths (next_page given as a path)', () => {
    const BASE = 'https://gateway.contoso.com/graph';

    it('stay under a Server URL that has a path', async () => {
      const { graph } = testGraph({ graphUrl: BASE });
      nock('https://gateway.contoso.com').get('/graph/v1.0/users').reply(200, { value: [] });
      await graph.request({ method: 'GET', path: 'users' });
    });

    for (const path of ['../../admin/keys', '../../../graph-x/v1.0/users', '%2e%2e/%2e%2e/admin']) {
      it(`refuses ${path}, which leaves the base path, without sending anything (was: sent to the gateway's own path)`, async () => {
        const { graph, auth } = testGraph({ graphUrl: BASE });
        const error = await graph.request({ method: 'GET', path }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UserError);
        expect((error as UserError).message).to.match(
          /^Refusing to send the Graph access token to https:\/\/gateway\.contoso\.com\/\S*: the path leaves the configured Graph base https:\/\/gateway\.contoso\.com\/graph\/\.$/,
        );
        expect(auth.called).to.equal(false);
      });
    }
  });

  describe('401 recovery', () => {
    it('invalidates a rejected token and retries once with a fresh one', async () => {
      const { graph, session } = testGraph();
      nock(GRAPH, { reqheaders: { authorization: 'Bearer token-1' } })
        .get('/v1.0/users/adele')
        .reply(401, EXPIRED);
      nock(GRAPH, { reqheaders: { authorization: 'Bearer token-2' } })
        .get('/v1.0/users/adele')
        .reply(200, ADELE);
      const response = await graph.request({ method: 'GET', path: 'users/adele' });
      expect(response.body).to.deep.equal(ADELE);
      expect(session.invalidate.calledOnceWithExactly('token-1')).to.equal(true);
      expect(session.getAccessToken.lastCall.args[0]).to.deep.equal({ forceRefresh: true });
    });

    it('turns a second 401 into a GraphError with a hint, without a third try', async () => {
      const { graph } = testGraph();
      nock(GRAPH).get('/v1.0/users/adele').twice().reply(401, EXPIRED);
      const error = (await graph
        .request({ method: 'GET', path: 'users/adele' })
        .catch((e: unknown) => e)) as GraphError;
      expect(error).to.be.instanceOf(GraphError);
      expect(error.status).to.equal(401);
      expect(error.hint).to.include('Azure cloud');
    });

    it('does not refresh for a 401 that is not about the token', async () => {
      const { graph, session } = testGraph();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(401, graphError('Authorization_IdentityNotFound', 'no identity'));
      await graph.request({ method: 'GET', path: 'users/adele' }).catch(() => undefined);
      expect(session.invalidate.called).to.equal(false);
    });

    it('shares one refresh among concurrent rejections of the same token', async () => {
      const { graph, session } = testGraph();
      nock(GRAPH, { reqheaders: { authorization: 'Bearer token-1' } })
        .get(/\/v1.0\/users\/u\d/)
        .times(3)
        .reply(401, EXPIRED);
      nock(GRAPH, { reqheaders: { authorization: 'Bearer token-2' } })
        .get(/\/v1.0\/users\/u\d/)
        .times(3)
        .reply(200, ADELE);
      await Promise.all(
        ['u1', 'u2', 'u3'].map((u) => graph.request({ method: 'GET', path: `users/${u}` })),
      );
      expect(session.invalidate.callCount).to.equal(1);
    });
  });

  describe('retry policy by method', () => {
    it('does not retry a POST answered 503', async () => {
      const { graph } = testGraph();
      nock(GRAPH).post('/v1.0/users').reply(503, graphError('serviceNotAvailable', 'down'));
      const error = (await graph
        .request({ method: 'POST', path: 'users', body: {} })
        .catch((e: unknown) => e)) as GraphError;
      expect(error.status).to.equal(503);
    });

    it('retries a POST answered 503 when the request is marked idempotent', async () => {
      const { graph } = testGraph();
      nock(GRAPH)
        .post('/v1.0/users/adele/revokeSignInSessions')
        .reply(503)
        .post('/v1.0/users/adele/revokeSignInSessions')
        .reply(200, { value: true });
      const response = await graph.request({
        method: 'POST',
        path: 'users/adele/revokeSignInSessions',
        idempotent: true,
      });
      expect(response.body).to.deep.equal({ value: true });
    });

    it('retries a PATCH answered 504', async () => {
      const { graph } = testGraph();
      nock(GRAPH).patch('/v1.0/users/adele').reply(504).patch('/v1.0/users/adele').reply(204);
      const response = await graph.request({
        method: 'PATCH',
        path: 'users/adele',
        body: { a: 1 },
      });
      expect(response.status).to.equal(204);
    });
  });
});
