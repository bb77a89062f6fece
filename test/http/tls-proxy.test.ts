/**
 * TLS trust and the system proxy, against real local servers: an HTTPS server with a certificate
 * from a throwaway CA, and a CONNECT proxy that tunnels every request to it (whatever host name
 * the client asked for, so `graph.test` needs no DNS).
 *
 * nock is switched off for this suite: nock 14 intercepts at the ClientRequest level and never
 * calls an agent-base agent's connect, so a tunnelling agent would hang under it.
 */
import { expect } from 'chai';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import nock from 'nock';
import { TransportError } from '../../src/http/client.js';
import type { HttpClientOptions } from '../../src/http/types.js';
import { testHttp } from './support.js';
import { issueCertificates } from './tls-fixture.js';

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

const listen = async <S extends Server | HttpsServer>(server: S): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('http client: TLS and proxy', function () {
  this.timeout(20_000);
  const certs = issueCertificates(['graph.test', 'localhost', '127.0.0.1']);
  let target: HttpsServer;
  let targetPort: number;
  let proxy: Server;
  let proxyPort: number;
  let tunnels: string[];
  let proxyAnswer: number;
  /** Resolve when the client hangs up on a CONNECT the proxy never answered. */
  let silentTunnels: Promise<void>[];
  const sockets = new Set<Socket>();
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    nock.restore();
    target = createHttpsServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
    });
    targetPort = await listen(target);
    proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      tunnels.push(req.url ?? '');
      sockets.add(client);
      if (proxyAnswer === 0) {
        // a proxy that accepts and never answers (but reads, so it sees the client hang up)
        silentTunnels.push(new Promise((resolve) => client.once('end', () => resolve())));
        client.resume();
        return;
      }
      if (proxyAnswer !== 200) {
        client.end(
          `HTTP/1.1 ${proxyAnswer} Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n`,
        );
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxyPort = await listen(proxy);
  });

  beforeEach(() => {
    tunnels = [];
    silentTunnels = [];
    proxyAnswer = 200;
    for (const name of PROXY_VARIABLES) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
  });

  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });

  after(async () => {
    sockets.forEach((s) => s.destroy());
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await new Promise((resolve) => proxy.close(resolve));
    nock.activate();
  });

  const get = (url: string, options: Partial<HttpClientOptions>) =>
    testHttp({ retry: { maxAttempts: 1 }, ...options }).http.send({ method: 'GET', url });

  const failure = (url: string, options: Partial<HttpClientOptions>) =>
    get(url, options).then(
      () => expect.fail('the request should have failed'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(TransportError);
        return error as TransportError;
      },
    );

  describe('certificates', () => {
    it('refuses a certificate from an unknown CA, pointing at "Trust any certificate"', async () => {
      const error = await failure(`https://localhost:${targetPort}/v1.0/users`, {});
      expect(error.kind).to.equal('tls');
      expect(error.hint).to.include('"Trust any certificate (not secure)"');
    });

    it('accepts it when its CA is added with the ca option', async () => {
      const response = await get(`https://localhost:${targetPort}/v1.0/users`, { ca: certs.caPem });
      expect(JSON.parse(response.body)).to.deep.equal({ path: '/v1.0/users' });
    });

    it('accepts any certificate with insecure', async () => {
      const response = await get(`https://localhost:${targetPort}/v1.0/me`, { insecure: true });
      expect(response.status).to.equal(200);
    });
  });

  describe('system proxy', () => {
    const viaProxy = () => {
      process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
      process.env.HTTP_PROXY = `http://127.0.0.1:${proxyPort}`;
    };

    it('tunnels through HTTPS_PROXY with CONNECT when the proxy option is on', async () => {
      viaProxy();
      const response = await get(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        ca: certs.caPem,
      });
      expect(JSON.parse(response.body)).to.deep.equal({ path: '/v1.0/users' });
      expect(tunnels).to.deep.equal([`graph.test:${targetPort}`]);
    });

    it('reads a proxy variable without a scheme as http://', async () => {
      process.env.HTTPS_PROXY = `127.0.0.1:${proxyPort}`;
      const response = await get(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        ca: certs.caPem,
      });
      expect(response.status).to.equal(200);
      expect(tunnels).to.have.length(1);
    });

    it('still verifies the target certificate through the tunnel', async () => {
      viaProxy();
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, { proxy: true });
      expect(error.kind).to.equal('tls');
      expect(tunnels).to.have.length(1);
    });

    it('skips verification through the tunnel with insecure', async () => {
      viaProxy();
      const response = await get(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        insecure: true,
      });
      expect(response.status).to.equal(200);
    });

    it('ignores the proxy variables when the proxy option is off', async () => {
      viaProxy();
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: false,
        timeoutMs: 3_000,
      });
      // Direct: graph.test does not resolve, and the proxy never heard of it.
      expect(error.kind).to.equal('connection');
      expect(tunnels).to.deep.equal([]);
    });

    it('connects directly to hosts listed in NO_PROXY', async () => {
      viaProxy();
      process.env.NO_PROXY = 'graph.test';
      await failure(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        timeoutMs: 3_000,
      });
      expect(tunnels).to.deep.equal([]);
    });

    it('never sends loopback or link-local (IMDS) traffic to the proxy', async () => {
      viaProxy();
      const response = await get(`https://127.0.0.1:${targetPort}/metadata`, {
        proxy: true,
        ca: certs.caPem,
      });
      expect(response.status).to.equal(200);
      expect(tunnels).to.deep.equal([]);
    });

    it('reports a proxy that wants credentials as a proxy error', async () => {
      viaProxy();
      proxyAnswer = 407;
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        ca: certs.caPem,
      });
      expect(error.kind).to.equal('proxy');
      expect(error.message).to.include('requires authentication');
      expect(error.hint).to.include('"Use system proxy settings"');
    });

    it('times out on a proxy that never answers the CONNECT', async () => {
      viaProxy();
      proxyAnswer = 0;
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        timeoutMs: 200,
      });
      expect(error.kind).to.equal('timeout');
    });

    it('closes its socket to a proxy that never answers the CONNECT when the request times out (the process can exit)', async () => {
      viaProxy();
      proxyAnswer = 0;
      await failure(`https://graph.test:${targetPort}/v1.0/users`, {
        proxy: true,
        timeoutMs: 200,
      });
      expect(silentTunnels).to.have.length(1);
      // The client hung up: without that, this wait (and a CLI process) would never end.
      await silentTunnels[0];
    });

    it('reports a malformed HTTPS_PROXY as a proxy error naming the variable, not its value (was: only "Invalid URL")', async () => {
      process.env.HTTPS_PROXY = 'http://user:hunter2@[not-a-host';
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, { proxy: true });
      expect(error.kind).to.equal('proxy');
      expect(error.message).to.equal(
        `HTTPS_PROXY is not a valid proxy URL, so https://graph.test:${targetPort} cannot be reached through it.`,
      );
      expect(error.userMessage).not.to.include('hunter2');
      expect(tunnels).to.deep.equal([]);
    });

    it('reports an unreachable proxy as a proxy error without its credentials', async () => {
      const closed = createHttpServer();
      const closedPort = await listen(closed);
      await new Promise((resolve) => closed.close(resolve));
      process.env.HTTPS_PROXY = `http://user:hunter2@127.0.0.1:${closedPort}`;
      const error = await failure(`https://graph.test:${targetPort}/v1.0/users`, { proxy: true });
      expect(error.kind).to.equal('proxy');
      expect(error.userMessage).to.include(`http://127.0.0.1:${closedPort}`);
      expect(error.userMessage).not.to.include('hunter2');
    });
  });
});
