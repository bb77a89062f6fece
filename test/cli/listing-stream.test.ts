/**
 * `msgraph-user-list all=true` with --output json, ndjson or csv streams the listing page by page:
 * the json is byte for byte the document the whole list would print, every value is redacted as
 * in the war room, and each page is written before the pages after the next are fetched.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { REDACTED } from '../../src/base/redact.js';
import { SimCli, type Captured } from './support.js';

type Row = Record<string, unknown>;
const USERS = 12;
const PAGE = 5;

/** Text no serializer should touch: astral, combining, CJK, RTL, the line separators, a tab. */
const UNICODE = 'Zoë 山田 👩🏽‍💻 e\u0301 \u05e9\u05dc\u05d5\u05dd \u2028 \u2029 tab\there';

describe('a streamed listing', function () {
  this.timeout(60_000);
  let cli: SimCli;
  let params: string;
  let secret: string;
  const list = (...extra: string[]) => [
    'msgraph-user-list',
    'all=true',
    '--params',
    params,
    ...extra,
  ];

  before(async () => {
    cli = await SimCli.start(USERS);
    params = cli.params();
    const creds = cli.sim.paramsFor('client-credentials').creds_enc_key as { password: string };
    secret = creds.password;
    const update = async (key: string, fields: string) => {
      const run = await cli.run([
        'msgraph-user-update',
        `user=${cli.upn(key)}`,
        `updated_fields=${fields}`,
        'updated_fields_delimiter=|',
        '--params',
        params,
      ]);
      expect(run.code, run.stderr).to.equal(0);
    };
    await update('kim', `displayName=${UNICODE}|jobTitle=lone \ud800 surrogate "quoted" \\ back`);
    // Values holding credentials: the client secret itself, a bearer token, a URL's password
    // and a JSON body with a password field.
    await update('sara', `jobTitle=key ${secret} end|mobilePhone=Bearer abc.DEF-123_xyz`);
    await update(
      'adele',
      'displayName=via https://svc:hunter2hunter2@proxy.example:3128/ ok|jobTitle={"password": "pa55-w0rd!"}',
    );
  });
  after(() => cli.close());

  /** The listing run whole (a query makes the CLI collect it first) and as the document it is. */
  async function whole(): Promise<{ captured: Captured; rows: Row[] }> {
    const captured = await cli.run(list(`limit=${PAGE}`, '-q', '@'));
    expect(captured.code, captured.stderr).to.equal(0);
    expect(captured.writes, 'collected, then written once').to.have.length(2);
    return { captured, rows: JSON.parse(captured.stdout) as Row[] };
  }

  it('prints json byte for byte as the whole document, a page a write', async () => {
    const { captured, rows } = await whole();
    expect(rows).to.have.length(USERS);
    const document = `${JSON.stringify(rows, null, 2)}\n`;
    expect(captured.stdout).to.equal(document);
    const streamed = await cli.run(list(`limit=${PAGE}`, '-o', 'json'));
    expect(streamed.code, streamed.stderr).to.equal(0);
    expect(streamed.writes, 'three pages and the closing bracket').to.have.length(4);
    expect(streamed.stdout).to.equal(document);
  });

  it('keeps unicode as it is: astral, combining, RTL, U+2028/U+2029, tabs and lone surrogates', async () => {
    const { rows } = await whole();
    const kim = rows.find((row) => row.DisplayName === UNICODE);
    expect(kim, 'the unicode user').to.not.equal(undefined);
    expect(kim!.JobTitle).to.equal('lone \ud800 surrogate "quoted" \\ back');
    const json = await cli.run(list(`limit=${PAGE}`, '-o', 'json'));
    expect(json.stdout)
      .to.contain('\u2028 \u2029')
      .and.contain('\\ud800')
      .and.contain('tab\\there');
    expect(JSON.parse(json.stdout)).to.deep.equal(rows);
    const ndjson = await cli.run(list(`limit=${PAGE}`, '-o', 'ndjson'));
    const lines = ndjson.stdout.split('\n');
    expect(lines.pop(), 'every line ends with a newline').to.equal('');
    expect(lines.map((line) => JSON.parse(line) as Row)).to.deep.equal(rows);
  });

  it('redacts secrets in every streamed format as the war room does', async () => {
    const context = JSON.parse((await cli.run(list(`limit=${PAGE}`, '-o', 'context'))).stdout) as {
      MSGraphUser: Row[];
    };
    const warRoom = context.MSGraphUser;
    const sara = warRoom.find((row) => String(row.JobTitle).startsWith('key '));
    expect(sara).to.deep.include({
      JobTitle: `key ${REDACTED} end`,
      MobilePhone: `Bearer ${REDACTED}`,
    });
    const adele = warRoom.find((row) => String(row.DisplayName).startsWith('via '));
    expect(adele).to.deep.include({
      DisplayName: `via https://svc:${REDACTED}@proxy.example:3128/ ok`,
      JobTitle: `{"password": "${REDACTED}"}`,
    });
    for (const format of ['json', 'ndjson', 'csv']) {
      const run = await cli.run(list(`limit=${PAGE}`, '-o', format));
      expect(run.code, run.stderr).to.equal(0);
      for (const leaked of [secret, 'abc.DEF-123_xyz', 'hunter2hunter2', 'pa55-w0rd!']) {
        expect(run.stdout, `${format} leaks ${leaked}`).not.to.contain(leaked);
      }
      if (format === 'json') expect(JSON.parse(run.stdout)).to.deep.equal(warRoom);
      if (format === 'ndjson') {
        const rows = run.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Row);
        expect(rows).to.deep.equal(warRoom);
      }
    }
  });

  it('prints one page as one write, and the same bytes as the whole document', async () => {
    const { rows } = await whole();
    const json = await cli.run(list('limit=999', '-o', 'json'));
    expect(json.writes, 'the page and the closing bracket').to.have.length(2);
    expect(json.stdout).to.equal(`${JSON.stringify(rows, null, 2)}\n`);
    const ndjson = await cli.run(list('limit=999', '-o', 'ndjson'));
    expect(ndjson.writes).to.have.length(1);
  });

  it('prints no users as an empty json list and as no ndjson or csv lines', async () => {
    const none = ["filter=startswith(displayName,'no such name')"];
    const json = await cli.run(list(...none, '-o', 'json'));
    expect(json.code, json.stderr).to.equal(0);
    expect(json.stdout).to.equal(`${JSON.stringify([], null, 2)}\n`);
    const collected = await cli.run(list(...none, '-q', '@'));
    expect(collected.stdout).to.equal(json.stdout);
    const onePage = await cli.run(['msgraph-user-list', ...none, '--params', params, '-o', 'json']);
    expect(onePage.stdout, 'a single page of none, not streamed').to.equal(json.stdout);
    for (const format of ['ndjson', 'csv']) {
      const run = await cli.run(list(...none, '-o', format));
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout, format).to.equal('');
    }
  });

  it('writes each page before fetching the page after the next one', async () => {
    const served = () =>
      (cli.sim.stats() as { requests: Record<string, number> }).requests['GET /v1.0/users'] ?? 0;
    const before = served();
    // Pages served when each write happened (the closing bracket included).
    const servedAtWrite: number[] = [];
    const code = await main(list(`limit=${PAGE}`, '-o', 'ndjson'), {
      stdout: { write: () => servedAtWrite.push(served() - before) > 0 },
      stderr: { write: () => true },
      env: { MSGRAPH_USER_STATE_DIR: `${cli.dir}/state` },
    });
    expect(code).to.equal(0);
    const pages = Math.ceil(USERS / PAGE);
    expect(servedAtWrite).to.have.length(pages);
    // Page n is written while at most page n + 1 (the one prefetched) has been fetched.
    servedAtWrite.forEach((count, i) => expect(count, `write ${i + 1}`).to.be.at.most(i + 2));
  });
});

