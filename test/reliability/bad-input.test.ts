/**
 * Bad input gets one clear line and nothing else: it names the argument, says what is valid,
 * exits 1 (an error entry) or 2 (a usage error), prints no stack trace and sends no request; an
 * odd but valid id reaches Graph only as one encoded segment. The corpus is generated from the
 * manifest (bad-input-cases.ts) and run through the CLI's main in process, network off; a sample
 * runs through the real CLI process. Files: bad-input-files.test.ts (params files, manifests) and
 * bad-input-playbooks.test.ts (playbooks, recordings).
 */
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCompiledManifest } from '../../src/manifest/compiled.js';
import type { ManifestCommand } from '../../src/manifest/types.js';
import {
  argumentCases,
  ID_ARGUMENTS,
  idCases,
  pathForm,
  QUERY_ARGUMENTS,
  requestArgs,
  unescapeXml,
  type ArgumentCase,
  type IdCase,
} from './bad-input-cases.js';
import {
  CaseRunner,
  NetworkRecorder,
  type Outcome,
  type SentRequest,
} from './bad-input-network.js';
import { itUnlessOpen } from './known-bugs.js';
import {
  customCloudParams,
  lines,
  runCliProcess,
  STACK_LINE,
  startSilentServer,
  TempDirs,
  writeJson,
  type CliResult,
  type SilentServer,
} from './support.js';

const { commands } = await loadCompiledManifest();
const PLAIN = 'plain-id-0';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The shape every bad-input answer must have. */
function expectOneLineError(outcome: Outcome, code: 1 | 2, names: string, says?: RegExp) {
  const shown = JSON.stringify(outcome.stderr.slice(0, 300));
  expect(outcome.code, shown).to.equal(code);
  expect(outcome.stdout, 'stdout').to.equal('');
  expect(lines(outcome.stderr), shown).to.have.length(1);
  expect(outcome.stderr, shown).to.include(`"${names}"`);
  if (says) expect(outcome.stderr, shown).to.match(says);
  expect(outcome.stderr).not.to.match(STACK_LINE);
  expect(outcome.stderr.length, 'a readable line, not an echo of the input').to.be.below(1000);
  expect(outcome.stderr, 'no raw control characters').not.to.match(RAW_CONTROL);
  expect(outcome.sent, 'requests sent').to.deep.equal([]);
}

const hasSegment = (text: string, value: string) =>
  new RegExp(`(^|/)${value}(?=$|[/?"])`).test(text);

/** Where the plain id landed in a baseline run. */
function landing(sent: SentRequest[]): 'path' | 'xml' | 'nowhere' {
  if (sent.some((r) => hasSegment(r.path, PLAIN) || hasSegment(r.body, PLAIN))) return 'path';
  if (sent.some((r) => r.body.includes(`<UserPrincipalName>${PLAIN}</UserPrincipalName>`))) {
    return 'xml';
  }
  return 'nowhere';
}

/** A request as compared: the MFA call's random ContextId and escaped user name read as text. */
function comparable(request: SentRequest): SentRequest {
  const body = request.body
    .replace(/<ContextId>[^<]*<\/ContextId>/, '<ContextId/>')
    .replace(
      /<UserPrincipalName>([^<]*)<\/UserPrincipalName>/,
      (_m, name: string) => `<UserPrincipalName text=${JSON.stringify(unescapeXml(name))}/>`,
    );
  return { ...request, body };
}

/** The baseline's requests with the plain id replaced by what `value` must become. */
function expectedRequests(baseline: SentRequest[], value: string): SentRequest[] {
  const { segment, keyForm } = pathForm(value);
  const swap = (text: string) =>
    keyForm ? text.split(`/${PLAIN}`).join(segment) : text.split(PLAIN).join(segment);
  return baseline.map((r) => {
    const xml = r.body.replace(
      `<UserPrincipalName>${PLAIN}</UserPrincipalName>`,
      `<UserPrincipalName text=${JSON.stringify(value)}/>`,
    );
    return comparable({ ...r, path: swap(r.path), body: xml === r.body ? swap(r.body) : xml });
  });
}

