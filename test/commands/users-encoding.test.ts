/**
 * User values become exactly one encoded path segment: nothing a user types can reach another
 * resource (`../`), add a query (`?`), cut the path (`#`) or be decoded twice (`%2e`).
 */
import { expect } from 'chai';
import nock from 'nock';
import { isErrorEntry } from '../../src/command/entries.js';
import { GRAPH, commandRuntime } from './harness.js';

describe('msgraph-user-get: encoding of odd user values', () => {
  let received: string[];

  beforeEach(() => {
    nock.disableNetConnect();
    received = [];
    nock(GRAPH)
      .persist()
      .get(() => true)
      .query(true)
      .reply(function () {
        received.push(this.req.path);
        return [200, { id: 'x', displayName: 'X' }, { 'content-type': 'application/json' }];
      });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const long = 'a'.repeat(2000);
  const cases: [string, string][] = [
    ['../', '/v1.0/users/..%2F?$select=*'],
    ['%2e%2e/', '/v1.0/users/%252e%252e%2F?$select=*'],
    ['?x', '/v1.0/users/%3Fx?$select=*'],
    ['#x', '/v1.0/users/%23x?$select=*'],
    ["it's", "/v1.0/users/it's?$select=*"],
    ['ünï', '/v1.0/users/%C3%BCn%C3%AF?$select=*'],
    [long, `/v1.0/users/${long}?$select=*`],
  ];
  for (const [user, path] of cases) {
    it(`sends ${JSON.stringify(user.length > 20 ? `${user.slice(0, 8)}… (${user.length} characters)` : user)} as one segment`, async () => {
      const runtime = await commandRuntime();
      const entries = await runtime.run('msgraph-user-get', { user });
      expect(entries.some(isErrorEntry), JSON.stringify(entries)).to.equal(false);
      expect(received).to.deep.equal([path]);
    });
  }

  for (const user of ['.', '..']) {
    it(`refuses ${JSON.stringify(user)} without a request`, async () => {
      const runtime = await commandRuntime();
      const entries = await runtime.run('msgraph-user-get', { user });
      expect(entries).to.have.length(1);
      expect(isErrorEntry(entries[0]!)).to.equal(true);
      expect(String(entries[0]!.Contents)).to.equal(
        'Invalid arguments for msgraph-user-get: argument "user" cannot be "." or ".." (give the object ID, a GUID, or the user principal name).',
      );
      expect(received).to.deep.equal([]);
    });
  }
});
