/**
 * Bench section 7: the engine on shared state (`serve --state redis://…`) against the engine on
 * its state dir, at sim latency 0, everything on this machine (Redis on loopback).
 *
 *  - per command: blocks of sequential POST /v1/commands/msgraph-user-get to a replica on Redis
 *    and to one on its state dir, alternating; the ratio of the medians over blocks, and their
 *    difference: what the shared state (token read, gate check) adds to a command;
 *  - Redis commands per engine call: Redis's own count (INFO stats) over a block of calls, and
 *    the same two round trips sent bare from the bench process (the floor);
 *  - two replicas on one Redis: the token requests the simulator saw for a fresh instance after
 *    calls through both (1 means one token served both), and commands/s of the two replicas
 *    together against one replica alone (CONCURRENT clients either way).
 *
 * Redis is a real redis-server (test/helpers/redis-server.ts); without one the section reports
 * that it was skipped.
 */
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.js';
import {
  apiClient,
  CONCURRENT,
  KEY,
  perCall,
  startChild,
  throughput,
  type EngineBenchInput,
} from './engine.js';
import { median, round, summarize, type SimProcess } from './lib.js';

export interface SharedStateBenchInput extends Pick<
  EngineBenchInput,
  'cli' | 'root' | 'paramsFile' | 'env' | 'named'
> {
  sim: SimProcess;
  newDir(name: string): string;
  rounds: number;
  block: number;
  throughputCommands: number;
}

function startReplica(input: SharedStateBenchInput, state: string | undefined) {
  const args = [
    input.cli,
    'serve',
    '--params',
    input.paramsFile,
    '--state-dir',
    input.newDir('shared-state'),
    '--listen',
    '127.0.0.1:0',
    '--concurrency',
    String(CONCURRENT * 2),
    ...(state ? ['--state', state] : []),
  ];
  const env = { ...input.env, MSGRAPH_USER_API_KEYS: KEY };
  return startChild(args, env, input.root, / listening on (\S+) /, '/dev/null');
}

function caller(url: string, named: string) {
  const client = apiClient(url);
  return async () => {
    const answer = await client.post('/v1/commands/msgraph-user-get', { user: named });
    if (answer.status !== 200 || answer.data.entries[0].Type === 4) {
      throw new Error(`bench: engine call failed: ${JSON.stringify(answer.data).slice(0, 300)}`);
    }
  };
}

/**
 * The floor: the same two round trips a call makes (a hash read, a PTTL) sent bare from this
 * process on one connection, in blocks; ms per pair, median over blocks.
 */
async function bareRoundTrips(redis: RedisServer, rounds: number, block: number) {
  const { createClient } = await import('@redis/client');
  const client = createClient({ url: redis.url() });
  await client.connect();
  try {
    const pair = async () => {
      await client.hGetAll('msgraph-user:bench:context');
      await client.pTTL('msgraph-user:bench:throttle');
    };
    const blocks: number[] = [];
    for (let r = 0; r < rounds; r++) blocks.push(await perCall(pair, block));
    return median(blocks);
  } finally {
    client.destroy();
  }
}

/** Commands Redis has processed so far (its INFO stats), read over a connection of our own. */
async function redisCommands(redis: RedisServer): Promise<number> {
  const { createClient } = await import('@redis/client');
  const client = createClient({ url: redis.url() });
  await client.connect();
  try {
    const info = await client.info('stats');
    return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
  } finally {
    client.destroy();
  }
}

export async function sharedStateBench(input: SharedStateBenchInput) {
  let redis: RedisServer;
  try {
    redis = await startRedisServer();
  } catch (err) {
    return { skipped: (err as Error).message };
  }
  const children: { stop(): Promise<void> }[] = [];
  try {
    const tokensBefore = (await input.sim.stats()).tokensIssued.client_credentials ?? 0;
    const [onRedis, second, local] = await Promise.all([
      startReplica(input, redis.url()),
      startReplica(input, redis.url()),
      startReplica(input, undefined),
    ]);
    children.push(onRedis, second, local);
    const redisCall = caller(onRedis.found, input.named);
    const secondCall = caller(second.found, input.named);
    const localCall = caller(local.found, input.named);
    // The first calls: the Redis replicas share one token, the local one fetches its own.
    await redisCall();
    await secondCall();
    await localCall();
    const tokensForThree =
      (await input.sim.stats()).tokensIssued.client_credentials! - tokensBefore;
    for (let i = 0; i < 50; i++) {
      await redisCall();
      await localCall();
    }
    const wall = { redis: [] as number[], local: [] as number[] };
    for (let r = 0; r < input.rounds; r++) {
      const order = r % 2 ? (['local', 'redis'] as const) : (['redis', 'local'] as const);
      for (const kind of order) {
        wall[kind].push(await perCall(kind === 'redis' ? redisCall : localCall, input.block));
      }
    }
    const before = await redisCommands(redis);
    for (let i = 0; i < input.block; i++) await redisCall();
    // One INFO of ours is counted in the second reading.
    const redisPerCall = ((await redisCommands(redis)) - before - 1) / input.block;
    const bareMs = await bareRoundTrips(redis, input.rounds, input.block);
    const half = Math.floor(input.throughputCommands / 2);
    const oneReplica = await throughput(redisCall, input.throughputCommands);
    const both = await throughput(
      (() => {
        let turn = 0;
        return () => (turn++ % 2 ? secondCall() : redisCall());
      })(),
      half * 2,
    );
    return {
      perCommandMs: { redis: summarize(wall.redis, 3), local: summarize(wall.local, 3) },
      ratio: round(median(wall.redis) / median(wall.local), 2),
      addedMs: round(median(wall.redis) - median(wall.local), 3),
      redisCommandsPerCall: round(redisPerCall, 2),
      bareRoundTripsMs: round(bareMs, 3),
      tokenRequests: {
        replicasOnRedis: 2,
        localReplicas: 1,
        total: tokensForThree,
        note: 'The two replicas on Redis share one token; the one on its state dir fetches its own: 2 in all.',
      },
      commandsPerSecond: {
        oneReplica: round(oneReplica, 0),
        twoReplicas: round(both, 0),
        ratio: round(both / oneReplica, 2),
        clients: CONCURRENT,
      },
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await redis.stop();
  }
}