describe('bad input: every command argument, generated from the manifest', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  const recorder = new NetworkRecorder();
  let runner: CaseRunner;
  const baselines = new Map<string, Promise<Outcome>>();

  before(async () => {
    recorder.install();
    runner = new CaseRunner(recorder, await dirs.make('args'));
    await runner.prepare();
  });
  after(async () => {
    recorder.uninstall();
    await dirs.removeAll();
  });

  // Delegated-only commands refuse to run under client credentials; their values are followed
  // through a delegated instance instead (argument errors come first, so main is used for those).
  const drive = (command: ManifestCommand, args: Record<string, string>) =>
    command['x-delegated-only']
      ? runner.delegated(command.name, args)
      : runner.cli(command.name, args);

  function baseline(command: ManifestCommand, arg: string): Promise<Outcome> {
    const key = `${command.name} ${arg}`;
    if (!baselines.has(key)) {
      baselines.set(key, drive(command, { ...requestArgs(command), [arg]: PLAIN }));
    }
    return baselines.get(key)!;
  }

  const argumentCase = (c: ArgumentCase) =>
    itUnlessOpen(c.bug)(
      `${c.title}: one line naming "${c.names}", exit 1, no request`,
      async () => {
        expectOneLineError(await runner.cli(c.command, c.args), 1, c.names, c.says);
      },
    );

  const dotCases: [ManifestCommand, IdCase][] = [];
  const idCase = (command: ManifestCommand, c: IdCase) => {
    if (c.dotSegment) {
      dotCases.push([command, c]);
      it(`${c.title}: refused with exit 1 before any request`, async () => {
        const outcome = await drive(command, { ...requestArgs(command), [c.arg]: c.value });
        expect(outcome.code).to.equal(1);
        expect(outcome.stdout).to.equal('');
        expect(outcome.stderr).not.to.match(STACK_LINE);
        expect(outcome.sent).to.deep.equal([]);
      });
      return;
    }
    it(`${c.title}: reaches only its own encoded ${ID_ARGUMENTS[c.arg]} segment`, async () => {
      const base = await baseline(command, c.arg);
      expect(landing(base.sent), JSON.stringify(base.sent)).to.equal(ID_ARGUMENTS[c.arg]);
      const outcome = await drive(command, { ...requestArgs(command), [c.arg]: c.value });
      expect(outcome.stderr).not.to.match(STACK_LINE);
      // "." or ".." as the MFA user name is harmless escaped text; refusing it like a path id
      // (one line, no request) is as good.
      if (/^\.\.?$/.test(c.value) && outcome.sent.length === 0) {
        return expectOneLineError(outcome, 1, c.arg);
      }
      expect(outcome.code, outcome.stderr).to.equal(base.code);
      expect(outcome.sent.map(comparable)).to.deep.equal(expectedRequests(base.sent, c.value));
    });
  };

  const queryCase = (command: ManifestCommand, arg: string) =>
    it(`${arg}="a&$top=1#x": stays the value of its one query parameter`, async () => {
      const value = "a&$top=1#x'";
      const base = await baseline(command, arg);
      const outcome = await drive(command, { ...requestArgs(command), [arg]: value });
      expect(outcome.sent).to.have.length(base.sent.length);
      const [before, after] = [base.sent[0]!, outcome.sent[0]!];
      const query = (r: SentRequest) => new URL(r.path, 'https://x').searchParams;
      const key = [...query(before).keys()].find((k) => query(before).get(k)!.includes(PLAIN));
      expect(key, JSON.stringify(before)).to.be.a('string');
      expect([...query(after).keys()]).to.deep.equal([...query(before).keys()]);
      expect(query(after).get(key!)).to.equal(query(before).get(key!)!.replace(PLAIN, value));
      expect(after.path.split('?')[0]).to.equal(before.path.split('?')[0]);
    });

  for (const command of commands.values()) {
    describe(command.name, () => {
      argumentCases(command).forEach(argumentCase);
      idCases(command).forEach((c) => idCase(command, c));
      for (const arg of command.arguments ?? []) {
        if (QUERY_ARGUMENTS.includes(arg.name)) queryCase(command, arg.name);
      }
    });
  }

  it(`"." and ".." as any id (${dotCases.length} cases): one line naming the argument`, async () => {
    for (const [command, c] of dotCases) {
      const outcome = await drive(command, { ...requestArgs(command), [c.arg]: c.value });
      expectOneLineError(outcome, 1, c.arg);
    }
  });
});

