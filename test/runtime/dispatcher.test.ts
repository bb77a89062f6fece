import { chooseFlow } from '../../src/auth/flow.js';
import { handlersFrom } from '../../src/runtime/handlers.js';
import { expect } from 'chai';
import nock from 'nock';
import type { CompiledManifest } from '../../src/manifest/compiled.js';
import { dispatch, type DispatcherDeps } from '../../src/runtime/dispatcher.js';
import { UsageError, UserError } from '../../src/base/errors.js';
import type { Handler } from '../../src/command/handler.js';
import { silentLogger } from '../../src/base/log.js';
import { parseInstanceParams } from '../../src/base/params.js';
import { silentProgress } from '../../src/base/progress.js';
import { REDACTED, Redactor } from '../../src/base/redact.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { compileCommands } from '../helpers/manifest.js';

const CONFIGURATION = `
- name: self_deployed
  type: 8
- name: redirect_uri
  type: 0
- name: creds_auth_id
  type: 9
- name: creds_tenant_id
  type: 9
- name: creds_enc_key
  type: 9
- name: allow_secret_generators
  type: 8
  display: Allow secret generators commands execution
`;

const COMMANDS = `
- name: echo
  description: Echoes.
  arguments:
    - name: user
      description: User.
      required: true
    - name: password
      description: Secret.
      secret: true
- name: disable
  description: Disables users.
  arguments:
    - name: user
      description: Users.
      required: true
      x-bulk: true
- name: change-password
  description: Delegated only.
  x-delegated-only: true
- name: make-secret
  description: Gated.
  x-requires-param: allow_secret_generators
- name: later
  description: Not built yet.
`;

const clientCredentials = {
  self_deployed: true,
  creds_auth_id: 'client-id',
  creds_tenant_id: 'tenant-id',
  creds_enc_key: 'the-client-secret',
};

