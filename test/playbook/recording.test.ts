import { expect } from 'chai';
import { toExchange } from '../../src/playbook/recording.js';
import { Scrubber } from '../../src/playbook/scrub.js';

describe('recorded exchanges', () => {
  it('keeps three response headers, scrubs and normalises', () => {
    const exchange = toExchange(
      {
        method: 'POST',
        url: 'https://graph.example:443/v1.0/users?$top=5&client-request-id=abc&$filter=a%20eq%201',
        headers: { Authorization: 'Bearer tok-123456' },
        body: { createdDateTime: '2025-03-01T10:00:00Z', password: 'Secret-123' },
      },
      {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'retry-after': '2',
          'request-id': 'r-1',
          date: 'Mon, 03 Mar 2025 10:00:00 GMT',
        },
        body: JSON.stringify({ value: [{ id: 'u1' }], access_token: 'tok-123456' }),
        retries: 0,
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
      { method: 'POST', url: 'http://127.0.0.1:8080/t', body: 'b=2&a=1&a=3' },
      { status: 200, headers: {}, body: 'ok', retries: 0 },
      new Scrubber(),
      [],
    );
    expect(exchange.request).to.deep.include({ body: { a: ['1', '3'], b: '2' }, bodyType: 'form' });
    expect(exchange.response).to.deep.equal({ status: 200, body: 'ok', bodyType: 'text' });
  });
});
