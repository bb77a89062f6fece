/**
 * Bulk user commands: `user=a,b,c` runs the handler per user through the batching Graph view, so
 * 100 users cost five $batch calls of 20, and one user's failure never fails the others.
 */
import { expect } from 'chai';
import nock from 'nock';
import { isErrorEntry } from '../../src/command/entries.js';
import { GRAPH, TEST_TOKEN, commandRuntime, graphError } from './harness.js';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
}

const users = Array.from({ length: 100 }, (_, i) => `user${i}@contoso.com`);
const MISSING = 'user42@contoso.com';

describe('msgraph-user-account-disable for 100 users', () => {
  let calls: BatchItem[][];

  beforeEach(() => {
    nock.disableNetConnect();
    calls = [];
    nock(GRAPH, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } })
      .persist()
      .post('/v1.0/$batch')
      .reply((_uri, body) => {
        const { requests } = body as { requests: BatchItem[] };
        calls.push(requests);
        const responses = requests.map((item) =>
          item.url === `/users/${encodeURIComponent(MISSING)}`
            ? {
                id: item.id,
                status: 404,
                headers: { 'Content-Type': 'application/json' },
                body: graphError(
                  404,
                  'Request_ResourceNotFound',
                  `Resource '${MISSING}' does not exist.`,
                ),
              }
            : { id: item.id, status: 204 },
        );
        return [200, { responses }, { 'content-type': 'application/json' }];
      });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('makes at most 5 requests, each a $batch of PATCH accountEnabled=false', async () => {
    const runtime = await commandRuntime();
    await runtime.run('msgraph-user-account-disable', { user: users.join(',') });
    expect(calls.length).to.be.at.most(5);
    const items = calls.flat();
    expect(items).to.have.length(100);
    for (const item of items) {
      expect(item.method).to.equal('PATCH');
      expect(item.body).to.deep.equal({ accountEnabled: false });
    }
    expect(items.map((i) => i.url).sort()).to.deep.equal(
      users.map((u) => `/users/${encodeURIComponent(u)}`).sort(),
    );
  });

  it('notes the missing user (handle_error) and disables the 99 others', async () => {
    const runtime = await commandRuntime();
    const entries = await runtime.run('msgraph-user-account-disable', { user: users.join(',') });
    expect(entries).to.have.length(1);
    const table = String(entries[0]!.HumanReadable);
    expect(table).to.contain('msgraph-user-account-disable for 100 users');
    expect(table).to.contain(`| ${MISSING} | Does not exist |`);
    expect(table.match(/\| Disabled \|/g)).to.have.length(99);
    // Rows keep the input order.
    expect(table.indexOf('| user41@contoso.com |')).to.be.lessThan(table.indexOf(`| ${MISSING} |`));
  });

  it('reports only the missing user as failed when handle_error is off', async () => {
    const runtime = await commandRuntime({ params: { handle_error: false } });
    const entries = await runtime.run('msgraph-user-account-disable', { user: users.join(',') });
    expect(entries).to.have.length(2);
    expect(String(entries[0]!.HumanReadable)).to.contain(
      'msgraph-user-account-disable for 100 users, 1 failed',
    );
    expect(isErrorEntry(entries[1]!)).to.equal(true);
    const failure = String(entries[1]!.Contents);
    expect(failure)
      .to.contain('failed for 1 of 100')
      .and.contain(`- ${MISSING}: Error in API call [404]`);
  });
});
