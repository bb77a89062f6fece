import { expect } from 'chai';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { UsageError } from '../../src/base/errors.js';
import {
  connectRedis,
  parseRedisUrl,
  RedisUnavailableError,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { eventually, failure } from '../helpers/waiting.js';

describe('Redis URLs', () => {
  it('accepts redis:// and rediss:// with a database number', () => {
    expect(parseRedisUrl('redis://localhost:6379/2', '--state').tls).to.equal(false);
    expect(parseRedisUrl('rediss://cache.example:6380', '--state').tls).to.equal(true);
  });

  it('shows the URL without its password', () => {
    const target = parseRedisUrl('redis://ops:s3cret-pw@cache.example:6379/0', '--state');
    expect(target.display).to.equal('redis://ops:<redacted>@cache.example:6379/0');
  });

  for (const [url, words] of [
    ['http://cache.example:6379', 'is not a Redis URL'],
    ['redis://cache.example:6379/main', 'must be a database number'],
    ['redis://cache.example:6379/0?tls=1', 'query or fragment'],
    ['not a url:s3cret-pw@x', 'is not a URL'],
    ['redis://:s3cret-pw%zz@cache.example:6379/0', 'write "%" as %25'],
  ] as const) {
    it(`refuses ${url.split('@')[0]} as a usage error naming the option, never the password`, () => {
      let thrown: unknown;
      try {
        parseRedisUrl(url, 'MSGRAPH_USER_STATE');
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(UsageError);
      expect((thrown as Error).message)
        .to.include('MSGRAPH_USER_STATE')
        .and.include(words);
      expect((thrown as Error).message).not.to.include('s3cret-pw');
    });
  }
});

describe('Redis connection', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let secured: RedisServer;
  const opened: RedisConnection[] = [];

  before(async () => {
    server = await startRedisServer();
    secured = await startRedisServer({ password: 'pa55-word-xyz' });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await server?.stop();
    await secured?.stop();
  });

  it('connects and runs commands', async () => {
    const connection = await connectRedis(parseRedisUrl(server.url(), '--state'));
    opened.push(connection);
    expect(await connection.use('ping', (c) => c.ping())).to.equal('PONG');
  });

  it('gives up on a server that is not there after a few tries, naming it', async () => {
    const gone = await startRedisServer();
    const url = gone.url();
    await gone.stop();
    const err = await failure(
      connectRedis(parseRedisUrl(url, '--state'), { connectAttempts: 2, connectTimeoutMs: 500 }),
    );
    expect(err).to.be.instanceOf(RedisUnavailableError);
    expect(err.message).to.include(`127.0.0.1:${gone.port}`).and.include('ECONNREFUSED');
  });

  it('says the credentials were refused, without repeating them', async () => {
    const wrong = secured.url().replace('pa55-word-xyz', 'wrong-pw-123');
    const err = await failure(
      connectRedis(parseRedisUrl(wrong, '--state'), { connectAttempts: 1 }),
    );
    expect(err).to.be.instanceOf(RedisUnavailableError);
    expect(err.message).to.include('refused the credentials').and.include('<redacted>');
    expect(err.message).not.to.include('wrong-pw-123');
  });

  it('fails commands at once while the server is down, then recovers when it returns', async () => {
    const own = await startRedisServer();
    try {
      const connection = await connectRedis(parseRedisUrl(own.url(), '--state'));
      opened.push(connection);
      await connection.use('write', (c) => c.set('k', 'v'));
      await own.halt();
      const err = await eventually(async () => {
        const e = await failure(connection.use('read the state', (c) => c.get('k')));
        return e;
      });
      expect(err).to.be.instanceOf(RedisUnavailableError);
      expect(err.message).to.match(
        /^Could not read the state: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/,
      );
      await own.resume();
      expect(await eventually(() => connection.use('ping', (c) => c.ping()))).to.equal('PONG');
    } finally {
      await own.stop();
    }
  });

  it('gives up on a server that takes the connection but never answers, instead of waiting for ever', async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const err = await failure(
        connectRedis(parseRedisUrl(`redis://:pw-xyz-1@127.0.0.1:${port}/0`, '--state'), {
          connectAttempts: 1,
          connectTimeoutMs: 300,
        }),
      );
      expect(err).to.be.instanceOf(RedisUnavailableError);
      expect(err.message).to.equal(
        `Could not connect to the state store: Redis at redis://:<redacted>@127.0.0.1:${port}/0 is unavailable (it took the connection but did not answer).`,
      );
    } finally {
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('leaves a programming error as it is', async () => {
    const connection = await connectRedis(parseRedisUrl(server.url(), '--state'));
    opened.push(connection);
    const err = await failure(
      connection.use('do something', async () => {
        throw new TypeError('a bug');
      }),
    );
    expect(err).to.be.instanceOf(TypeError);
  });
});