describe('dispatcher', () => {
  let compiled: CompiledManifest;
  let calls: string[];
  let graph: FakeGraph;

  before(async () => {
    compiled = await compileCommands(COMMANDS, CONFIGURATION);
    nock.disableNetConnect();
  });
  after(() => nock.enableNetConnect());

  const handlers: Record<string, Handler> = {
    echo: async ({ args }) => {
      calls.push(`echo:${String(args.user)}`);
      return { readable_output: `user ${String(args.user)} password ${String(args.password)}` };
    },
    disable: async ({ args, graph: view }) => {
      calls.push(`disable:${String(args.user)}`);
      if (args.user === 'bad@x') {
        throw new UserError(
          'Error in API call [404] - Request_ResourceNotFound: gone',
          'Check the user.',
        );
      }
      await view.request({
        method: 'PATCH',
        path: `users/${String(args.user)}`,
        body: { accountEnabled: false },
      });
      return {
        readable_output: `user: "${String(args.user)}" account has been disabled successfully.`,
      };
    },
    'change-password': async () => {
      calls.push('change-password');
      return 'changed';
    },
    'make-secret': async () => 'made',
    'test-module': async () => 'ok',
  };

  function deps(
    rawParams: Record<string, unknown> = clientCredentials,
    h = handlers,
  ): DispatcherDeps {
    const params = parseInstanceParams(rawParams, compiled.manifest);
    return {
      compiled,
      handler: handlersFrom(h),
      params,
      flow: chooseFlow(params),
      redactor: new Redactor(),
      log: silentLogger,
      progress: silentProgress,
      graph,
      contextFor: (command, args, view, outputsPrefix) =>
        ({ command, args, graph: view, outputsPrefix }) as never,
    };
  }

  beforeEach(() => {
    calls = [];
    graph = new FakeGraph();
  });

  it('answers invalid arguments with one error entry, without calling the handler or the network', async () => {
    const entries = await dispatch(deps(), 'echo', { usr: 'x' });
    expect(entries).to.deep.equal([
      {
        Type: 4,
        ContentsFormat: 'text',
        Contents:
          'Invalid arguments for echo: missing required argument "user"; unknown argument "usr". Did you mean "user"? Valid arguments: user, password.',
        HumanReadable: null,
        EntryContext: null,
      },
    ]);
    expect(calls).to.deep.equal([]);
    expect(graph.requests).to.deep.equal([]);
  });

  it('throws a usage error for an unknown command', async () => {
    const err = await dispatch(deps(), 'nope', {}).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.match(/^Unknown command "nope"\./);
  });

  it('answers an error entry for a declared command with no handler', async () => {
    const [entry] = await dispatch(deps(), 'later', {});
    expect(entry).to.include({
      Type: 4,
      Contents: 'later has no handler in this build of msgraph-user.',
    });
  });

  it('redacts secret argument values from every entry', async () => {
    const [entry] = await dispatch(deps(), 'echo', { user: 'a', password: 'Sup3rS3cret!' });
    expect(entry!.HumanReadable).to.equal(`user a password ${REDACTED}`);
  });

  it('refuses a delegated-only command under client credentials, before the handler runs', async () => {
    const [entry] = await dispatch(deps(), 'change-password', {});
    expect(entry!.Type).to.equal(4);
    expect(entry!.Contents).to.contain('change-password works only with delegated permissions');
    expect(entry!.Contents).to.contain('self-deployed app, client credentials (secret)');
    expect(entry!.Contents).to.contain('msgraph-user login');
    expect(calls).to.deep.equal([]);
  });

  it('refuses a delegated-only command under the Cortex XSOAR app flow', async () => {
    const [entry] = await dispatch(
      deps({ creds_auth_id: 'reg', creds_tenant_id: 'tok', creds_enc_key: 'a2V5a2V5a2V5a2V5' }),
      'change-password',
      {},
    );
    expect(entry!.Contents).to.contain('Cortex XSOAR Azure app');
    expect(calls).to.deep.equal([]);
  });

  it('runs a delegated-only command under the authorization code flow', async () => {
    const entries = await dispatch(
      deps({ ...clientCredentials, redirect_uri: 'http://localhost:8765/callback' }),
      'change-password',
      {},
    );
    expect(entries[0]!.Contents).to.equal('changed');
  });

  it('refuses a gated command until its parameter is selected', async () => {
    const [refused] = await dispatch(deps(), 'make-secret', {});
    expect(refused!.Contents).to.contain(
      '"Allow secret generators commands execution" parameter is not selected',
    );
    const [allowed] = await dispatch(
      deps({ ...clientCredentials, allow_secret_generators: true }),
      'make-secret',
      {},
    );
    expect(allowed!.Contents).to.equal('made');
  });

  it('runs a bulk command once per value through a batching view, in input order, keeping successes when one fails', async () => {
    const entries = await dispatch(deps(), 'disable', { user: 'a@x,bad@x,c@x' });
    expect(graph.batchingViews).to.equal(1);
    expect(graph.requests.map((r) => r.path)).to.deep.equal(['users/a@x', 'users/c@x']);
    expect(entries).to.have.length(2);
    expect(entries[0]!.HumanReadable).to.equal(
      '### disable for 3 users, 1 failed\n|User|Result|\n|---|---|\n' +
        '| a@x | user: "a@x" account has been disabled successfully. |\n' +
        '| c@x | user: "c@x" account has been disabled successfully. |\n',
    );
    expect(entries[1]).to.include({ Type: 4 });
    expect(entries[1]!.Contents).to.equal(
      'disable failed for 1 of 3:\n- bad@x: Error in API call [404] - Request_ResourceNotFound: gone Check the user.',
    );
  });

  it('runs a single bulk value without batching', async () => {
    const entries = await dispatch(deps(), 'disable', { user: 'a@x' });
    expect(graph.batchingViews).to.equal(0);
    expect(entries[0]!.HumanReadable).to.equal(
      'user: "a@x" account has been disabled successfully.',
    );
  });

  it('reports an unexpected exception as a bug, without a stack trace', async () => {
    const failing = {
      ...handlers,
      echo: async () => {
        throw new TypeError('x is undefined');
      },
    };
    const [entry] = await dispatch(deps(clientCredentials, failing), 'echo', { user: 'a' });
    expect(entry!.Contents).to.equal(
      'Unexpected error while running echo: x is undefined. Re-run with --debug for details, and please report it.',
    );
  });

  it('passes test-module only on the exact answer ok, like the XSOAR Test button', async () => {
    const passing = await dispatch(deps(), 'test-module', {});
    expect(passing).to.deep.equal([
      { Type: 1, ContentsFormat: 'text', Contents: 'ok', HumanReadable: null, EntryContext: null },
    ]);
    const explaining = { ...handlers, 'test-module': async () => 'Run msgraph-user login first.' };
    const [failed] = await dispatch(deps(clientCredentials, explaining), 'test-module', {});
    expect(failed).to.include({ Type: 4, Contents: 'Run msgraph-user login first.' });
  });

  it('shows a user error with its hint', async () => {
    const failing = {
      ...handlers,
      echo: async () => {
        throw new UserError('It failed.', 'Do this.');
      },
    };
    const [entry] = await dispatch(deps(clientCredentials, failing), 'echo', { user: 'a' });
    expect(entry!.Contents).to.equal('It failed.\nDo this.');
  });
});
