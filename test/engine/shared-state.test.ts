/**
 * The engine on shared state (Redis), in this process: it names its state (without the password)
 * in its log and metrics, a call of any face that meets Redis down is refused as
 * `state_unavailable` and counted so (also calls that only waited on another's token request),
 * and stopping the server closes the one connection.
 */
import { expect } from 'chai';
import { createClock } from '../../src/base/clock.js';
import { isRefusal } from '../../src/engine/engine.js';
import { redisState } from '../../src/engine/shared-state.js';
import {
  connectRedis,
  parseRedisUrl,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startEngineHarness, type EngineHarness } from './support.js';
import { until } from '../helpers/waiting.js';

const PASSWORD = 'engine-state-pw-41d0';

describe('the engine on shared state', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let watcher: RedisConnection;
  let h: EngineHarness | undefined;
  let display: string;

  const clients = async () =>
    String(await watcher.client.sendCommand(['CLIENT', 'LIST']))
      .split('\n')
      .filter(Boolean).length;

  before(async () => {
    redis = await startRedisServer({ password: PASSWORD });
    const target = parseRedisUrl(redis.url(), '--state');
    display = target.display;
    watcher = await connectRedis(target);
    const clock = createClock({ unref: true });
    h = await startEngineHarness({ clock, state: await redisState(target, { clock }) });
  });
  after(async () => {
    await h?.close();
    await watcher?.close();
    await redis?.stop();
  });

  it('names its state, without the password, in the log and the metrics', async () => {
    const listening = h!.logLines.map((l) => JSON.parse(l) as { msg: string; state?: string });
    // The log's redactor also hides whatever sits where a URL's password goes.
    expect(listening.find((l) => l.msg === 'listening')?.state).to.match(
      new RegExp(`^redis://:<redacted>@127\\.0\\.0\\.1:${redis.port}/0$`),
    );
    expect(display).to.equal(`redis://:<redacted>@127.0.0.1:${redis.port}/0`);
    const metrics = (await h!.get('/metrics')).text;
    expect(metrics).to.include(`msgraph_user_state_backend_info{backend="${display}"} 1`);
    expect(metrics + h!.logLines.join('')).not.to.include(PASSWORD);
  });

  it('refuses a dry run and an MCP call that meet Redis down as state_unavailable, and counts them', async () => {
    const user = h!.sim.users.adele!.userPrincipalName;
    expect((await h!.post('/v1/commands/msgraph-user-get', { user })).status).to.equal(200);
    await redis.halt();
    try {
      const dry = await h!.post('/v1/commands/msgraph-user-update', {
        user,
        updated_fields: 'jobTitle=x',
        dry_run: true,
      });
      expect(dry.status).to.equal(503);
      expect(dry.json).to.have.nested.property('error.code', 'state_unavailable');
      const grant = { name: 't', instances: ['*'], classes: ['read' as const] };
      // Calls together, on a warm instance and on a cold one (whose calls share a token request).
      const answers = await Promise.all(
        ['default', 'second', 'default', 'second', 'second'].map((instance) =>
          h!.engine.call(grant, instance, 'msgraph-user-get', { user }),
        ),
      );
      for (const answer of answers) {
        expect(isRefusal(answer) && answer.code).to.equal('state_unavailable');
        expect(isRefusal(answer) && answer.message).to.include(
          `Redis at ${display} is unavailable`,
        );
      }
    } finally {
      await redis.resume();
    }
    const metrics = (await h!.get('/metrics')).text;
    expect(metrics).to.match(
      /msgraph_user_commands_total\{command="msgraph-user-get",outcome="state_unavailable"\} 5/,
    );
  });

  it('refuses as state_unavailable the calls that shared one token request Redis dropped out of', async () => {
    const user = h!.sim.users.adele!.userPrincipalName;
    // Redis came back empty: "default" is warmed up; "second" stays cold.
    await until(
      async () => (await h!.post('/v1/commands/msgraph-user-get', { user })).status === 200,
    );
    h!.sim.setFaults({ latencyMs: 1500 });
    const grant = { name: 't', instances: ['*'], classes: ['read' as const] };
    try {
      const calls = [1, 2, 3].map(() =>
        h!.engine.call(grant, 'second', 'msgraph-user-get', { user }),
      );
      // While the one token request is out (its lock held), Redis goes away: the token's write
      // fails in one call's course, and the other two, waiting on the same request, fail with it.
      await until(
        async () => (await watcher.client.keys('msgraph-user:*:lock').catch(() => [])).length > 0,
      );
      await redis.halt();
      const answers = await Promise.all(calls);
      expect(answers.map((a) => isRefusal(a) && a.code)).to.deep.equal(
        Array(3).fill('state_unavailable'),
      );
    } finally {
      h!.sim.setFaults({ latencyMs: 0 });
      await redis.resume();
    }
  });

  it('closes its one connection when the server stops', async () => {
    await until(async () => watcher.client.isReady);
    await h!.get('/healthz');
    await until(async () => (await clients()) === 2);
    await h!.close();
    h = undefined;
    await until(async () => (await clients()) === 1);
  });
});
