/**
 * Help that is consistent (help X and X --help for every command and subcommand, lines within 100
 * columns, --user x pointing to user=x) and completion generated from the manifest.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadCompiledManifest } from '../../src/manifest/compiled.js';

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, stdout, stderr };
}

const SUBCOMMANDS = ['login', 'playbook', 'completion', 'state'];

describe('CLI help', () => {
  it('answers help X and X --help alike for every command and subcommand, within 100 columns', async () => {
    const { commands } = await loadCompiledManifest();
    for (const topic of [...commands.keys(), ...SUBCOMMANDS]) {
      const viaHelp = await cli(['help', topic]);
      const viaFlag = await cli([topic, '--help']);
      expect(viaHelp.code, topic).to.equal(0);
      expect(viaHelp.stdout, topic).to.equal(viaFlag.stdout);
      expect(viaHelp.stdout, topic).to.match(/Usage: msgraph-user /);
      const wide = viaHelp.stdout.split('\n').filter((line) => line.length > 100);
      expect(wide, topic).to.deep.equal([]);
    }
    const usage = await cli(['--help']);
    expect(usage.stdout.split('\n').filter((line) => line.length > 100)).to.deep.equal([]);
    expect(usage.stdout).to.contain('completion bash|zsh|fish');
  });

  it('suggests name=value for an argument given as an option', async () => {
    const run = await cli(['msgraph-user-get', '--user', 'adele@contoso.com']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(
      `msgraph-user: Unknown option '--user'. Command arguments are name=value pairs: user=adele@contoso.com. Run "msgraph-user help msgraph-user-get".\n`,
    );
    const dashed = await cli(['msgraph-user-list', '--next-page=x']);
    expect(dashed.stderr).to.contain('next_page=x');
  });
});

describe('CLI completion', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'msgraph-user-completion-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const script = async (shell: string) => {
    const run = await cli(['completion', shell]);
    expect(run.code, run.stderr).to.equal(0);
    const file = join(dir, `completion.${shell}`);
    writeFileSync(file, run.stdout);
    return file;
  };

  /** What bash completes for the words typed so far (bash splits at "=" as it does live). */
  const complete = (file: string, words: string[]) =>
    execFileSync(
      'bash',
      [
        '-c',
        `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _msgraph_user_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        file,
        ...words,
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);

  it('bash: parses (bash -n) and completes commands, argument names and predefined values', async () => {
    const file = await script('bash');
    expect(spawnSync('bash', ['-n', file]).status).to.equal(0);
    expect(complete(file, ['msgraph-user', 'msgraph-user-ge'])).to.include('msgraph-user-get');
    expect(complete(file, ['msgraph-user', 'msgraph-user-list', ''])).to.include.members([
      'all=',
      'limit=',
      'next_page=',
    ]);
    expect(complete(file, ['msgraph-user', 'msgraph-user-list', 'all', '=', ''])).to.deep.equal([
      'true',
      'false',
    ]);
    expect(complete(file, ['msgraph-user', 'msgraph-user-get', '--out'])).to.deep.equal([
      '--output',
    ]);
  });

  it('zsh and fish: scripts that list the commands and their arguments', async () => {
    const zsh = await script('zsh');
    expect(spawnSync('bash', ['-n', zsh]).status, 'zsh script is bash-compatible').to.equal(0);
    const fish = (await cli(['completion', 'fish'])).stdout;
    expect(fish).to.contain('-a msgraph-user-get');
    expect(fish).to.contain(
      "__fish_seen_subcommand_from msgraph-user-list' -a 'all= all=true all=false'",
    );
  });

  it('refuses an unknown shell (exit 2)', async () => {
    const run = await cli(['completion', 'tcsh']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('completion takes one shell: bash, zsh or fish (got "tcsh")');
  });
});
