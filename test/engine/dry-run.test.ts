import { expect } from 'chai';
import { resolveCloud } from '../../src/auth/clouds.js';
import type { VersionedContext } from '../../src/base/integration-context.js';
import type { InstanceState } from '../../src/command/handler.js';
import { DryRunHalt, DryRuns } from '../../src/engine/dry-run.js';
import { upstreamClassifier } from '../../src/engine/upstream.js';
import type { HttpClient, HttpRequest } from '../../src/http/types.js';

const cloud = resolveCloud({});
const GRAPH = 'https://graph.microsoft.com/v1.0';

function network() {
  const sent: string[] = [];
  const client: HttpClient = {
    async send(request: HttpRequest) {
      sent.push(`${request.method} ${request.url}`);
      return { status: 200, headers: {}, body: '{}', retries: 0 };
    },
  };
  return { client, sent };
}

function memoryState(
  context: Record<string, unknown>,
): InstanceState & { saved: VersionedContext } {
  const state = {
    saved: { version: 1, context },
    get: async () => state.saved,
    async update(
      mutate: (
        c: Record<string, unknown>,
      ) => Record<string, unknown> | Promise<Record<string, unknown>>,
    ) {
      state.saved = {
        version: state.saved.version + 1,
        context: await mutate({ ...state.saved.context }),
      };
    },
  };
  return state;
}

describe('dry runs', () => {
  const dryRuns = new DryRuns();
  const { client, sent } = network();
  const http = dryRuns.transport(client, upstreamClassifier(cloud));
  beforeEach(() => sent.splice(0));

  it('lets reads and token requests out, and stops at the first change without sending it', async () => {
    const { result, scope } = await dryRuns.run(async () => {
      await http.send({ method: 'GET', url: `${GRAPH}/users/a` });
      await http.send({
        method: 'POST',
        url: `${cloud.loginUrl}/t/oauth2/v2.0/token`,
        body: 'x=1',
      });
      try {
        await http.send({
          method: 'PATCH',
          url: `${GRAPH}/users/a`,
          body: JSON.stringify({ accountEnabled: false }),
        });
        return 'sent';
      } catch (error) {
        return error instanceof DryRunHalt ? error.message : 'other';
      }
    });
    expect(sent).to.deep.equal([
      `GET ${GRAPH}/users/a`,
      `POST ${cloud.loginUrl}/t/oauth2/v2.0/token`,
    ]);
    expect(scope.requests).to.deep.equal([
      { method: 'PATCH', url: `${GRAPH}/users/a`, body: { accountEnabled: false } },
    ]);
    expect(result).to.equal(`Dry run: PATCH ${GRAPH}/users/a was not sent; nothing was changed.`);
    expect([...scope.halts]).to.deep.equal([result]);
  });

  it('sends changes as usual outside a dry run, even while one runs beside it', async () => {
    let release!: () => void;
    const dry = dryRuns.run(() => new Promise<void>((resolve) => (release = resolve)));
    await http.send({ method: 'DELETE', url: `${GRAPH}/users/b` });
    release();
    await dry;
    expect(sent).to.deep.equal([`DELETE ${GRAPH}/users/b`]);
  });

  it('sends a $batch of reads, and records each change of a $batch with changes instead', async () => {
    const reads = { requests: [{ id: '1', method: 'GET', url: '/users/a' }] };
    const changes = {
      requests: [
        { id: '1', method: 'PATCH', url: '/users/a', body: { accountEnabled: false } },
        { id: '2', method: 'PATCH', url: '/users/b', body: { accountEnabled: false } },
      ],
    };
    const { result, scope } = await dryRuns.run(async () => {
      await http.send({ method: 'POST', url: `${GRAPH}/$batch`, body: JSON.stringify(reads) });
      return http
        .send({ method: 'POST', url: `${GRAPH}/$batch`, body: JSON.stringify(changes) })
        .then(
          () => 'sent',
          (error: Error) => error.message,
        );
    });
    expect(sent).to.deep.equal([`POST ${GRAPH}/$batch`]);
    expect(scope.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      `PATCH ${GRAPH}/users/a`,
      `PATCH ${GRAPH}/users/b`,
    ]);
    expect(result).to.equal(
      'Dry run: 2 changes in one $batch request were not sent; nothing was changed.',
    );
  });

  it('keeps state writes of a dry run in a copy, and names the keys they would change', async () => {
    const store = memoryState({ access_token: 'tok', other: 1 });
    const state = dryRuns.state(store);
    const { scope } = await dryRuns.run(async () => {
      await state.update((context) => {
        delete context.access_token;
        return { ...context, mfa_client_secret: { secret: 's' } };
      });
      expect((await state.get()).context).to.deep.equal({
        other: 1,
        mfa_client_secret: { secret: 's' },
      });
    });
    expect(store.saved).to.deep.equal({ version: 1, context: { access_token: 'tok', other: 1 } });
    expect([...scope.stateKeys].sort()).to.deep.equal(['access_token', 'mfa_client_secret']);
    await state.update((context) => ({ ...context, other: 2 }));
    expect(store.saved.context.other).to.equal(2);
  });
});
