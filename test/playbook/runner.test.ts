import { expect } from 'chai';
import type { Manifest } from '../../src/manifest/types.js';
import { PlaybookError } from '../../src/playbook/load.js';
import { runPlaybook } from '../../src/playbook/runner.js';
import type { TaskResult } from '../../src/playbook/types.js';
import { Redactor } from '../../src/base/redact.js';
import {
  buildPlaybook,
  command,
  condition,
  contextEntry,
  failure,
  fakeRuntime,
  fromContext,
  script,
  start,
  title,
} from './support.js';

describe('playbook runner', () => {
  it('runs from starttaskid along #none#, reporting each task as it finishes', async () => {
    const playbook = buildPlaybook({
      0: start('1'),
      1: title('Section', '2'),
      2: command('msgraph-user-get', { user: { simple: 'kim' } }, '3'),
      3: { ...title('Section end'), type: 'section' },
    });
    const reported: string[] = [];
    const result = await runPlaybook(playbook, fakeRuntime(), {
      reporter: (t) => reported.push(`${t.id}:${t.status}`),
    });
    expect(result.status).to.equal('completed');
    expect(reported).to.deep.equal(['0:completed', '1:completed', '2:completed', '3:completed']);
    const task = result.tasks[2]!;
    expect(task).to.include({ id: '2', name: 'run msgraph-user-get', type: 'regular' });
    expect(task.command).to.equal('msgraph-user-get');
    expect(task.args).to.deep.equal({ user: 'kim' });
    expect(task.entries).to.have.length(1);
    expect(task.durationMs).to.be.a('number');
  });

  it('dispatches |||cmd and "Microsoft Graph User|||cmd" to the runtime with resolved arguments', async () => {
    const runtime = fakeRuntime({
      'msgraph-user-get': () => [contextEntry('MSGraphUser', { ID: 'u1', Name: 'Kim' })],
    });
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', { user: { simple: 'kim' } }, '2'),
      2: {
        ...command('msgraph-user-account-disable', { user: { simple: '${MSGraphUser.ID}' } }),
        task: { name: 'disable', script: 'Microsoft Graph User|||msgraph-user-account-disable' },
      },
    });
    const result = await runPlaybook(playbook, runtime);
    expect(result.status).to.equal('completed');
    expect(runtime.calls).to.deep.equal([
      { command: 'msgraph-user-get', args: { user: 'kim' } },
      { command: 'msgraph-user-account-disable', args: { user: 'u1' } },
    ]);
    expect(result.context).to.deep.equal({ MSGraphUser: { ID: 'u1', Name: 'Kim' } });
  });

  it('omits arguments left unset or whose reference is missing', async () => {
    const runtime = fakeRuntime();
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-list', {
        filter: {},
        limit: { simple: '${Nothing.Here}' },
        all: null,
      }),
    });
    await runPlaybook(playbook, runtime);
    expect(runtime.calls[0]!.args).to.deep.equal({});
  });

  it('fails the run at a command that returns an error entry, naming the task', async () => {
    const runtime = fakeRuntime({ 'msgraph-user-get': () => [failure('User kim was not found.')] });
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', { user: { simple: 'kim' } }, '2'),
      2: command('msgraph-user-delete'),
    });
    const result = await runPlaybook(playbook, runtime);
    expect(result.status).to.equal('failed');
    expect(result.error).to.equal('task 1 (run msgraph-user-get) failed: User kim was not found.');
    expect(result.tasks.map((t) => t.status)).to.deep.equal(['completed', 'failed']);
    expect(runtime.calls).to.have.length(1);
  });

  it('turns an exception from the runtime into a failed task', async () => {
    const runtime = fakeRuntime({
      'msgraph-user-get': () => {
        throw new Error('Unknown command "msgraph-user-get".');
      },
    });
    const playbook = buildPlaybook({ 0: start('1'), 1: command('msgraph-user-get') });
    const result = await runPlaybook(playbook, runtime);
    expect(result.tasks[1]).to.include({
      status: 'failed',
      error: 'Unknown command "msgraph-user-get".',
    });
  });

  it('takes #error# for a failed task with continueonerror', async () => {
    const runtime = fakeRuntime({ 'msgraph-user-get': () => [failure('boom')] });
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', {}, undefined, {
        continueonerror: true,
        nexttasks: { '#none#': ['2'], '#error#': ['3'] },
      }),
      2: title('happy path'),
      3: title('error path'),
    });
    const result = await runPlaybook(playbook, runtime);
    expect(result.status).to.equal('completed');
    expect(result.tasks.map((t) => `${t.id}:${t.status}`)).to.deep.equal([
      '0:completed',
      '1:error-branch',
      '3:completed',
    ]);
    expect(result.tasks[1]!.error).to.equal('boom');
  });

  it('continues along #none# after a failed task with continueonerror and no #error#', async () => {
    const runtime = fakeRuntime({ 'msgraph-user-get': () => [failure('boom')] });
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', {}, '2', { continueonerror: true }),
      2: title('next'),
    });
    const result = await runPlaybook(playbook, runtime);
    expect(result.status).to.equal('completed');
    expect(result.tasks.map((t) => `${t.id}:${t.status}`)).to.deep.equal([
      '0:completed',
      '1:failed',
      '2:completed',
    ]);
  });

  it('runs a task reached from two branches once when both are queued', async () => {
    const runtime = fakeRuntime();
    const playbook = buildPlaybook({
      0: { ...start('1'), nexttasks: { '#none#': ['1', '2'] } },
      1: command('msgraph-user-get', {}, '3'),
      2: command('msgraph-user-list', {}, '3'),
      3: command('msgraph-user-delete'),
    });
    const result = await runPlaybook(playbook, runtime);
    expect(runtime.calls.map((c) => c.command)).to.deep.equal([
      'msgraph-user-get',
      'msgraph-user-list',
      'msgraph-user-delete',
    ]);
    expect(result.status).to.equal('completed');
  });

  it('stops a looping flow after maxTaskRuns and reports the loop', async () => {
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', {}, '2'),
      2: condition([], { '#default#': ['1'] }),
    });
    const result = await runPlaybook(playbook, fakeRuntime(), { maxTaskRuns: 9 });
    expect(result.status).to.equal('failed');
    expect(result.tasks).to.have.length(9);
    expect(result.error).to.match(
      /^stopped after 9 task runs: the flow loops \(last tasks run: .*1 -> 2/,
    );
  });

  it('reads playbook inputs: defaults, --input overrides, and references to the context', async () => {
    const runtime = fakeRuntime();
    const playbook = buildPlaybook(
      {
        0: start('1'),
        1: script('Set', { key: { simple: 'Seen' }, value: { simple: 'from context' } }, '2'),
        2: command('msgraph-user-get', {
          user: { simple: '${inputs.user}' },
          properties: { simple: '${inputs.fields}' },
          filter: { simple: '${inputs.seen} in ${incident.id}' },
        }),
      },
      {
        inputs: [
          { key: 'user', value: { simple: 'kim' }, description: '' },
          { key: 'fields', value: { simple: 'id' }, description: '' },
          { key: 'seen', value: { simple: '${Seen}' }, description: '' },
        ],
      },
    );
    await runPlaybook(playbook, runtime, { inputs: { fields: 'id,mail' } });
    expect(runtime.calls[0]!.args).to.deep.equal({
      user: 'kim',
      properties: 'id,mail',
      filter: 'from context in 1',
    });
  });

  it('refuses unknown and missing required inputs before anything runs', async () => {
    const runtime = fakeRuntime();
    const playbook = buildPlaybook(
      { 0: start('1'), 1: command('msgraph-user-get') },
      { inputs: [{ key: 'user', required: true, value: {}, description: '' }] },
    );
    const error = await runPlaybook(playbook, runtime, { inputs: { usr: 'kim' } }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PlaybookError);
    expect((error as Error).message)
      .to.include('--input usr: the playbook has no input "usr" (inputs: user)')
      .and.include('input "user" is required: pass --input user=VALUE');
    expect(runtime.calls).to.have.length(0);
  });

  it('refuses commands the runtime manifest does not declare, before anything runs', async () => {
    const runtime = {
      ...fakeRuntime(),
      manifest: { script: { commands: [{ name: 'msgraph-user-get' }] } } as unknown as Manifest,
    };
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', {}, '2'),
      2: command('msgraph-user-gte'),
    });
    const error = await runPlaybook(playbook, runtime).catch((e: unknown) => e);
    expect((error as Error).message).to.include(
      'task 2 (run msgraph-user-gte): unknown command "msgraph-user-gte"',
    );
  });

  it('shows arguments with secrets redacted', async () => {
    const redactor = new Redactor();
    redactor.add('hunter2-secret');
    const runtime = {
      ...fakeRuntime(),
      redactor,
      manifest: {
        script: {
          commands: [
            {
              name: 'msgraph-user-change-password',
              arguments: [{ name: 'password', secret: true }, { name: 'user' }],
            },
          ],
        },
      } as unknown as Manifest,
    };
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-change-password', {
        user: { simple: 'kim hunter2-secret' },
        password: { simple: 'Pa55word!!' },
      }),
    });
    const result = await runPlaybook(playbook, runtime);
    expect(result.tasks[1]!.args).to.deep.equal({ user: 'kim <redacted>', password: '<redacted>' });
    expect(runtime.calls[0]!.args.password).to.equal('Pa55word!!');
  });

  it('redacts a secret that Set copied into the context from the returned context and from script entries (was: shown in the final "Context:" dump)', async () => {
    const redactor = new Redactor();
    const runtime = {
      ...fakeRuntime({
        // As the dispatcher does: a secret argument is registered before anything can echo it.
        'msgraph-user-change-password': (args) => {
          redactor.add(args.password);
          return [];
        },
      }),
      redactor,
    };
    const playbook = buildPlaybook({
      0: start('1'),
      1: script('Set', { key: { simple: 'Copy' }, value: { simple: 'Pa55word-copied' } }, '2'),
      2: command(
        'msgraph-user-change-password',
        { user: { simple: 'kim' }, password: { simple: '${Copy}' } },
        '3',
      ),
      3: {
        ...script('VerifyContext', { path: { simple: 'Copy' }, expectedValue: { simple: 'x' } }),
        continueonerror: true,
      },
    });
    const result = await runPlaybook(playbook, runtime);
    expect(runtime.calls[0]!.args.password, 'tasks see the real value').to.equal('Pa55word-copied');
    expect(result.context).to.deep.equal({ Copy: '<redacted>' });
    expect(JSON.stringify(result.tasks[3]!.entries)).not.to.include('Pa55word-copied');
    expect(result.tasks[3]!.error).to.equal('VerifyContext: Copy is "<redacted>", expected "x".');
  });

  it('treats an input that feeds a secret argument as a secret from the first task on (was: shown by a Set that ran before the command)', async () => {
    const redactor = new Redactor();
    const runtime = {
      ...fakeRuntime(),
      redactor,
      manifest: {
        script: {
          commands: [
            {
              name: 'msgraph-user-change-password',
              arguments: [{ name: 'password', secret: true }, { name: 'user' }],
            },
          ],
        },
      } as unknown as Manifest,
    };
    const playbook = buildPlaybook(
      {
        0: start('1'),
        1: script('Set', { key: { simple: 'Copy' }, value: { simple: '${inputs.pw}' } }, '2'),
        2: command('msgraph-user-change-password', {
          user: { simple: '${inputs.who}' },
          password: { complex: { root: 'inputs.pw' } },
        }),
      },
      {
        inputs: [
          { key: 'pw', value: {}, required: true },
          { key: 'who', value: { simple: 'kim' }, required: false },
        ],
      },
    );
    const result = await runPlaybook(playbook, runtime, { inputs: { pw: 'Input-Pa55word' } });
    expect(result.tasks[1]!.args).to.deep.equal({ key: 'Copy', value: '<redacted>' });
    expect(result.tasks[2]!.args).to.deep.equal({ user: 'kim', password: '<redacted>' });
    expect(runtime.calls[0]!.args.password).to.equal('Input-Pa55word');
  });

  it('skips a task of another brand marked skipunavailable and carries on', async () => {
    const playbook = buildPlaybook({
      0: start('1'),
      1: {
        ...command('ad-get-user', {}, '2', { skipunavailable: true }),
        task: { name: 'AD', script: 'Active Directory Query v2|||ad-get-user' },
      },
      2: title('after'),
    });
    const result = await runPlaybook(playbook, fakeRuntime());
    expect(result.status).to.equal('completed');
    expect(result.tasks[1]).to.include({ status: 'skipped' });
    expect(result.tasks[1]!.error).to.include(
      'brand "Active Directory Query v2" is not this integration',
    );
  });

  it('takes the first condition label that holds, else #default#', async () => {
    const run = async (count: number) => {
      const playbook = buildPlaybook({
        0: start('1'),
        1: script('Set', { key: { simple: 'N' }, value: { simple: String(count) } }, '2'),
        2: condition(
          [
            { label: 'many', condition: [[fromContext('greaterThan', 'N', '10')]] },
            { label: 'some', condition: [[fromContext('greaterThan', 'N', '0')]] },
          ],
          { many: ['3'], some: ['4'], '#default#': ['5'] },
        ),
        3: title('many'),
        4: title('some'),
        5: title('none'),
      });
      const result = await runPlaybook(playbook, fakeRuntime());
      const check = result.tasks.find((t) => t.type === 'condition') as TaskResult;
      return [check.branch, result.tasks[result.tasks.length - 1]!.name];
    };
    expect(await run(20)).to.deep.equal(['many', 'many']);
    expect(await run(3)).to.deep.equal(['some', 'some']);
    expect(await run(0)).to.deep.equal(['#default#', 'none']);
  });

  it('ends a branch whose condition label has no next task', async () => {
    const playbook = buildPlaybook({
      0: start('1'),
      1: condition([{ label: 'yes', condition: [] }], { '#default#': ['2'] }),
      2: command('msgraph-user-delete'),
    });
    const runtime = fakeRuntime();
    const result = await runPlaybook(playbook, runtime);
    expect(result.status).to.equal('completed');
    expect(result.tasks[1]!.branch).to.equal('yes');
    expect(runtime.calls).to.have.length(0);
  });

  it('fails a task when the network monitor reports a problem, even with continueonerror', async () => {
    const playbook = buildPlaybook({
      0: start('1'),
      1: command('msgraph-user-get', {}, '2', { continueonerror: true }),
      2: title('after'),
    });
    const seen: string[] = [];
    const monitor = {
      beginTask: (t: { id: string; name: string }) => void seen.push(`begin ${t.id}`),
      endTask: async () => (seen.push('end'), ['no recorded exchange left for GET https://x/y']),
    };
    const result = await runPlaybook(playbook, fakeRuntime(), { monitor });
    expect(seen).to.deep.equal(['begin 1', 'end']);
    expect(result.status).to.equal('failed');
    expect(result.tasks[1]!.error).to.equal('no recorded exchange left for GET https://x/y');
  });
});
