/**
 * A run's data, for scripts and API clients: the command's context outputs as objects, or one
 * object per target saying what happened to it.
 */
import { expect } from 'chai';
import nock from 'nock';
import { commandData, nextPage } from '../../src/runtime/command-run.js';
import { commandRuntime, intercept } from '../commands/harness.js';
import { UserError } from '../../src/base/errors.js';
import { ADELE, adeleContext, getAdele } from '../commands/specs/users-fixtures.js';

describe('command runs as data', () => {
  beforeEach(() => nock.disableNetConnect());
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
});
