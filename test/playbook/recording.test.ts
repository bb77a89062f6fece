import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { toExchange } from '../../src/playbook/recording.js';
import { Scrubber } from '../../src/playbook/scrub.js';

describe('recorded exchanges', () => {
  it('decodes compressed bodies, keeps three response headers, scrubs and normalises', () => {
    const body = gzipSync(JSON.stringify({ value: [{ id: 'u1' }], access_token: 'tok-123456' }));
    const exchange = toExchange(
      {
        scope: 'https://graph.example:443',
        method: 'post',
        path: '/v1.0/users?$top=5&client-request-id=abc&$filter=a%20eq%201',
        body: { createdDateTime: '2025-03-01T10:00:00Z', password: 'Secret-123' },
        status: 429,
        response: [body.subarray(0, 10).toString('hex'), body.subarray(10).toString('hex')],
        rawHeaders: {
          'content-encoding': 'gzip',
          'content-type': 'application/json',
          'retry-after': '2',
          'request-id': 'r-1',
          date: 'Mon, 03 Mar 2025 10:00:00 GMT',
        },
      },
      new Scrubber(),
      [],
      '3 Get users',
    );
    expect(exchange).to.deep.equal({
      task: '3 Get users',
      request: {
        method: 'POST',
        origin: 'https://graph.example',
        path: '/v1.0/users',
        query: { $filter: 'a eq 1', $top: '5', 'client-request-id': '<volatile>' },
        body: { createdDateTime: '<timestamp>', password: '<password>' },
        bodyType: 'json',
      },
      response: {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '2' },
        body: { value: [{ id: 'u1' }], access_token: '<access_token:1>' },
        bodyType: 'json',
      },
    });
  });

  it('stores form bodies as fields and plain text as text', () => {
    const exchange = toExchange(
      {
        scope: 'http://127.0.0.1:8080',
        method: 'POST',
        path: '/t',
        body: 'b=2&a=1&a=3',
        status: 200,
        response: 'ok',
      },
      new Scrubber(),
      [],
    );
    expect(exchange.request).to.deep.include({ body: { a: ['1', '3'], b: '2' }, bodyType: 'form' });
    expect(exchange.response).to.deep.equal({ status: 200, body: 'ok', bodyType: 'text' });
  });
});
