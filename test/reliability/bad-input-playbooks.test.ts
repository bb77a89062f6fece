/**
 * Bad playbooks and recordings, through the playbook runner's loaders (`msgraph-user playbook run`
 * in process): exit 2, a first line naming the file, one line per problem naming the task or key
 * at fault, no stack trace, and no request.
 */
import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { NetworkRecorder } from './bad-input-network.js';
import { itUnlessOpen, type BugId } from './known-bugs.js';
import { lines, runInProcess, STACK_LINE, TempDirs, writeJson } from './support.js';

type Json = Record<string, unknown>;

const command = (name: string, script: string, args: Json, next?: string): Json => ({
  type: 'regular',
  task: { name, script },
  scriptarguments: args,
  ...(next ? { nexttasks: { '#none#': [next] } } : {}),
});

/** A valid playbook; each case breaks one thing in a fresh copy. */
function validPlaybook(): Json {
  const tasks: Record<string, Json> = {
    '0': { type: 'start', task: {}, nexttasks: { '#none#': ['1'] } },
    '1': command('Get', '|||msgraph-user-get', { user: { simple: '${inputs.who}' } }, '2'),
    '2': {
      type: 'condition',
      task: { name: 'Enabled?' },
      conditions: [
        {
          label: 'yes',
          condition: [
            [
              {
                operator: 'isTrue',
                left: { value: { simple: 'Account.Enabled' }, iscontext: true },
              },
            ],
          ],
        },
      ],
      nexttasks: { yes: ['3'], '#default#': ['3'] },
    },
    '3': {
      type: 'regular',
      task: { name: 'Note', scriptName: 'Set' },
      scriptarguments: { key: { simple: 'Done' }, value: { simple: 'yes' } },
    },
  };
  return {
    id: 'Rel Loader',
    name: 'Rel Loader',
    starttaskid: '0',
    inputs: [{ key: 'who', value: { simple: 'adele@contoso.com' }, required: false }],
    tasks: Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, { id, ...t }])),
  };
}

type Tasks = Record<string, Json & { task: Json; scriptarguments?: Json }>;
const edit = (change: (pb: Json, tasks: Tasks) => void) => (): Json => {
  const pb = validPlaybook();
  change(pb, pb.tasks as Tasks);
  return pb;
};

