/**
 * Secrets and long values off the command line (name=@file, name=@-, a prompt without echo),
 * the first-run message, proxies from the environment, and the files a command writes.
 */
import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { withProxyDefault } from '../../src/cli/options.js';
import type { CliIo } from '../../src/cli/io.js';
import { pipedStdin, SimCli } from './support.js';

const PASSWORD = 'Fr0m-A-F1le!pass';

/** A terminal's standard input that "types" `text` once the prompt is shown. */
function terminalStdin(text: string): { stdin: CliIo['stdin']; rawModes: boolean[] } {
  const stream = new PassThrough();
  const rawModes: boolean[] = [];
  const stdin = Object.assign(stream, {
    isTTY: true,
    setRawMode: (mode: boolean) => rawModes.push(mode),
  });
  setImmediate(() => stream.write(text));
  return { stdin, rawModes };
}

describe('CLI input', function () {
  this.timeout(60_000);
  let cli: SimCli;
  let params: string;

  before(async () => {
    cli = await SimCli.start();
    params = cli.params();
  });
  after(() => cli.close());

  const create = (name: string, ...password: string[]) => [
    'msgraph-user-create',
    `user_principal_name=${name}@${cli.sim.tenantDomain}`,
    `display_name=${name}`,
    `mail_nickname=${name}`,
    ...password,
    '--params',
    params,
  ];

  describe('name=@file and name=@-', () => {
    it('reads a secret argument from a file, without its final newline, and never prints it', async () => {
      const file = join(cli.dir, 'password.txt');
      writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
      const run = await cli.run(create('from-file', `password=@${file}`));
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout + run.stderr).not.to.contain(PASSWORD);
    });

    it('a value read from a file reaches Graph as read (a weak one is refused by Graph, not by us)', async () => {
      const file = join(cli.dir, 'weak.txt');
      writeFileSync(file, 'weak\n');
      const run = await cli.run(create('weak-file', `password=@${file}`));
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('password complexity');
    });

    it('reads a secret argument from standard input with name=@-', async () => {
      const run = await cli.run(create('from-stdin', 'password=@-'), {
        stdin: pipedStdin(`${PASSWORD}\n`),
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout + run.stderr).not.to.contain(PASSWORD);
    });

    it('keeps a value that starts with @ when written @@', async () => {
      const run = await cli.run([
        'msgraph-user-get',
        'user=@@nobody',
        '--params',
        params,
        '-o',
        'json',
      ]);
      expect(JSON.parse(run.stdout)).to.deep.equal([
        {
          user: '@nobody',
          status: 'not-found',
          message: (JSON.parse(run.stdout) as { message: string }[])[0]!.message,
        },
      ]);
    });

    it('names the argument and the file it cannot read: exit 2, no request', async () => {
      const before = (cli.sim.stats() as { totalRequests: number }).totalRequests;
      const run = await cli.run(create('missing', `password=@${join(cli.dir, 'nope.txt')}`));
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(
        /^msgraph-user: Cannot read the file for argument "password" \S+nope\.txt: no such file/,
      );
      expect(run.stderr.split('\n').filter(Boolean)).to.have.length(1);
      expect((cli.sim.stats() as { totalRequests: number }).totalRequests).to.equal(before);
    });

    it('reads standard input for one argument only', async () => {
      const run = await cli.run(
        ['msgraph-user-update', 'user=@-', 'updated_fields=@-', '--params', params],
        { stdin: pipedStdin('x') },
      );
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('Only one argument can be read from standard input');
    });
  });

  describe('a required secret left out, on a terminal', () => {
    it('is asked for without echo', async () => {
      const { stdin, rawModes } = terminalStdin(`${PASSWORD}\r`);
      const run = await cli.run(create('prompted'), { stdin });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.equal('password (msgraph-user-create, not shown): \n');
      expect(rawModes).to.deep.equal([true, false]);
      expect(run.stdout).not.to.contain(PASSWORD);
    });

    it('is not asked for when standard input is not a terminal: the argument is missing', async () => {
      const run = await cli.run(create('not-prompted'), { stdin: pipedStdin('') });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('missing required argument "password"');
    });
  });

  describe('with no configuration', () => {
    it('names the three ways to configure: exit 2, no request', async () => {
      const run = await cli.run(['msgraph-user-get', 'user=a@contoso.com']);
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.contain('No instance is configured');
      expect(run.stderr).to.contain('--params FILE');
      expect(run.stderr).to.contain('AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET');
      expect(run.stderr).to.contain('msgraph-user sim');
      expect(run.stderr).not.to.contain('Cortex XSOAR');
    });
  });

  describe('proxies', () => {
    it('come from the environment unless the params say proxy: false', () => {
      expect(withProxyDefault({ insecure: true })).to.deep.equal({ insecure: true, proxy: true });
      expect(withProxyDefault({ proxy: false })).to.deep.equal({ proxy: false });
    });
  });

  describe('files a command writes', () => {
    it('are saved in --files-dir, their path printed and in the data', async () => {
      const filesDir = join(cli.dir, 'files');
      const args = [
        'msgraph-user-tap-policy-create',
        `user_id=${cli.upn('grady')}`,
        'zip_password=Zip-Passw0rd-1',
        '--params',
        cli.params({ allow_secret_generators: true }, 'tap'),
        '--files-dir',
        filesDir,
      ];
      const text = await cli.run(args);
      expect(text.code, text.stderr).to.equal(0);
      const saved = /File (\S+) saved to (\S+)/.exec(text.stdout);
      expect(saved, text.stdout).not.to.equal(null);
      expect(saved![2]!.startsWith(`${filesDir}/`)).to.equal(true);
      expect(statSync(saved![2]!).mode & 0o777).to.equal(0o600);
      expect(readFileSync(saved![2]!).subarray(0, 2).toString()).to.equal('PK');
      const json = await cli.run([...args, '-o', 'json']);
      const file = (JSON.parse(json.stdout) as Record<string, unknown>[]).find((i) => 'file' in i);
      expect(String(file?.path).startsWith(`${filesDir}/`)).to.equal(true);
    });
  });
});
