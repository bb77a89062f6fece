/**
 * Every --output format on a read (get), a list, a bulk action with one missing user and a single
 * action, against the simulated tenant; the exit codes that tell (0, 1, 3); --query.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { exitCode } from '../../src/cli/output.js';
import { SimCli } from './support.js';

type Row = Record<string, unknown>;
const lines = (text: string) => text.trimEnd().split('\n');
const requests = (cli: SimCli) => (cli.sim.stats() as { totalRequests: number }).totalRequests;

describe('CLI output formats', function () {
  this.timeout(60_000);
  let cli: SimCli;
  let params: string;
  let kim: string;
  const missing = 'nobody-here@msgraphsim.onmicrosoft.com';

  before(async () => {
    cli = await SimCli.start();
    params = cli.params();
    kim = cli.upn('kim');
  });
  after(() => cli.close());

  describe('msgraph-user-get', () => {
    const get = () => ['msgraph-user-get', `user=${kim}`, '--params', params];

    it('text (the default): a titled card of fields, no HTML and no Python reprs', async () => {
      const { code, stdout, stderr } = await cli.run(get());
      expect(code, stderr).to.equal(0);
      const [title, ...fields] = lines(stdout);
      expect(title).to.equal(`${kim} data`);
      expect(fields.find((l) => l.startsWith('Display Name'))).to.match(
        /^Display Name +Kim Akers$/,
      );
      const identities = fields.findIndex((l) => l.startsWith('Identities '));
      expect(fields.slice(identities, identities + 2).map((l) => l.trim())).to.deep.equal([
        'Identities                             signInType: userPrincipalName',
        'issuer: msgraphsim.onmicrosoft.com',
      ]);
      expect(stdout).not.to.match(/<br>|\{'|\|/);
      expect(stdout).not.to.contain('\x1b[');
      expect(Math.max(...lines(stdout).map((l) => l.length))).to.be.at.most(100);
    });

    it('text on a terminal is bold unless NO_COLOR is set, and fits the terminal width', async () => {
      const tty = await cli.run(get(), { stdoutTTY: true, columns: 60 });
      expect(tty.stdout).to.contain(`\x1b[1m${kim} data\x1b[22m`);
      expect(
        Math.max(...lines(tty.stdout.replace(/\x1b\[\d+m/g, '')).map((l) => l.length)),
      ).to.be.at.most(60);
      const plain = await cli.run(get(), { stdoutTTY: true, env: { NO_COLOR: '1' } });
      expect(plain.stdout).not.to.contain('\x1b[');
    });

    it('json: an array of user objects, so .[].UserPrincipalName works', async () => {
      const { code, stdout } = await cli.run([...get(), '-o', 'json']);
      expect(code).to.equal(0);
      const data = JSON.parse(stdout) as Row[];
      expect(data.map((u) => u.UserPrincipalName)).to.deep.equal([kim]);
      expect(data[0]).to.include({ DisplayName: 'Kim Akers' });
    });

    it('ndjson: one object a line; csv: a header and a row', async () => {
      const ndjson = await cli.run([...get(), '-o', 'ndjson']);
      expect(
        lines(ndjson.stdout).map((l) => (JSON.parse(l) as Row).UserPrincipalName),
      ).to.deep.equal([kim]);
      const csv = await cli.run([...get(), '-o', 'csv']);
      const [header, row, ...rest] = lines(csv.stdout);
      expect(rest).to.deep.equal([]);
      const columns = header!.split(',');
      expect(columns).to.include('UserPrincipalName');
      expect(row).to.contain(kim);
    });

    it('markdown is the war-room HumanReadable exactly; entries are the XSOAR entries; context the merged context', async () => {
      const entries = JSON.parse((await cli.run([...get(), '-o', 'entries'])).stdout) as Row[];
      expect(Object.keys(entries[0]!)).to.deep.equal([
        'Type',
        'ContentsFormat',
        'Contents',
        'HumanReadable',
        'EntryContext',
      ]);
      const markdown = await cli.run([...get(), '-o', 'markdown']);
      expect(markdown.stdout).to.equal(entries[0]!.HumanReadable);
      const context = JSON.parse((await cli.run([...get(), '-o', 'context'])).stdout) as Row;
      expect(Object.keys(context)).to.include.members(['MSGraphUser', 'Account']);
    });

    it('--query applies JMESPath to the data (json by default)', async () => {
      const { code, stdout } = await cli.run([...get(), '--query', '[].DisplayName']);
      expect(code).to.equal(0);
      expect(JSON.parse(stdout)).to.deep.equal(['Kim Akers']);
      const one = await cli.run([...get(), '-q', '[0].Mail', '-o', 'ndjson']);
      expect(one.stdout).to.equal(`"${kim}"\n`);
    });

    it('refuses a --query that is not JMESPath, or with a format that is not data, before any request', async () => {
      const before = requests(cli);
      const bad = await cli.run([...get(), '--query', '[?']);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.match(/^msgraph-user: --query "\[\?" is not a JMESPath expression/);
      const text = await cli.run([...get(), '--query', '[]', '-o', 'text']);
      expect(text.code).to.equal(2);
      expect(text.stderr).to.contain('use it with --output json, ndjson or csv');
      expect(requests(cli)).to.equal(before);
    });

    it('exits 3 for a user that does not exist, saying so in the data', async () => {
      const { code, stdout } = await cli.run([
        'msgraph-user-get',
        `user=${missing}`,
        '--params',
        params,
        '-o',
        'json',
      ]);
      expect(code).to.equal(3);
      expect((JSON.parse(stdout) as Row[])[0]).to.include({ user: missing, status: 'not-found' });
    });
  });

  describe('msgraph-user-list', () => {
    const list = (...extra: string[]) => [
      'msgraph-user-list',
      'limit=3',
      '--params',
      params,
      ...extra,
    ];

    it('text: aligned columns and the next page as a command to paste into a shell', async () => {
      const { code, stdout } = await cli.run(list());
      expect(code).to.equal(0);
      const printed = lines(stdout);
      expect(printed[0]).to.equal('All Graph Users');
      expect(printed[1]).to.match(/^Display Name +ID +Job Title +Mail +Mobile Phone$/);
      expect(printed[2]).to.match(/^MOD Administrator +/);
      const hint = printed.at(-1)!;
      expect(hint).to.match(/^More results: msgraph-user msgraph-user-list next_page='https:/);
      const link = (JSON.parse((await cli.run(list('-o', 'context'))).stdout) as Row)[
        'MSGraphUser'
      ] as Row[];
      const word = hint.replace('More results: msgraph-user msgraph-user-list ', '');
      const pasted = execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });
      expect(pasted).to.equal(`next_page=${String(link[0]!.NextPage)}`);
    });

    it('json, ndjson and csv: the users only, the next page on stderr', async () => {
      const json = await cli.run(list('-o', 'json'));
      const users = JSON.parse(json.stdout) as Row[];
      expect(users).to.have.length(3);
      expect(users.every((u) => typeof u.ID === 'string' && !('NextPage' in u))).to.equal(true);
      expect(json.stderr).to.match(/^More results: msgraph-user msgraph-user-list next_page='/);
      const ndjson = await cli.run(list('-o', 'ndjson'));
      expect(lines(ndjson.stdout).map((l) => JSON.parse(l) as Row)).to.deep.equal(users);
      const csv = await cli.run(list('-o', 'csv'));
      expect(lines(csv.stdout)).to.have.length(4);
      expect(lines(csv.stdout)[0]).to.equal('ID,DisplayName,JobTitle,MobilePhone,Mail');
    });

    it("markdown, entries and context stay the war room's", async () => {
      const entries = JSON.parse((await cli.run(list('-o', 'entries'))).stdout) as Row[];
      expect((await cli.run(list('-o', 'markdown'))).stdout).to.equal(entries[0]!.HumanReadable);
      const context = JSON.parse((await cli.run(list('-o', 'context'))).stdout) as Row;
      expect(context.MSGraphUser).to.have.length(4); // the NextPage marker and three users
    });

    it('streams all=true page by page as json, ndjson and csv, the same data as one run', async () => {
      const all = ['msgraph-user-list', 'all=true', 'limit=5', '--params', params];
      const whole = JSON.parse((await cli.run([...all, '-q', '@'])).stdout) as Row[];
      expect(whole).to.have.length(25);
      const json = await cli.run([...all, '-o', 'json']);
      expect(json.writes.length, 'one write a page, and the closing bracket').to.equal(6);
      expect(JSON.parse(json.stdout)).to.deep.equal(whole);
      expect(json.stdout).to.equal(`${JSON.stringify(whole, null, 2)}\n`);
      const ndjson = await cli.run([...all, '-o', 'ndjson']);
      expect(ndjson.writes).to.have.length(5);
      expect(ndjson.writes.every((w) => w.endsWith('\n'))).to.equal(true);
      expect(lines(ndjson.stdout).map((l) => JSON.parse(l) as Row)).to.deep.equal(whole);
      const csv = await cli.run([...all, '-o', 'csv']);
      expect(csv.writes).to.have.length(5);
      expect(lines(csv.stdout)).to.have.length(26);
    });
  });

  describe('a bulk action with one missing user', () => {
    const disable = (...extra: string[]) => [
      'msgraph-user-account-disable',
      `user=${cli.upn('grady')},${missing}`,
      '--params',
      params,
      ...extra,
    ];

    it('json: one result per user with its own status; exit 3', async () => {
      const { code, stdout } = await cli.run(disable('-o', 'json'));
      expect(code).to.equal(3);
      expect(JSON.parse(stdout)).to.deep.equal([
        {
          user: cli.upn('grady'),
          status: 'ok',
          message: `user: "${cli.upn('grady')}" account has been disabled successfully.`,
        },
        { user: missing, status: 'not-found', message: `#### User -> ${missing} does not exist` },
      ]);
    });

    it('ndjson and csv: the same results, a line each', async () => {
      const ndjson = await cli.run(disable('-o', 'ndjson'));
      expect(lines(ndjson.stdout).map((l) => (JSON.parse(l) as Row).status)).to.deep.equal([
        'ok',
        'not-found',
      ]);
      const csv = await cli.run(disable('-o', 'csv'));
      expect(lines(csv.stdout)[0]).to.equal('user,status,message');
      expect(lines(csv.stdout)[2]).to.equal(
        `${missing},not-found,#### User -> ${missing} does not exist`,
      );
    });

    it('text, markdown, entries and context', async () => {
      const text = await cli.run(disable());
      expect(text.code).to.equal(3);
      expect(lines(text.stdout)).to.deep.equal([
        'msgraph-user-account-disable for 2 users',
        `${'User'.padEnd(missing.length)}  Result`,
        `${cli.upn('grady').padEnd(missing.length)}  Disabled`,
        `${missing}  Does not exist`,
      ]);
      const entries = JSON.parse((await cli.run(disable('-o', 'entries'))).stdout) as Row[];
      expect(entries).to.have.length(1);
      expect((await cli.run(disable('-o', 'markdown'))).stdout).to.equal(entries[0]!.HumanReadable);
      expect((await cli.run(disable('-o', 'context'))).stdout).to.equal('{}\n');
    });

    it('exits 3 with handle_error off too, the error on stderr and the result in the data', async () => {
      const strict = cli.params({ handle_error: false }, 'strict');
      const run = await cli.run([
        'msgraph-user-account-disable',
        `user=${cli.upn('grady')},${missing}`,
        '--params',
        strict,
        '-o',
        'json',
      ]);
      expect(run.code).to.equal(3);
      expect(run.stderr).to.contain(`- ${missing}: Error in API call [404]`);
      const data = JSON.parse(run.stdout) as Row[];
      expect(data[1]).to.include({ user: missing, status: 'not-found' });
      expect(String(data[1]!.error)).to.contain('Request_ResourceNotFound');
    });
  });

  describe('an action', () => {
    const revoke = (...extra: string[]) => [
      'msgraph-user-session-revoke',
      `user=${cli.upn('sara')}`,
      '--params',
      params,
      ...extra,
    ];
    const sentence = (user: string) => `User: "${user}" sessions have been revoked successfully.`;

    it('every format', async () => {
      const text = await cli.run(revoke());
      expect(text.code).to.equal(0);
      expect(text.stdout).to.equal(`${sentence(cli.upn('sara'))}\n`);
      const expected = { user: cli.upn('sara'), status: 'ok', message: sentence(cli.upn('sara')) };
      expect(JSON.parse((await cli.run(revoke('-o', 'json'))).stdout)).to.deep.equal([expected]);
      expect(JSON.parse((await cli.run(revoke('-o', 'ndjson'))).stdout)).to.deep.equal(expected);
      expect(lines((await cli.run(revoke('-o', 'csv'))).stdout)).to.deep.equal([
        'user,status,message',
        `${cli.upn('sara')},ok,"${sentence(cli.upn('sara')).replace(/"/g, '""')}"`,
      ]);
      expect((await cli.run(revoke('-o', 'markdown'))).stdout).to.equal(
        `${sentence(cli.upn('sara'))}\n`,
      );
      const entries = JSON.parse((await cli.run(revoke('-o', 'entries'))).stdout) as Row[];
      expect(entries[0]).to.include({ Type: 1, HumanReadable: sentence(cli.upn('sara')) });
      expect((await cli.run(revoke('-o', 'context'))).stdout).to.equal('{}\n');
    });

    it('exits 3 for a missing user, with handle_error on (a note) and off (an error)', async () => {
      const on = await cli.run([
        'msgraph-user-session-revoke',
        `user=${missing}`,
        '--params',
        params,
      ]);
      expect(on.code).to.equal(3);
      expect(on.stdout).to.equal(`User -> ${missing} does not exist\n`);
      const strict = cli.params({ handle_error: false }, 'strict');
      const off = await cli.run([
        'msgraph-user-session-revoke',
        `user=${missing}`,
        '--params',
        strict,
      ]);
      expect(off.code).to.equal(3);
      expect(off.stdout).to.equal('');
      expect(off.stderr).to.contain('Error in API call [404]');
    });
  });
});

describe('CLI exit codes', () => {
  const run = (...statuses: ('ok' | 'error' | 'not-found')[]) => ({
    command: 'msgraph-user-account-disable',
    entries: [],
    results: statuses.map((status) => ({ status, entries: [] })),
  });

  it('is 0 when every target is done, 3 when one does not exist, 1 when one failed otherwise', () => {
    expect(exitCode(run('ok', 'ok'))).to.equal(0);
    expect(exitCode(run('ok', 'not-found'))).to.equal(3);
    expect(exitCode(run('not-found', 'error', 'ok'))).to.equal(1);
  });
});
