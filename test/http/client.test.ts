import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AddressInfo, Socket } from 'node:net';
import nock from 'nock';
import { TransportError } from '../../src/http/client.js';
import { socketError, testHttp, useNock } from './support.js';

const GRAPH = 'https://graph.microsoft.com';
const USER_URL = `${GRAPH}/v1.0/users/adele`;

// The documented throttled response (graph-http-examples §7).
const THROTTLED = {
  error: {
    code: 'TooManyRequests',
    innerError: {
      code: '429',
      date: '2020-08-18T12:51:51',
      message: 'Please retry after',
      'request-id': '94fb3b52-452a-4535-a601-69e0a90e3aa2',
      status: '429',
    },
    message: 'Please retry again later.',
  },
};
const USER = { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Adele Vance' };

describe('http client', () => {
  useNock();

  describe('retries', () => {
    it('waits the Retry-After seconds of a 429, then returns the success with the retry count', async () => {
      const { http, sleeps, debug } = testHttp();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(429, THROTTLED, {
          'Retry-After': '2.128',
          'x-ms-throttle-scope': 'Tenant/ReadWrite',
        })
        .get('/v1.0/users/adele')
        .reply(200, USER);
      const response = await http.send({ method: 'GET', url: USER_URL });
      expect(response.status).to.equal(200);
      expect(JSON.parse(response.body)).to.deep.equal(USER);
      expect(response.retries).to.equal(1);
      expect(sleeps).to.deep.equal([2128]);
      expect(debug.join('\n')).to.match(
        /429; Retry-After: 2\.128; x-ms-throttle-scope: Tenant\/ReadWrite; retry 1 in 2128 ms/,
      );
    });

    it('waits until a Retry-After HTTP date', async () => {
      const { http, sleeps } = testHttp();
      const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(429, THROTTLED, { 'Retry-After': inFiveSeconds })
        .get('/v1.0/users/adele')
        .reply(200, USER);
      await http.send({ method: 'GET', url: USER_URL });
      expect(sleeps).to.have.length(1);
      // HTTP dates have one-second resolution.
      expect(sleeps[0]).to.be.within(3_000, 5_000);
    });

    it('backs off exponentially on 503 and 504 without Retry-After', async () => {
      const { http, sleeps } = testHttp({ retry: { baseDelayMs: 1000 } });
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(503, 'Service Unavailable')
        .get('/v1.0/users/adele')
        .reply(504, 'Gateway Timeout')
        .get('/v1.0/users/adele')
        .reply(503, 'Service Unavailable')
        .get('/v1.0/users/adele')
        .reply(200, USER);
      const response = await http.send({ method: 'GET', url: USER_URL });
      expect(response.status).to.equal(200);
      expect(response.retries).to.equal(3);
      // Full jitter with random() = 0.5: half of 1 s, 2 s, 4 s.
      expect(sleeps).to.deep.equal([500, 1000, 2000]);
    });

    it('does not retry a POST answered 503 (the server may have acted on it)', async () => {
      const { http, sleeps } = testHttp();
      nock(GRAPH).post('/v1.0/users').reply(503, 'Service Unavailable');
      const response = await http.send({
        method: 'POST',
        url: `${GRAPH}/v1.0/users`,
        body: { a: 1 },
      });
      expect(response.status).to.equal(503);
      expect(response.retries).to.equal(0);
      expect(sleeps).to.deep.equal([]);
    });

    it('retries a POST answered 429 (the server did not process it)', async () => {
      const { http } = testHttp();
      nock(GRAPH)
        .post('/v1.0/users', { a: 1 })
        .reply(429, THROTTLED, { 'Retry-After': '1' })
        .post('/v1.0/users', { a: 1 })
        .reply(201, USER);
      const response = await http.send({
        method: 'POST',
        url: `${GRAPH}/v1.0/users`,
        body: { a: 1 },
      });
      expect(response.status).to.equal(201);
      expect(response.retries).to.equal(1);
    });

    it('retries a POST answered 503 when the caller marks it idempotent', async () => {
      const { http } = testHttp();
      nock(GRAPH)
        .post('/v1.0/$batch')
        .reply(503)
        .post('/v1.0/$batch')
        .reply(200, { responses: [] });
      const response = await http.send({
        method: 'POST',
        url: `${GRAPH}/v1.0/$batch`,
        body: {},
        retry: 'idempotent',
      });
      expect(response.status).to.equal(200);
    });

    it('never retries with mode never', async () => {
      const { http } = testHttp();
      nock(GRAPH).get('/v1.0/users/adele').reply(429, THROTTLED, { 'Retry-After': '1' });
      const response = await http.send({ method: 'GET', url: USER_URL, retry: 'never' });
      expect(response.status).to.equal(429);
    });

    it('returns the last 429 after maxThrottledAttempts, which 429s count against', async () => {
      const { http, sleeps } = testHttp({ retry: { maxAttempts: 2, maxThrottledAttempts: 3 } });
      nock(GRAPH).get('/v1.0/users/adele').times(3).reply(429, THROTTLED, { 'Retry-After': '1' });
      const response = await http.send({ method: 'GET', url: USER_URL });
      expect(response.status).to.equal(429);
      expect(response.retries).to.equal(2);
      expect(sleeps).to.deep.equal([1000, 1000]);
    });

    it('gives up when the next wait would exceed maxTotalWaitMs', async () => {
      const { http, sleeps } = testHttp({ retry: { maxTotalWaitMs: 30_000 } });
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .reply(429, THROTTLED, { 'Retry-After': '20' })
        .get('/v1.0/users/adele')
        .reply(429, THROTTLED, { 'Retry-After': '20' });
      const response = await http.send({ method: 'GET', url: USER_URL });
      expect(response.status).to.equal(429);
      expect(response.retries).to.equal(1);
      expect(sleeps).to.deep.equal([20_000]);
    });

    it('retries a GET after a connection reset', async () => {
      const { http } = testHttp();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .replyWithError(socketError('ECONNRESET', 'socket hang up'))
        .get('/v1.0/users/adele')
        .reply(200, USER);
      const response = await http.send({ method: 'GET', url: USER_URL });
      expect(response.status).to.equal(200);
      expect(response.retries).to.equal(1);
    });

    it('does not retry a POST after a connection reset, and says what failed', async () => {
      const { http } = testHttp();
      nock(GRAPH).post('/v1.0/users').replyWithError(socketError('ECONNRESET', 'socket hang up'));
      const error = await http
        .send({ method: 'POST', url: `${GRAPH}/v1.0/users`, body: {} })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).kind).to.equal('connection');
      expect((error as TransportError).message).to.equal(
        'Could not connect to https://graph.microsoft.com (ECONNRESET, connection reset).',
      );
    });

    it('throws the last transport error once attempts run out', async () => {
      const { http } = testHttp({ retry: { maxAttempts: 2 } });
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .times(2)
        .replyWithError(socketError('ECONNREFUSED', 'connect ECONNREFUSED'));
      const error = await http.send({ method: 'GET', url: USER_URL }).catch((e: unknown) => e);
      expect((error as TransportError).code).to.equal('ECONNREFUSED');
    });

    it('does not retry a host that does not resolve', async () => {
      const { http } = testHttp();
      nock(GRAPH)
        .get('/v1.0/users/adele')
        .replyWithError(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND'));
      const error = await http.send({ method: 'GET', url: USER_URL }).catch((e: unknown) => e);
      expect((error as TransportError).userMessage).to.include('host name not found');
    });
  });

  describe('requests', () => {
    it('sends objects as JSON, strings as they are, and never logs headers or bodies', async () => {
      const { http, debug } = testHttp();
      nock(GRAPH, {
        reqheaders: { 'content-type': 'application/json', authorization: 'Bearer secret-token' },
      })
        .post('/v1.0/users', { passwordProfile: { password: 'P@ss' } })
        .reply(201, USER);
      nock('https://login.microsoftonline.com', {
        reqheaders: { 'content-type': 'application/x-www-form-urlencoded' },
      })
        .post('/t/oauth2/v2.0/token', 'grant_type=client_credentials')
        .reply(200, '{}');
      await http.send({
        method: 'POST',
        url: `${GRAPH}/v1.0/users`,
        headers: { Authorization: 'Bearer secret-token' },
        body: { passwordProfile: { password: 'P@ss' } },
      });
      await http.send({
        method: 'POST',
        url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const log = debug.join('\n');
      expect(log).to.include('POST https://graph.microsoft.com/v1.0/users -> 201');
      expect(log).not.to.match(/secret-token|P@ss|grant_type/);
    });

    it('returns headers in lower case and an empty body as an empty string', async () => {
      const { http } = testHttp();
      nock(GRAPH).delete('/v1.0/users/adele').reply(204, '', { 'Request-Id': 'abc' });
      const response = await http.send({ method: 'DELETE', url: USER_URL });
      expect(response).to.deep.include({ status: 204, body: '' });
      expect(response.headers['request-id']).to.equal('abc');
    });

    it('inflates gzip and brotli answers', async () => {
      const { http } = testHttp();
      nock(GRAPH)
        .get('/v1.0/users')
        .reply(200, gzipSync(JSON.stringify({ value: [USER] })), { 'content-encoding': 'gzip' })
        .get('/v1.0/users')
        .reply(200, brotliCompressSync(JSON.stringify({ value: [] })), {
          'content-encoding': 'br',
        });
      const gzipped = await http.send({ method: 'GET', url: `${GRAPH}/v1.0/users` });
      expect(JSON.parse(gzipped.body)).to.deep.equal({ value: [USER] });
      const brotli = await http.send({ method: 'GET', url: `${GRAPH}/v1.0/users` });
      expect(JSON.parse(brotli.body)).to.deep.equal({ value: [] });
    });

    it('rejects at once when the caller aborts', async () => {
      const { http } = testHttp();
      const controller = new AbortController();
      controller.abort();
      const error = await http
        .send({ method: 'GET', url: USER_URL, signal: controller.signal })
        .catch((e: unknown) => e);
      expect((error as TransportError).kind).to.equal('aborted');
    });
  });

  describe('timeouts', () => {
    let server: Server;
    let port: number;
    let connections: number;
    const sockets = new Set<Socket>();

    before(async () => {
      // Accepts connections and requests, never answers.
      server = createServer(() => {});
      server.on('connection', (socket) => {
        connections += 1;
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    beforeEach(() => {
      connections = 0;
      nock.enableNetConnect('127.0.0.1');
    });
    after(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    });

    it('turns a server that never answers into a timeout error naming the parameter', async () => {
      const { http } = testHttp({ timeoutMs: 150 });
      const error = await http
        .send({ method: 'POST', url: `http://127.0.0.1:${port}/token`, body: 'x' })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).message).to.contain('no answer within 150 ms');
      expect((error as TransportError).kind).to.equal('timeout');
      expect((error as TransportError).message).to.include('no answer within 150 ms');
      expect((error as TransportError).hint).to.include('"HTTP request timeout (seconds)"');
      expect(connections).to.equal(1);
    });

    it('retries a GET that timed out, within the attempts', async () => {
      const { http } = testHttp({ timeoutMs: 100, retry: { maxAttempts: 2 } });
      const error = await http
        .send({ method: 'GET', url: `http://127.0.0.1:${port}/users` })
        .catch((e: unknown) => e);
      expect((error as TransportError).kind).to.equal('timeout');
      expect(connections).to.equal(2);
    });

    it('honours a per-request timeout', async () => {
      const { http } = testHttp({ timeoutMs: 60_000 });
      const error = await http
        .send({
          method: 'GET',
          url: `http://127.0.0.1:${port}/users`,
          timeoutMs: 100,
          retry: 'never',
        })
        .catch((e: unknown) => e);
      expect((error as TransportError).kind).to.equal('timeout');
    });
  });
});
