import { expect } from 'chai';
import nock from 'nock';
import { graphPath, odataString } from '../../src/graph/path.js';
import { UserError } from '../../src/base/errors.js';
import { useNock } from '../http/support.js';
import { GRAPH, testGraph } from './support.js';

describe('graph paths', () => {
  useNock();

  /** Sends GET graphPath`users/${id}/manager` and returns the path Graph received. */
  async function receivedPath(id: string): Promise<string> {
    let received = '';
    nock(GRAPH)
      .get(() => true)
      .reply(function (uri) {
        received = uri;
        return [200, {}];
      });
    await testGraph().graph.request({ method: 'GET', path: graphPath`users/${id}/manager` });
    return received;
  }

  it('encodes a value with ../ as one segment, so it cannot climb to another resource', async () => {
    expect(await receivedPath('../me')).to.equal('/v1.0/users/..%2Fme/manager');
  });

  it('keeps an already-encoded %2e%2e/ literal (the % is encoded too)', async () => {
    expect(await receivedPath('%2e%2e/')).to.equal('/v1.0/users/%252e%252e%2F/manager');
  });

  it('encodes ? and # so they cannot start a query or a fragment', async () => {
    expect(await receivedPath('a?$select=passwordProfile#x')).to.equal(
      '/v1.0/users/a%3F%24select%3DpasswordProfile%23x/manager',
    );
  });

  it('encodes the #EXT# of a guest UPN (docs: user-get.md)', async () => {
    expect(await receivedPath('AdeleV_adatum.com#EXT#@contoso.com')).to.equal(
      '/v1.0/users/AdeleV_adatum.com%23EXT%23%40contoso.com/manager',
    );
  });

  it('leaves an apostrophe in a UPN as it is', async () => {
    expect(await receivedPath("o'brien@contoso.com")).to.equal(
      "/v1.0/users/o'brien%40contoso.com/manager",
    );
  });

  it('encodes unicode as UTF-8', async () => {
    expect(await receivedPath('józef.müller@contoso.com')).to.equal(
      '/v1.0/users/j%C3%B3zef.m%C3%BCller%40contoso.com/manager',
    );
  });

  it('sends a 2,000-character id whole', async () => {
    const id = 'a'.repeat(1990) + '/b?c#d';
    expect(await receivedPath(id)).to.equal(`/v1.0/users/${'a'.repeat(1990)}%2Fb%3Fc%23d/manager`);
  });

  it("uses the users('$x') form for an id starting with $ (Graph reads /users/$x as a system segment)", async () => {
    expect(await receivedPath("$adele's@contoso.com")).to.equal(
      "/v1.0/users('$adele''s%40contoso.com')/manager",
    );
  });

  for (const bad of ['', '.', '..']) {
    it(`refuses ${JSON.stringify(bad)} as a segment, naming it, without sending anything`, async () => {
      const { graph, auth } = testGraph();
      const error = await Promise.resolve()
        .then(() => graph.request({ method: 'GET', path: graphPath`users/${bad}` }))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UserError);
      expect((error as UserError).message).to.include(bad === '' ? 'an empty value' : `"${bad}"`);
      expect(auth.called).to.equal(false);
    });
  }

  it('accepts numbers', () => {
    expect(graphPath`users/${'a b'}/items/${3}`).to.equal('users/a%20b/items/3');
  });

  describe('odataString', () => {
    it('quotes and doubles apostrophes', () => {
      expect(odataString("O'Neil")).to.equal("'O''Neil'");
      expect(odataString('')).to.equal("''");
    });

    it('keeps an injection attempt inside one literal, as Graph receives it', async () => {
      let filter: unknown;
      nock(GRAPH)
        .get('/v1.0/users')
        .query((q) => {
          filter = q.$filter;
          return true;
        })
        .reply(200, { value: [] });
      const hostile = "x' or 1 eq 1 or '";
      await testGraph().graph.request({
        method: 'GET',
        path: 'users',
        query: { $filter: `userPrincipalName eq ${odataString(hostile)}` },
      });
      expect(filter).to.equal("userPrincipalName eq 'x'' or 1 eq 1 or '''");
    });
  });
});