const ALIAS_BOMB = `id: x\nname: x\nstarttaskid: '0'\ntasks:\n  a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n${'bcdefg'
  .split('')
  .map((n, i) => `  ${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)
  .join('\n')}\n`;

describe('bad input: playbooks and recordings', () => {
  const dirs = new TempDirs();
  const recorder = new NetworkRecorder();
  let dir: string;
  let params: string;

  before(async () => {
    dir = await dirs.make('playbooks');
    params = await writeJson(join(dir, 'params.json'), {
      self_deployed: true,
      creds_auth_id: '11111111-2222-4333-8444-555555555555',
      creds_tenant_id: 'contoso.onmicrosoft.com',
      creds_enc_key: 'rel-client-secret-value',
    });
  });
  after(() => dirs.removeAll());
  // Replays switch the network off and answer from the recording themselves; every other case
  // runs with the recorder, so a request would be seen.
  beforeEach(function () {
    if (!this.currentTest?.title.startsWith('a recording')) recorder.install();
  });
  afterEach(() => recorder.uninstall());

  /** The shape of a loader's refusal: exit 2, the file named first, then one line per problem. */
  function expectRefusal(
    result: { code: number; stdout: string; stderr: string },
    file: string,
    says: RegExp,
  ) {
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include(file).and.to.match(says).and.not.to.match(STACK_LINE);
    expect(result.stderr).not.to.include('unexpected error');
    const [first, ...rest] = lines(result.stderr);
    expect(first).to.include(file);
    for (const line of rest) expect(line, result.stderr).to.match(/^ {2}- \S/);
    expect(recorder.take()).to.deep.equal([]);
  }

  // [title, the playbook file's content (YAML text, or an object written as YAML), what it must say]
  const playbooks: [string, string | (() => Json) | null, RegExp, string[]?][] = [
    ['not YAML', 'id: x\ntasks: [a\n', /is not valid YAML: .*line \d+, column \d+/],
    ['empty', '', /\(top level\): must be object/],
    ['a list', '- 1\n', /\(top level\): must be object/],
    ['a YAML alias bomb', ALIAS_BOMB, /is not valid YAML/],
    ['a duplicated key', 'id: x\nid: y\n', /Map keys must be unique/],
    ['a directory', null, /it is a directory/],
    ['no tasks', edit((pb) => delete pb.tasks), /\(top level\): needs "tasks"/],
    ['tasks that are text', edit((pb) => (pb.tasks = 'all of them')), /tasks: must be object/],
    [
      'a start task that does not exist',
      edit((pb) => (pb.starttaskid = '9')),
      /starttaskid 9 is not a task/,
    ],
    [
      'nexttasks to a missing task',
      edit((_, t) => (t['1']!.nexttasks = { '#none#': ['77'] })),
      /task 1 \(Get\): nexttasks "#none#" points to missing task 77/,
    ],
    [
      'an unknown task type',
      edit((_, t) => (t['0']!.type = 'begin')),
      /task 0: unknown task type "begin"/,
    ],
    [
      'an unknown script',
      edit((_, t) => (t['3']!.task.scriptName = 'Nope')),
      /task 3 \(Note\): unknown script "Nope"/,
    ],
    [
      'an unknown command',
      edit((_, t) => (t['1']!.task.script = '|||msgraph-user-gett')),
      /task 1 \(Get\): unknown command "msgraph-user-gett"/,
    ],
    [
      "another integration's command",
      edit((_, t) => (t['1']!.task.script = 'Other|||msgraph-user-get')),
      /task 1 \(Get\): brand "Other" is not this integration/,
    ],
    [
      'an unknown condition operator',
      edit((_, t) => ((t['2']!.conditions as Json[])[0]!.condition = [[{ operator: 'wat' }]])),
      /task 2 \(Enabled\?\): unknown operator "wat" in condition "yes"/,
    ],
    [
      'an unknown transformer',
      edit(
        (_, t) =>
          (t['1']!.scriptarguments!.user = {
            complex: { root: 'inputs.who', transformers: [{ operator: 'Shout' }] },
          }),
      ),
      /unknown transformer "Shout" in argument "user"/,
    ],
    [
      'a task whose id differs from its key',
      edit((_, t) => (t['3']!.id = '30')),
      /task 30 \(Note\): its id differs from its key "3"/,
    ],
    [
      'a loop',
      edit((_, t) => (t['1']!.loop = { forEach: true })),
      /task 1 \(Get\): loops are not supported/,
    ],
    [
      'an unsupported argument',
      edit((_, t) => (t['1']!.scriptarguments!['extend-context'] = { simple: 'x' })),
      /argument "extend-context" is not supported/,
    ],
    [
      'a typo in an argument value',
      edit((_, t) => (t['1']!.scriptarguments!.user = { simpel: 'x' })),
      /tasks\.1\.scriptarguments\.user: /,
    ],
    [
      'an input declared twice',
      edit((pb) => (pb.inputs as Json[]).push({ key: 'who' })),
      /input "who" is declared twice/,
    ],
    [
      'a required input not given',
      edit((pb) => (pb.inputs = [{ key: 'who', required: true }])),
      /input "who" is required: pass --input who=VALUE/,
    ],
    [
      'an input it does not declare',
      validPlaybook,
      /--input colour: the playbook has no input "colour"/,
      ['--input', 'colour=blue'],
    ],
  ];
  playbooks.forEach(([title, content, says, extra], i) => {
    it(`${title}: exit 2, the file and the fault named, no request`, async () => {
      const file = join(dir, `playbook-${i}.yml`);
      if (content === null) await mkdir(file);
      else await writeFile(file, typeof content === 'string' ? content : stringify(content()));
      const result = await runInProcess([
        'playbook',
        'run',
        file,
        '--params',
        params,
        ...(extra ?? []),
      ]);
      expectRefusal(result, file, says);
    });
  });

  // Recordings: replayed for the valid playbook above (its id makes the file name).
  const fixture = (exchanges: unknown, extra: Json = {}): Json => ({
    format: 'msgraph-user/playbook-recording@2',
    playbook: { id: 'Rel Loader', name: 'Rel Loader' },
    params: {
      self_deployed: true,
      creds_auth_id: 'a',
      creds_tenant_id: 't',
      creds_enc_key: '<client_secret>',
    },
    exchanges,
    ...extra,
  });
  const good = {
    request: { method: 'GET', origin: 'https://graph.microsoft.com', path: '/v1.0/users/x' },
    response: { status: 404 },
  };
  const recordings: [string, string | Json | null, RegExp, BugId?][] = [
    ['not JSON', '{"format": ', /is not valid JSON/],
    ['empty', '', /is not valid JSON/],
    ['a JSON list', '[]', /is not a playbook recording/],
    [
      'another format',
      fixture([], { format: 'har@1.2' }),
      /is not a playbook recording \(format "msgraph-user\/playbook-recording@2"\)/,
    ],
    ['no exchanges', fixture(undefined), /is not a playbook recording/],
    ['a directory', null, /it is a directory/],
    [
      'params that are text',
      fixture([good], { params: 'all' }),
      /params: (expected a mapping of parameter names|must be object)/,
    ],
    [
      'params with an unknown name',
      fixture([good], { params: { colour: 'red' } }),
      /unknown parameter "colour"/,
    ],
    ['a null exchange', fixture([null]), /exchanges/],
    ['an empty exchange', fixture([{}]), /request/],
    ['a request without a method', fixture([{ ...good, request: { path: '/x' } }]), /method/],
    ['an exchange without a response', fixture([{ request: good.request }]), /response/],
    ['a status that is text', fixture([{ ...good, response: { status: 'ok' } }]), /status/],
    ['volatile that is not a list', fixture([good], { volatile: 5 }), /volatile/],
  ];
  recordings.forEach(([title, content, says, bug], i) => {
    itUnlessOpen(bug)(`a recording: ${title}: exit 2, the file and the fault named`, async () => {
      const playbook = join(dir, `replayed-${i}.yml`);
      await writeFile(playbook, stringify(validPlaybook()));
      const recordingDir = join(dir, `recording-${i}`);
      const file = join(recordingDir, 'Rel_Loader.json');
      if (content === null) await mkdir(file, { recursive: true });
      else {
        await mkdir(recordingDir, { recursive: true });
        await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
      }
      const result = await runInProcess(['playbook', 'run', playbook, '--replay', recordingDir]);
      expectRefusal(result, file, says);
    });
  });

  it('a recording directory that holds no recording: exit 2, naming the file to record', async () => {
    const playbook = join(dir, 'replayed-missing.yml');
    await writeFile(playbook, stringify(validPlaybook()));
    const result = await runInProcess([
      'playbook',
      'run',
      playbook,
      '--replay',
      join(dir, 'empty-dir'),
    ]);
    expectRefusal(
      result,
      join(dir, 'empty-dir', 'Rel_Loader.json'),
      /No recording at .*record one with --record DIR/,
    );
  });
});
