import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CliIo } from '../../src/cli/main.js';
import { reportFailure } from '../../src/cli/failure.js';
import { runPlaybookCli as runSubcommand, type PlaybookCliDeps } from '../../src/cli/playbook.js';
import type { Runtime } from '../../src/runtime/compose.js';
import {
  CANARY,
  command,
  condition,
  contextEntry,
  failure,
  fakeRuntime,
  fromContext,
  playbookData,
  start,
  startMiniTenant,
  testCreateRuntime,
  title,
} from './support.js';

function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    out: () => out,
    err: () => err,
  };
}

/** The subcommand as main() runs it: a failure it throws is reported the CLI's one way. */
const runPlaybookCli = (argv: string[], io: CliIo, deps: PlaybookCliDeps) =>
  runSubcommand(argv, io, deps).catch((err: unknown) => reportFailure(err, io.stderr));

const fakeDeps = (runtime = fakeRuntime()): PlaybookCliDeps => ({
  createRuntime: async () => runtime as unknown as Runtime,
});

describe('msgraph-user playbook run', () => {
  let dir: string;
  let playbookFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-pb-cli-'));
    playbookFile = join(dir, 'pb.yml');
    const data = playbookData(
      {
        0: start('1'),
        1: command('msgraph-user-get', { user: { simple: '${inputs.user}' } }, '2'),
        2: condition(
          [{ label: 'yes', condition: [[fromContext('isNotEmpty', 'MSGraphUser.ID')]] }],
          {
            yes: ['3'],
          },
        ),
        3: title('Done'),
      },
      { inputs: [{ key: 'user', value: { simple: 'kim' }, description: '' }] },
    );
    await writeFile(playbookFile, stringify(data));
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('prints each task as it runs, then the context, and exits 0', async () => {
    const io = captureIo();
    const runtime = fakeRuntime({
      'msgraph-user-get': (args) => [
        contextEntry('MSGraphUser', { ID: `id-${String(args.user)}` }, '### User\n|ID|\n|---|'),
      ],
    });
    const code = await runPlaybookCli(
      ['run', playbookFile, '--input', 'user=sara'],
      io,
      fakeDeps(runtime),
    );
    expect(code).to.equal(0);
    expect(io.out()).to.match(
      /^\[1\] run msgraph-user-get: !msgraph-user-get user=sara -> completed \(\d+ ms\)\n {4}### User\n {4}\|ID\|\n/,
    );
    expect(io.out()).to.match(/\[2\] check: branch yes -> completed/);
    expect(io.out()).to.include('## Done');
    expect(io.out()).to.include(
      `Context:\n${JSON.stringify({ MSGraphUser: { ID: 'id-sara' } }, null, 2)}\n`,
    );
    expect(io.err()).to.equal('');
  });

  it('exits 1 when a task fails without an error branch, saying why', async () => {
    const io = captureIo();
    const runtime = fakeRuntime({ 'msgraph-user-get': () => [failure('User kim was not found.')] });
    expect(await runPlaybookCli(['run', playbookFile], io, fakeDeps(runtime))).to.equal(1);
    expect(io.out()).to.include('error: User kim was not found.');
    expect(io.err()).to.equal(
      'Playbook failed: task 1 (run msgraph-user-get) failed: User kim was not found.\n',
    );
  });

  it('prints the whole result as JSON with --output json', async () => {
    const io = captureIo();
    expect(await runPlaybookCli(['run', playbookFile, '-o', 'json'], io, fakeDeps())).to.equal(0);
    const result = JSON.parse(io.out()) as { status: string; tasks: unknown[] };
    expect(result.status).to.equal('completed');
    expect(result.tasks).to.have.length(3);
  });

  it('shows progress on stderr only when it is a terminal (JSON output)', async () => {
    const tty = captureIo();
    (tty.stderr as { isTTY?: boolean }).isTTY = true;
    expect(await runPlaybookCli(['run', playbookFile, '-o', 'json'], tty, fakeDeps())).to.equal(0);
    expect(tty.err()).to.include('playbook Test PB: ');
    const piped = captureIo();
    expect(await runPlaybookCli(['run', playbookFile, '-o', 'json'], piped, fakeDeps())).to.equal(
      0,
    );
    expect(piped.err()).to.equal('');
  });

  const usageCases: [string, string[], RegExp][] = [
    ['an unknown flag', ['run', 'x.yml', '--recrod', 'd'], /Unknown option '--recrod'/],
    [
      '--record with --replay',
      ['run', 'x.yml', '--record', 'a', '--replay', 'b'],
      /Use --record or --replay, not both\./,
    ],
    [
      '--state-dir with --replay',
      ['run', 'x.yml', '--replay', 'a', '--state-dir', 's'],
      /--state-dir cannot be combined/,
    ],
    [
      'an unreadable playbook',
      ['run', 'missing.yml'],
      /Cannot read the playbook missing\.yml: no such file or directory\./,
    ],
    [
      'an --input without = (a password typed without its KEY=), not echoing it',
      ['run', 'x.yml', '--input', 'S3cret-input'],
      /^msgraph-user: --input takes KEY=VALUE \(one was given without "KEY="\)\.\n$/,
    ],
    ['an unknown subcommand', ['start', 'x.yml'], /Unknown playbook subcommand "start"/],
    ['a bad --output', ['run', 'x.yml', '--output', 'xml'], /--output must be markdown or json/],
  ];
  for (const [what, argv, message] of usageCases) {
    it(`exits 2 on ${what}`, async () => {
      const io = captureIo();
      expect(await runPlaybookCli(argv, io, fakeDeps())).to.equal(2);
      expect(io.err()).to.match(message);
    });
  }

  it('exits 2 on an invalid playbook, listing its problems', async () => {
    const bad = join(dir, 'bad.yml');
    await writeFile(
      bad,
      stringify(
        playbookData({
          0: start('1'),
          1: condition([{ label: 'y', condition: [[fromContext('equals', 'A', 'b')]] }], {}),
        }),
      ),
    );
    const io = captureIo();
    expect(await runPlaybookCli(['run', bad], io, fakeDeps())).to.equal(2);
    expect(io.err()).to.include('task 1 (check): unknown operator "equals" in condition "y"');
  });

  it('records with --record and replays with --replay, offline', async () => {
    const tenant = await startMiniTenant();
    const paramsFile = join(dir, 'params.json');
    await writeFile(paramsFile, JSON.stringify(tenant.params()));
    const deps: PlaybookCliDeps = {
      createRuntime: (o) => testCreateRuntime({ ...o, ca: tenant.ca }),
    };
    const recordings = join(dir, 'recordings');
    const args = [
      'run',
      'test/playbook/fixtures/offboarding.yml',
      '--input',
      `new_password=${CANARY.password}`,
    ];
    const recording = captureIo();
    try {
      expect(
        await runPlaybookCli(
          [...args, '--params', paramsFile, '--record', recordings],
          recording,
          deps,
        ),
      ).to.equal(0);
    } finally {
      await tenant.close();
    }
    expect(recording.err()).to.match(
      /^Recorded 5 exchange\(s\) into .*MSGraphUser_Offboarding__Test_\.json\n$/,
    );
    expect(recording.out()).to.include('password=<redacted>').and.not.include(CANARY.password);
    const replay = captureIo();
    expect(await runPlaybookCli([...args, '--replay', recordings], replay, deps)).to.equal(0);
    expect(replay.err()).to.equal('');
    expect(replay.out()).to.include('## Done');
  });

  it('exits 2 when there is no recording to replay', async () => {
    const io = captureIo();
    expect(
      await runPlaybookCli(['run', playbookFile, '--replay', join(dir, 'none')], io, fakeDeps()),
    ).to.equal(2);
    expect(io.err()).to.match(/No recording at .*Test_PB\.json: record one with --record DIR\./);
  });
});
