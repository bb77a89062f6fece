/**
 * A run's data, for scripts and API clients: the command's context outputs as objects, or one
 * object per target saying what happened to it.
 */
import { expect } from 'chai';
import nock from 'nock';
import { commandData, nextPage } from '../../src/runtime/command-run.js';
import { commandRuntime, intercept } from '../commands/harness.js';
import { UserError } from '../../src/base/errors.js';
import { REDACTED } from '../../src/base/redact.js';
import { textEntry } from '../../src/command/entries.js';
import { fileEntry } from '../../src/command/files.js';
import { notFound } from '../../src/command/results.js';
import { GraphError } from '../../src/graph/errors.js';
import { ADELE, adeleContext, getAdele } from '../commands/specs/users-fixtures.js';

describe('command runs as data', () => {
  beforeEach(() => {
    // Suites that talk to real servers switch nock's interception off for a while.
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('gives the outputs of a read: the user object under the command prefix', async () => {
    intercept(getAdele);
    const run = await (await commandRuntime()).execute('msgraph-user-get', { user: ADELE });
    expect(run.results).to.have.length(1);
    expect(run.results[0], JSON.stringify(run.entries)).to.include({ target: ADELE, status: 'ok' });
    expect(commandData(run, 'MSGraphUser')).to.deep.equal([adeleContext]);
  });

  it('gives one object per target for a bulk action, each with its own status', async () => {
    const runtime = await commandRuntime({
      handlers: {
        'msgraph-user-account-disable': async (ctx) => {
          if (ctx.args.user === 'nobody@contoso.com') throw new UserError('No such user.');
          return `user: "${String(ctx.args.user)}" account has been disabled successfully.`;
        },
      },
    });
    const run = await runtime.execute('msgraph-user-account-disable', {
      user: `${ADELE},nobody@contoso.com`,
    });
    const data = commandData(run, '') as Record<string, unknown>[];
    expect(data).to.deep.equal([
      {
        user: ADELE,
        status: 'ok',
        message: `user: "${ADELE}" account has been disabled successfully.`,
      },
      { user: 'nobody@contoso.com', status: 'error', error: 'No such user.' },
    ]);
  });

  it('leaves the paging marker out of the items and reports it as the next page', async () => {
    const run = {
      command: 'msgraph-user-list',
      entries: [
        {
          Type: 1,
          ContentsFormat: 'json' as const,
          Contents: [],
          HumanReadable: '',
          EntryContext: {
            'MSGraphUser(val.ID && val.ID == obj.ID)': [
              { NextPage: 'https://graph.microsoft.com/v1.0/users?$skiptoken=x' },
              { ID: '1' },
            ],
          },
        },
      ],
      results: [],
    };
    run.results = [{ status: 'ok', entries: run.entries }] as never;
    expect(commandData(run, 'MSGraphUser')).to.deep.equal([{ ID: '1' }]);
    expect(nextPage(run, 'MSGraphUser')).to.equal(
      'https://graph.microsoft.com/v1.0/users?$skiptoken=x',
    );
  });

  it('gives no items for a listing that found none, and a status for an action without outputs', async () => {
    const runtime = await commandRuntime({
      handlers: {
        'msgraph-user-list': async () => ({
          readable_output: '### All Graph Users\n**No entries.**\n',
        }),
        'msgraph-user-session-revoke': async () => 'revoked',
      },
    });
    const list = await runtime.execute('msgraph-user-list', {
      filter: "startswith(displayName,'zz')",
    });
    expect(commandData(list, 'MSGraphUser')).to.deep.equal([]);
    const revoke = await runtime.execute('msgraph-user-session-revoke', { user: ADELE });
    expect(commandData(revoke, '')).to.deep.equal([
      { user: ADELE, status: 'ok', message: 'revoked' },
    ]);
  });

  it("redacts a run's entries once: the run and its one target share them", async () => {
    const runtime = await commandRuntime({
      secrets: ['S3cret-in-an-entry'],
      handlers: { 'msgraph-user-session-revoke': async () => 'said S3cret-in-an-entry' },
    });
    const run = await runtime.execute('msgraph-user-session-revoke', { user: ADELE });
    expect(run.entries[0]!.Contents).to.equal(`said ${REDACTED}`);
    expect(run.results[0]!.entries[0]).to.equal(run.entries[0]);
  });

  it('marks a not-found note not-found without changing its entry', async () => {
    const note = '#### User -> nobody@contoso.com does not exist';
    const runtime = await commandRuntime({
      handlers: { 'msgraph-user-session-revoke': async () => notFound(note) },
    });
    const run = await runtime.execute('msgraph-user-session-revoke', {
      user: 'nobody@contoso.com',
    });
    expect(run.entries).to.deep.equal([textEntry(note)]);
    expect(JSON.stringify(run.entries)).to.equal(JSON.stringify([textEntry(note)]));
    expect(run.results[0]!.status).to.equal('not-found');
    expect(commandData(run, '')).to.deep.equal([
      { user: 'nobody@contoso.com', status: 'not-found', message: note },
    ]);
  });

  it('marks a 404 that became an error entry (handle_error off) not-found too', async () => {
    const runtime = await commandRuntime({
      handlers: {
        'msgraph-user-session-revoke': async () => {
          throw new GraphError({
            status: 404,
            code: 'Request_ResourceNotFound',
            graphMessage: "Resource 'nobody@contoso.com' does not exist.",
          });
        },
      },
    });
    const run = await runtime.execute('msgraph-user-session-revoke', {
      user: 'nobody@contoso.com',
    });
    expect(run.entries[0]!.Type).to.equal(4);
    expect(run.results[0]!.status).to.equal('not-found');
    expect(commandData(run, '')[0]).to.include({ status: 'not-found' });
  });

  it("gives a file entry's saved path in the data", async () => {
    let saved = '';
    const runtime = await commandRuntime({
      handlers: {
        'msgraph-user-tap-policy-create': async (ctx) => {
          const file = await ctx.files.save('TAPPolicyInfo.zip', Buffer.from('PK'));
          saved = file.path;
          return fileEntry(file);
        },
      },
    });
    const run = await runtime.execute('msgraph-user-tap-policy-create', {
      user_id: ADELE,
      zip_password: 'Zip-Passw0rd-1',
    });
    const [item] = commandData(run, 'MSGraphUser.TAPPolicy') as Record<string, unknown>[];
    expect(item).to.include({ file: 'TAPPolicyInfo.zip', path: saved });
    expect(run.entries[0]).not.to.have.property('path');
  });

  it('hands streamed items to the sink, redacted, and keeps none in the run', async () => {
    const runtime = await commandRuntime({
      secrets: ['S3cret-in-a-row'],
      handlers: {
        'msgraph-user-list': async (ctx) => {
          await ctx.stream!([{ ID: '1', Note: 'S3cret-in-a-row' }]);
          await ctx.stream!([{ ID: '2' }]);
          return { readable_output: '### All Graph Users\n2 users.' };
        },
      },
    });
    const received: unknown[] = [];
    const run = await runtime.execute(
      'msgraph-user-list',
      { all: 'true' },
      {
        sink: async (items) => received.push(...items) > 0,
      },
    );
    expect(received).to.deep.equal([{ ID: '1', Note: REDACTED }, { ID: '2' }]);
    expect(run.streamed).to.equal(2);
    expect(commandData(run, 'MSGraphUser')).to.deep.equal([]);
  });

  it("forgets a run's secret arguments when runs are scoped (an engine), and keeps them otherwise", async () => {
    const handlers = { 'msgraph-user-change-password': async () => 'changed' };
    const flow = 'authorization-code' as const;
    const scoped = await commandRuntime({ handlers, flow, scopeSecretsPerRun: true });
    const session = await commandRuntime({ handlers, flow });
    for (const runtime of [scoped, session]) {
      const before = runtime.redactor.size;
      for (let i = 0; i < 5; i++) {
        const password = `N3w-Passw0rd-${i}!`;
        const run = await runtime.execute('msgraph-user-change-password', {
          user: ADELE,
          password,
        });
        expect(JSON.stringify(run)).to.not.contain(password);
      }
      // Each password registers in its encodings (here two distinct ones) unless scoped.
      const grew = runtime.redactor.size - before;
      expect(grew, runtime === scoped ? 'scoped' : 'session').to.equal(runtime === scoped ? 0 : 10);
    }
  });
});
