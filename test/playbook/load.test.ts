import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cleanFilename,
  loadPlaybook,
  parsePlaybook,
  PlaybookError,
} from '../../src/playbook/load.js';
import { UsageError } from '../../src/base/errors.js';
import { command, condition, fromContext, playbookData, script, start } from './support.js';

function problems(data: unknown): string[] {
  try {
    parsePlaybook(data, 'pb.yml');
  } catch (err) {
    if (err instanceof PlaybookError) return err.problems;
    throw err;
  }
  return [];
}

describe('playbook loader', () => {
  it('loads the example test playbook, with every task id as a string', async () => {
    const playbook = await loadPlaybook('test/playbook/fixtures/offboarding.yml');
    expect(playbook.id).to.equal('MSGraphUser Offboarding (Test)');
    expect(playbook.starttaskid).to.equal('0');
    expect(Object.keys(playbook.tasks)).to.have.length(10);
    expect(playbook.tasks['4']!.nexttasks).to.deep.equal({ yes: ['5'], '#default#': ['9'] });
  });

  it('accepts numeric ids and targets as YAML writes them', () => {
    const data = playbookData({
      0: { type: 'start', task: {}, nexttasks: { '#none#': [1] } },
      1: { type: 'title', task: {} },
    });
    (data.tasks as Record<string, Record<string, unknown>>)['1']!.id = 1;
    const playbook = parsePlaybook({ ...data, starttaskid: 0 }, 'pb.yml');
    expect(playbook.tasks['0']!.nexttasks).to.deep.equal({ '#none#': ['1'] });
    expect(playbook.tasks['1']!.id).to.equal('1');
  });

  it('reports shape errors with their path', () => {
    expect(problems({ id: 'x', name: 'x', tasks: {} })).to.deep.equal([
      '(top level): needs "starttaskid"',
      'tasks: must NOT have fewer than 1 properties',
    ]);
    const typo = playbookData({
      0: start('1'),
      1: command('msgraph-user-get', { user: { simpel: 'kim' } }),
    });
    expect(problems(typo)).to.deep.include('tasks.1.scriptarguments.user: unknown key "simpel"');
  });

  it('names the task when its type, script, brand or operator is unknown', () => {
    const data = playbookData({
      0: start('1'),
      1: { type: 'playbook', task: { name: 'Sub' }, nexttasks: { '#none#': ['2'] } },
      2: script('Print', {}, '3'),
      3: { ...command('x', {}, '4'), task: { name: 'Other', script: 'Okta v2|||okta-get-user' } },
      4: condition([{ label: 'yes', condition: [[fromContext('isEqualStrnig', 'A', 'b')]] }], {
        yes: ['5'],
      }),
      5: command('msgraph-user-get', {
        user: { complex: { root: 'A', transformers: [{ operator: 'reverse' }] } },
      }),
    });
    expect(problems(data)).to.deep.equal([
      'task 1 (Sub): unknown task type "playbook" (supported: start, regular, condition, title, section)',
      'task 2 (script Print): unknown script "Print" (built-in scripts: DeleteContext, Set, GenerateUUID, Sleep, VerifyContext)',
      'task 3 (Other): brand "Okta v2" is not this integration (use "|||okta-get-user" or "Microsoft Graph User|||okta-get-user")',
      'task 4 (check): unknown operator "isEqualStrnig" in condition "yes"',
      'task 5 (run msgraph-user-get): unknown transformer "reverse" in argument "user"',
    ]);
  });

  it('reports flow problems: a missing start task and next tasks that do not exist', () => {
    const data = playbookData({ 1: command('msgraph-user-get', {}, '7') });
    expect(problems(data)).to.deep.equal([
      'starttaskid 0 is not a task',
      'task 1 (run msgraph-user-get): nexttasks "#none#" points to missing task 7',
    ]);
  });

  it('refuses what it cannot run faithfully: loops, extend-context, manual tasks', () => {
    const data = playbookData({
      0: start('1'),
      1: command('msgraph-user-get', { 'extend-context': { simple: 'a=b' } }, '2', {
        loop: { scriptId: 'x', exitCondition: '' },
      }),
      2: { type: 'regular', task: { name: 'Manual' } },
    });
    expect(problems(data)).to.deep.equal([
      'task 1 (run msgraph-user-get): loops are not supported',
      'task 1 (run msgraph-user-get): argument "extend-context" is not supported',
      'task 2 (Manual): a regular task needs task.script (a command) or task.scriptName (a script)',
    ]);
  });

  it('drops the reserved "using" argument: there is one instance', () => {
    const playbook = parsePlaybook(
      playbookData({
        0: start('1'),
        1: command('msgraph-user-get', { using: { simple: 'inst' } }),
      }),
      'pb.yml',
    );
    expect(playbook.tasks['1']!.scriptarguments).to.deep.equal({});
  });

  it('turns unreadable files and invalid YAML into usage errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msgraph-user-pb-load-'));
    const missing = await loadPlaybook(join(dir, 'nope.yml')).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(UsageError);
    expect((missing as Error).message).to.match(
      /Cannot read the playbook .*nope\.yml: no such file or directory\./,
    );
    await writeFile(join(dir, 'bad.yml'), 'id: [unclosed');
    const bad = await loadPlaybook(join(dir, 'bad.yml')).catch((e: unknown) => e);
    expect((bad as Error).message).to.match(/bad\.yml is not valid YAML/);
  });
});

describe('cleanFilename', () => {
  it('follows XSOAR: spaces and parentheses to _, ASCII only', () => {
    expect(cleanFilename('Sanity Test - MITMProxy')).to.equal('Sanity_Test_-_MITMProxy');
    expect(cleanFilename('MSGraphUser Offboarding (Test)')).to.equal(
      'MSGraphUser_Offboarding__Test_',
    );
    expect(cleanFilename('Ünïcode/../Test')).to.equal('Unicode..Test');
    expect(cleanFilename('..')).to.equal('playbook_');
  });
});
