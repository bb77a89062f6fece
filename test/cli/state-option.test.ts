/**
 * `--state` and MSGRAPH_USER_STATE on the command path: a command keeps its instance's state on
 * Redis, and a mistake (a bad URL, a bad or wrong key) or an outage is one clean line that names
 * the server without its password.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectRedis,
  parseRedisUrl,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { runMain } from './support.js';

const PASSWORD = 'state-opt-pw-5';
const KEY = Buffer.alloc(32, 3).toString('hex');

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runMain(argv, env);
  return { ...run, all: run.stdout + run.stderr };
}

describe('--state: instance state on Redis from the command line', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let admin: RedisConnection;
  let dir: string;
  let params: string;
  const reset = (extra: string[] = []) => [
    'msgraph-user-auth-reset',
    '--params',
    params,
    '--state-dir',
    join(dir, 'state'),
    '--instance',
    'cli-test',
    ...extra,
  ];

  before(async () => {
    server = await startRedisServer({ password: PASSWORD });
    admin = await connectRedis(parseRedisUrl(server.url(), 'test'));
  });
  beforeEach(async () => {
    // After an outage test the admin connection may still be reconnecting.
    for (let i = 0; ; i++) {
      try {
        await admin.client.flushDb();
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-state-opt-'));
    params = join(dir, 'params.yml');
    await writeFile(
      params,
      'self_deployed: true\ncreds_auth_id: app-id\ncreds_tenant_id: contoso.onmicrosoft.com\ncreds_enc_key: {password: s3cret-value-1}\n',
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  after(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('keeps the state on Redis, not in the state folder, via --state or MSGRAPH_USER_STATE', async () => {
    const viaOption = await cli(reset(['--state', server.url()]));
    expect(viaOption.code, viaOption.all).to.equal(0);
    const viaEnv = await cli(reset(), { MSGRAPH_USER_STATE: server.url() });
    expect(viaEnv.code, viaEnv.all).to.equal(0);
    expect(await admin.client.hGetAll('msgraph-user:cli-test:context')).to.deep.equal({
      version: '2',
      data: '{}',
    });
    expect(await admin.client.keys('*')).to.deep.equal(['msgraph-user:cli-test:context']);
  });

  it('prefers --state to MSGRAPH_USER_STATE', async () => {
    const run = await cli(reset(['--state', server.url()]), {
      MSGRAPH_USER_STATE: 'redis://127.0.0.1:1/0',
    });
    expect(run.code, run.all).to.equal(0);
  });

  for (const [extra, env, says] of [
    [['--state', 'http://cache:6379'], {}, /--state: "http:\/\/cache:6379" is not a Redis URL/],
    [
      [],
      { MSGRAPH_USER_STATE: `redis://ops:${PASSWORD}@cache:6379/main` },
      /MSGRAPH_USER_STATE: "redis:\/\/ops:<redacted>@cache:6379\/main" names database "main"/,
    ],
    [
      ['--state', 'redis://cache:6379/0'],
      { MSGRAPH_USER_STATE_KEY: `${PASSWORD}-not-a-key` },
      /MSGRAPH_USER_STATE_KEY is not a valid key: it must be 32 random bytes/,
    ],
  ] as const) {
    it(`exits 2 with one line naming the source of the mistake: ${String(says).slice(1, 40)}`, async () => {
      const run = await cli(reset([...extra]), { ...env });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(says);
      expect(run.stderr.trim().split('\n')).to.have.length(1);
      expect(run.all).not.to.include(PASSWORD);
    });
  }

  it('says the key does not match when the state was encrypted with another', async () => {
    const sealed = await cli(reset(['--state', server.url()]), { MSGRAPH_USER_STATE_KEY: KEY });
    expect(sealed.code, sealed.all).to.equal(0);
    const before = await admin.client.hGetAll('msgraph-user:cli-test:context');
    const other = Buffer.alloc(32, 4).toString('hex');
    const run = await cli(reset(['--state', server.url()]), { MSGRAPH_USER_STATE_KEY: other });
    expect(run.code).to.equal(1);
    expect(run.all).to.match(
      /MSGRAPH_USER_STATE_KEY does not match the key the state was encrypted with/,
    );
    expect(run.all).not.to.match(/\n\s+at |unexpected/);
    expect(await admin.client.hGetAll('msgraph-user:cli-test:context')).to.deep.equal(before);
  });

  it('fails cleanly while Redis is down and works again once it is back', async function () {
    this.timeout(60_000);
    const first = await cli(reset(['--state', server.url()]));
    expect(first.code, first.all).to.equal(0);
    await server.halt();
    let down;
    try {
      down = await cli(reset(['--state', server.url()]));
    } finally {
      await server.resume();
    }
    expect(down.code).to.equal(1);
    // The CLI's redactor also masks the URL's password place: either mask will do.
    expect(down.all).to.match(
      new RegExp(`Redis at redis://:<redacted>@127\\.0\\.0\\.1:${server.port}/0 is unavailable`),
    );
    expect(down.all).not.to.include(PASSWORD);
    expect(down.all).not.to.match(/\n\s+at |unexpected/);
    const again = await cli(reset(['--state', server.url()]));
    expect(again.code, again.all).to.equal(0);
  });

  it('login names the unreachable server in one line too', async () => {
    await server.halt();
    let run;
    try {
      run = await cli(['login', '--params', params, '--state-dir', dir, '--state', server.url()]);
    } finally {
      await server.resume();
    }
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^msgraph-user: Could not connect to the state store: Redis at /);
    expect(run.stderr.trim().split('\n')).to.have.length(2);
    expect(run.stderr).not.to.include(PASSWORD);
  });

  it('refuses --state with --record or --replay, which start from an empty state', async () => {
    const run = await cli(['playbook', 'run', 'x.yml', '--record', dir, '--state', server.url()]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/--state cannot be combined with --record or --replay/);
  });
});
