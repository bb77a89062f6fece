import { expect } from 'chai';
import nock from 'nock';
import type { GraphPage } from '../../src/graph/types.js';
import { UserError } from '../../src/base/errors.js';
import type { Progress } from '../../src/base/progress.js';
import { useNock } from '../http/support.js';
import { GRAPH, testGraph } from './support.js';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#users';
const link = (token: string) => `${GRAPH}/v1.0/users?$top=2&$count=true&$skiptoken=${token}`;
const user = (n: number) => ({ id: `id-${n}`, displayName: `User ${n}` });

async function collect<T>(pages: AsyncIterable<GraphPage<T>>): Promise<GraphPage<T>[]> {
  const out: GraphPage<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

function recordingProgress(): { progress: Progress; events: string[] } {
  const events: string[] = [];
  return {
    events,
    progress: {
      begin(label) {
        events.push(`begin ${label}`);
        return {
          advance: (by = 1, detail) => events.push(`+${by} ${detail ?? ''}`.trim()),
          end: () => events.push('end'),
        };
      },
    },
  };
}

describe('graph paging', () => {
  useNock();
  const eventual = { reqheaders: { consistencylevel: 'eventual' } };
  const first = {
    method: 'GET' as const,
    path: 'users',
    query: { $top: 2, $count: 'true' },
    headers: { ConsistencyLevel: 'eventual' },
  };

  it('follows every nextLink with all, resending ConsistencyLevel on each page', async () => {
    nock(GRAPH, eventual)
      .get('/v1.0/users?$top=2&$count=true')
      .reply(200, {
        '@odata.context': CONTEXT,
        '@odata.count': 5,
        '@odata.nextLink': link('p2'),
        value: [user(1), user(2)],
      })
      .get('/v1.0/users?$top=2&$count=true&$skiptoken=p2')
      .reply(200, {
        '@odata.context': CONTEXT,
        '@odata.nextLink': link('p3'),
        value: [user(3), user(4)],
      })
      .get('/v1.0/users?$top=2&$count=true&$skiptoken=p3')
      .reply(200, { '@odata.context': CONTEXT, value: [user(5)] });
    const { progress, events } = recordingProgress();
    const pages = await collect(testGraph({ progress }).graph.pages(first, { all: true }));
    expect(pages.map((p) => p.items.length)).to.deep.equal([2, 2, 1]);
    expect(pages[0]).to.deep.include({
      count: 5,
      nextLink: link('p2'),
      annotations: { '@odata.context': CONTEXT },
    });
    expect(pages[2]!.nextLink).to.equal(undefined);
    expect(events).to.deep.equal([
      'begin Fetching pages',
      '+2 page 1',
      '+2 page 2',
      '+1 page 3',
      'end',
    ]);
  });

  it('returns the first page only without all, with its nextLink', async () => {
    nock(GRAPH, eventual)
      .get('/v1.0/users?$top=2&$count=true')
      .reply(200, { '@odata.nextLink': link('p2'), value: [user(1), user(2)] });
    const pages = await collect(testGraph().graph.pages(first));
    expect(pages).to.have.length(1);
    expect(pages[0]!.nextLink).to.equal(link('p2'));
  });

  it('yields each page before fetching the next, so a consumer can stop early', async () => {
    nock(GRAPH)
      .get('/v1.0/users?$top=2&$count=true')
      .reply(200, { '@odata.nextLink': link('p2'), value: [user(1)] });
    const seen: string[] = [];
    for await (const page of testGraph().graph.pages(first, { all: true })) {
      seen.push(...page.items.map((u) => String(u.id)));
      break;
    }
    expect(seen).to.deep.equal(['id-1']);
  });

  it('keeps the deltaLink of the last page', async () => {
    nock(GRAPH)
      .get('/v1.0/users/delta')
      .reply(200, { '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=abc`, value: [] });
    const [page] = await collect(
      testGraph().graph.pages({ method: 'GET', path: 'users/delta' }, { all: true }),
    );
    expect(page!.deltaLink).to.equal(`${GRAPH}/v1.0/users/delta?$deltatoken=abc`);
  });

  it('stops when Graph hands out the same nextLink twice', async () => {
    nock(GRAPH)
      .get('/v1.0/users?$top=2&$count=true')
      .reply(200, { '@odata.nextLink': link('loop'), value: [user(1)] })
      .get('/v1.0/users?$top=2&$count=true&$skiptoken=loop')
      .reply(200, { '@odata.nextLink': link('loop'), value: [user(2)] });
    const error = await collect(testGraph().graph.pages(first, { all: true })).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(UserError);
    expect((error as UserError).message).to.include('same next-page link twice');
  });

  it('refuses a nextLink on another host without requesting it', async () => {
    nock(GRAPH)
      .get('/v1.0/users?$top=2&$count=true')
      .reply(200, {
        '@odata.nextLink': 'https://attacker.example/v1.0/users?$skiptoken=x',
        value: [user(1)],
      });
    const error = await collect(testGraph().graph.pages(first, { all: true })).catch(
      (e: unknown) => e,
    );
    expect((error as UserError).message).to.include(
      'Refusing to send the Graph access token to https://attacker.example',
    );
  });

  it('explains an answer that is not a collection', async () => {
    nock(GRAPH).get('/v1.0/users/adele').reply(200, user(1));
    const error = await collect(
      testGraph().graph.pages({ method: 'GET', path: 'users/adele' }),
    ).catch((e: unknown) => e);
    expect((error as UserError).message).to.include('without a "value" list');
  });
});