describe('bad input: the command line itself', () => {
  const dirs = new TempDirs();
  const recorder = new NetworkRecorder();
  let runner: CaseRunner;

  before(async () => {
    recorder.install();
    runner = new CaseRunner(recorder, await dirs.make('argv'));
    await runner.prepare();
  });
  after(async () => {
    recorder.uninstall();
    await dirs.removeAll();
  });

  const usage: [
    title: string,
    command: string,
    args: Record<string, string>,
    extra: string[],
    names: string,
  ][] = [
    [
      'an unknown command, suggesting the near one',
      'msgraph-user-gett',
      {},
      [],
      'msgraph-user-gett',
    ],
    ['an unknown option', 'msgraph-user-get', { user: 'a' }, ['--colour'], '--colour'],
    ['an unknown output format', 'msgraph-user-get', { user: 'a' }, ['--output', 'xml'], 'xml'],
    [
      'a bare value (no default argument)',
      'msgraph-user-get',
      {},
      ['adele@contoso.com'],
      'adele@contoso.com',
    ],
  ];
  for (const [title, command, args, extra, names] of usage) {
    it(`${title}: exit 2, one line naming ${names}`, async () => {
      const outcome = await runner.cli(command, args, extra);
      const quoted = outcome.stderr.replace(/'([^']*)'/g, '"$1"');
      expectOneLineError({ ...outcome, stderr: quoted }, 2, names);
    });
  }

  it('an argument given twice: exit 2, one line naming it', async () => {
    const outcome = await runner.cli('msgraph-user-get', { user: 'a' }, ['user=b']);
    expectOneLineError(outcome, 2, 'user', /given twice/);
  });

  it('1,001 values for a bulk argument: exit 1, one line with the limit', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}@contoso.com`).join(',');
    const outcome = await runner.cli('msgraph-user-account-disable', { user: many });
    expectOneLineError(outcome, 1, 'user', /takes at most 1000 values \(got 1001\)/);
  });

  const controlNames: [title: string, argv: string[]][] = [
    ['an argument name with a newline', ['msgraph-user-get', 'user=a', 'bo\ngus=1']],
    ['an argument name with a terminal escape', ['msgraph-user-get', 'user=a', 'bo\u001b[2Jgus=1']],
    ['a command name with a newline', ['msgraph-user-g\net', 'user=a']],
    ['an option with a newline', ['msgraph-user-get', 'user=a', '--co\nlour']],
    ['a bare value with a newline', ['msgraph-user-get', 'ade\nle']],
  ];
  for (const [title, [command, ...rest]] of controlNames) {
    it(`${title}: one line, control characters escaped`, async () => {
      const outcome = await runner.cli(command!, {}, rest);
      expect(outcome.code).to.be.oneOf([1, 2]);
      expect(lines(outcome.stderr), JSON.stringify(outcome.stderr)).to.have.length(1);
      expect(outcome.stderr).not.to.match(RAW_CONTROL);
      expect(outcome.sent).to.deep.equal([]);
    });
  }
});

describe('bad input through the real CLI process (a sample)', function () {
  this.timeout(90_000);
  const dirs = new TempDirs();
  let tripwire: SilentServer;
  let results: CliResult[];

  // [title, argv, exit code, the name the line must quote (or a pattern), what it must say]
  const sample: [string, string[], 1 | 2, string | RegExp, RegExp][] = [
    ['a missing required argument', ['msgraph-user-get'], 1, 'user', /missing required argument/],
    [
      'a number above its maximum',
      ['msgraph-user-list', 'limit=1000'],
      1,
      'limit',
      /between 1 and 999/,
    ],
    ['a boolean "maybe"', ['msgraph-user-list', 'all=maybe'], 1, 'all', /true or false/],
    [
      'a fractional whole number',
      [
        'msgraph-user-tap-policy-create',
        'user_id=a',
        'zip_password=Zz-1234567!',
        'lifetime_in_minutes=12.5',
      ],
      1,
      'lifetime_in_minutes',
      /whole number/,
    ],
    [
      'a misspelt argument',
      ['msgraph-user-delete', 'user=a', 'usr=b'],
      1,
      'usr',
      /Did you mean "user"\?/,
    ],
    [
      'control characters',
      ['msgraph-user-update', 'user=a\u0001b', 'updated_fields=jobTitle=x'],
      1,
      'user',
      /control characters/,
    ],
    ['a 100 KB id', ['msgraph-user-delete', `user=${'a'.repeat(100_000)}`], 1, 'user', /too long/],
    ['an argument given twice', ['msgraph-user-get', 'user=a', 'user=b'], 2, 'user', /given twice/],
    [
      'an unknown command',
      ['msgraph-user-gett'],
      2,
      'msgraph-user-gett',
      /--help. to list the commands/,
    ],
    [
      'a params file that is not YAML',
      ['msgraph-user-get', 'user=a', '--params', 'BROKEN'],
      2,
      /broken\.yml/,
      /not valid YAML/,
    ],
  ];

  before(async () => {
    const dir = await dirs.make('cli');
    tripwire = await startSilentServer();
    // Identity and Graph both point at the tripwire: any request would be a connection.
    const params = await writeJson(join(dir, 'params.json'), customCloudParams(tripwire.url));
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, 'creds_enc_key: [x\n');
    results = await Promise.all(
      sample.map(([, argv]) => {
        const withParams = argv.includes('--params')
          ? argv.map((a) => (a === 'BROKEN' ? broken : a))
          : [...argv, '--params', params];
        return runCliProcess([...withParams, '--state-dir', join(dir, 'state')]);
      }),
    );
  });
  after(async () => {
    await tripwire.close();
    await dirs.removeAll();
  });

  sample.forEach(([title, , code, names, says], i) => {
    it(`${title}: exit ${code}, one line, no stack trace`, () => {
      const result = results[i]!;
      expect(result.code, result.stderr).to.equal(code);
      expect(result.stdout).to.equal('');
      expect(lines(result.stderr), result.stderr).to.have.length(1);
      expect(result.stderr).to.match(typeof names === 'string' ? new RegExp(`"${names}"`) : names);
      expect(result.stderr).to.match(says).and.not.to.match(STACK_LINE);
    });
  });

  it('sends no request for any of them', () => {
    expect(tripwire.connections()).to.equal(0);
  });
});