describe('a streamed listing whose reader goes away (… | head)', function () {
  this.timeout(60_000);
  const users = 2000;
  const page = 100;
  let cli: SimCli;
  before(async () => (cli = await SimCli.start(users)));
  after(() => cli.close());

  it('stops fetching pages, ends quietly and exits 0', async () => {
    const served = () =>
      (cli.sim.stats() as { requests: Record<string, number> }).requests['GET /v1.0/users'] ?? 0;
    const before = served();
    const bin = fileURLToPath(new URL('../../bin/msgraph-user.js', import.meta.url));
    const args = ['msgraph-user-list', 'all=true', `limit=${page}`, '-o', 'ndjson'];
    const child = spawn(process.execPath, [bin, ...args, '--params', cli.params()], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MSGRAPH_USER_STATE_DIR: join(cli.dir, 'state'),
        MSGRAPH_USER_CACHE_DIR: join(cli.dir, 'cache'),
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // As `head -1`: the first line, then the reader is gone. A page (~100 KB) is more than the
    // pipe holds, so the CLI cannot have written far ahead.
    let first = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      first += chunk;
      if (first.includes('\n')) child.stdout.destroy();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(guard);
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    expect(JSON.parse(first.split('\n')[0]!)).to.have.property('ID');
    // The page read, the one prefetched meanwhile, and at most one more before the broken pipe
    // is seen: not the whole tenant's pages.
    expect(served() - before).to.be.at.most(4);
    expect(users / page).to.equal(20);
  });
});
