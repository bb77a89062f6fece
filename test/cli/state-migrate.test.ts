/**
 * `msgraph-user state migrate`: instance state copied between a folder and Redis, both ways,
 * reported by name and size only, the source untouched, an occupied target refused unless
 * --force, and every mistake or outage one clean line.
 */
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryBackend } from '../../src/state/directory-backend.js';
import { openRedisBackend } from '../../src/state/open-backend.js';
import {
  connectRedis,
  parseRedisUrl,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { runMain } from './support.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const SECRET = 'eyJ0eXAi.secret-access-token.sig';

const cli = runMain;

describe('state migrate', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let admin: RedisConnection;
  let dir: string;

  before(async () => {
    server = await startRedisServer({ password: 'migrate-pw-77' });
    admin = await connectRedis(parseRedisUrl(server.url(), 'test'));
  });
  beforeEach(async () => {
    await admin.client.flushDb();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-migrate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  after(async () => {
    await admin?.close();
    await server?.stop();
  });

  async function seedFolder(): Promise<string> {
    const folder = directoryBackend(dir);
    await folder.store('instance-one').set({ access_token: SECRET, expires_in: 3600 });
    await folder.store('instance-two').set({ mfa_client_secret: { secret: 'mfa-s3cret' } });
    return readFile(join(dir, 'instances', 'instance-one', 'context.json'), 'utf8');
  }

  it('copies every instance from a folder to Redis, saying which, never what', async () => {
    const before = await seedFolder();
    const run = await cli(['state', 'migrate', '--from', dir, '--to', server.url()]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(
      `Copied 2 instance(s) from ${dir} to redis://:<redacted>@127.0.0.1:${server.port}/0:\n` +
        '  instance-one  2 entries\n  instance-two  1 entry\n',
    );
    expect(run.stdout + run.stderr).not.to.include('migrate-pw-77');
    const redis = await openRedisBackend(server.url(), { origin: 'test' });
    try {
      expect(await redis.store('instance-one').get()).to.deep.equal({
        context: { access_token: SECRET, expires_in: 3600 },
        version: 1,
      });
      expect(await redis.instances()).to.deep.equal(['instance-one', 'instance-two']);
    } finally {
      await redis.close();
    }
    expect(await readFile(join(dir, 'instances', 'instance-one', 'context.json'), 'utf8')).to.equal(
      before,
    );
  });

  it('reports a damaged source file, leaving it where it is and copying nothing', async () => {
    await seedFolder();
    const damaged = join(dir, 'instances', 'instance-two', 'context.json');
    await writeFile(damaged, '{not json');
    const run = await cli(['state', 'migrate', '--from', dir, '--to', server.url()]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`${damaged} is unreadable`);
    expect(await readFile(damaged, 'utf8')).to.equal('{not json');
    expect(await readdir(join(dir, 'instances', 'instance-two'))).to.deep.equal(['context.json']);
    expect(await admin.client.keys('*')).to.deep.equal([]);
  });

  it('copies from Redis back to a folder', async () => {
    const redis = await openRedisBackend(server.url(), { origin: 'test' });
    try {
      await redis.store('instance-one').set({ access_token: SECRET });
    } finally {
      await redis.close();
    }
    const target = join(dir, 'restored');
    const run = await cli(['state', 'migrate', '--from', server.url(), '--to', target]);
    expect(run.code, run.stderr).to.equal(0);
    expect((await directoryBackend(target).store('instance-one').get()).context).to.deep.equal({
      access_token: SECRET,
    });
    expect(await admin.client.hGet('msgraph-user:instance-one:context', 'version')).to.equal('1');
  });

  it('encrypts what it writes to Redis with MSGRAPH_USER_STATE_KEY', async () => {
    await seedFolder();
    const env = { MSGRAPH_USER_STATE_KEY: KEY };
    const run = await cli(['state', 'migrate', '--from', dir, '--to', server.url()], env);
    expect(run.code, run.stderr).to.equal(0);
    const data = await admin.client.hGet('msgraph-user:instance-one:context', 'data');
    expect(data)
      .to.match(/^aes256gcm:v1:/)
      .and.not.include(SECRET);
  });

  it('refuses a target instance that holds state, copying nothing, unless --force', async () => {
    await seedFolder();
    const redis = await openRedisBackend(server.url(), { origin: 'test' });
    try {
      await redis.store('instance-two').set({ newer: 'state' });
      const refused = await cli(['state', 'migrate', '--from', dir, '--to', server.url()]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.match(
        /already holds state for 1 of the instances to copy \(instance-two\); nothing was copied\. Add --force/,
      );
      expect(await redis.instances()).to.deep.equal(['instance-two']);
      expect((await redis.store('instance-two').get()).context).to.deep.equal({ newer: 'state' });

      const forced = await cli([
        'state',
        'migrate',
        '--from',
        dir,
        '--to',
        server.url(),
        '--force',
      ]);
      expect(forced.code, forced.stderr).to.equal(0);
      expect(forced.stdout).to.include('instance-two  1 entry (replaced the target)');
      expect((await redis.store('instance-two').get()).context).to.deep.equal({
        mfa_client_secret: { secret: 'mfa-s3cret' },
      });
    } finally {
      await redis.close();
    }
  });

  it('copies only the instances named with --instance, and names one the source lacks', async () => {
    await seedFolder();
    const one = await cli([
      'state',
      'migrate',
      '--from',
      dir,
      '--to',
      server.url(),
      '--instance',
      'instance-two',
    ]);
    expect(one.code, one.stderr).to.equal(0);
    expect(await admin.client.keys('*')).to.deep.equal(['msgraph-user:instance-two:context']);
    const missing = await cli([
      'state',
      'migrate',
      '--from',
      dir,
      '--to',
      server.url(),
      '--instance',
      'nope',
    ]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include(
      'has no state for instance(s) nope; it has instance-one, instance-two',
    );
  });

  for (const [argv, says] of [
    [['state', 'migrate', '--from', '/x'], /needs --from LOCATION and --to LOCATION/],
    [['state', 'copy'], /Unknown state subcommand "copy"/],
    [['state', 'migrate', '--from', '/x', '--to', '/x'], /name the same state/],
    [
      ['state', 'migrate', '--from', '/x', '--to', 'redis://u:pw-in-url@h:1/db'],
      /--to: "redis:\/\/u:<redacted>@h:1\/db" names database "db"/,
    ],
  ] as const) {
    it(`exits 2 with one line for: ${argv.slice(1).join(' ')}`, async () => {
      const run = await cli([...argv]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(says);
      expect(run.stderr.trim().split('\n')).to.have.length(1);
      expect(run.stderr).not.to.include('pw-in-url');
    });
  }

  it('fails with one line naming the server without its password when Redis is down', async () => {
    await seedFolder();
    await server.halt();
    try {
      const run = await cli(['state', 'migrate', '--from', dir, '--to', server.url()]);
      expect(run.code).to.equal(1);
      expect(run.stderr.trim().split('\n')).to.have.length.at.most(2);
      expect(run.stderr).to.include(
        `Redis at redis://:<redacted>@127.0.0.1:${server.port}/0 is unavailable`,
      );
      expect(run.stderr).not.to.include('migrate-pw-77');
      expect(run.stderr).not.to.include('unexpected');
    } finally {
      await server.resume();
      await admin.close();
      admin = await connectRedis(parseRedisUrl(server.url(), 'test'));
    }
  });
});
