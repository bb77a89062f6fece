/**
 * Two `serve` replicas (two processes, each with its own state dir) on one simulated tenant and
 * one Redis, as behind a load balancer: they share one token (one token request for both, and
 * `mcp` on the same Redis uses it too); a 429 that one replica meets holds the other's Graph
 * requests to the tenant until the gate opens; Redis going away turns their calls into clean
 * 503s naming the server without its password, and they recover by themselves when it returns.
 * Start-up refuses a bad key or a bad or unreachable --state with one clear line.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { BIN, ensureBuilt } from '../e2e/support.js';
import { processEssentials } from '../reliability/support.js';
import { connectRedis, parseRedisUrl } from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { KEY, startServe, type ServeProcess } from './serve-process.js';
import { until } from '../helpers/waiting.js';

const PASSWORD = 'replica-redis-pw-93be';
const STATE_KEY = 'b'.repeat(64);

const call = async (serve: ServeProcess, user: string) => {
  const response = await fetch(`${serve.url}/v1/commands/msgraph-user-get`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** A metric's value for the default instance (and `service`), from the replica's /metrics. */
async function metric(serve: ServeProcess, name: string, service?: string): Promise<number> {
  const response = await fetch(`${serve.url}/metrics`, {
    headers: { authorization: `Bearer ${KEY}` },
  });
  const labels = service ? `{instance="default",service="${service}"}` : `{instance="default"}`;
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name}${labels}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function stopServe(serve: ServeProcess | undefined): Promise<void> {
  if (!serve || serve.child.exitCode !== null) return;
  serve.child.kill('SIGTERM');
  await serve.exited;
}

describe('engine replicas sharing one Redis', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let redis: RedisServer;
  let dir: string;
  let replicaA: ServeProcess;
  let replicaB: ServeProcess;
  let adele: string;
  let params: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-replicas-'));
    sim = await startSimulator({ outDir: join(dir, 'sim') });
    redis = await startRedisServer({ password: PASSWORD });
    params = join(dir, 'params.json');
    await writeFile(params, JSON.stringify(sim.paramsFor('client-credentials')), { mode: 0o600 });
    env = {
      NODE_EXTRA_CA_CERTS: sim.caFile,
      MSGRAPH_USER_STATE: redis.url(),
      MSGRAPH_USER_STATE_KEY: STATE_KEY,
    };
    const start = (name: string) =>
      startServe(['--params', params, '--state-dir', join(dir, `state-${name}`)], env);
    [replicaA, replicaB] = await Promise.all([start('a'), start('b')]);
    adele = sim.users.adele!.userPrincipalName;
  });
  after(async () => {
    await Promise.all([stopServe(replicaA), stopServe(replicaB)]);
    await sim?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => sim.setFaults({ p429: 0 }));

  it('say which state they use, without the password', () => {
    for (const replica of [replicaA, replicaB]) {
      expect(replica.stdout()).to.include(`state: redis://:<redacted>@127.0.0.1:${redis.port}/0;`);
      expect(replica.stdout() + replica.stderr()).not.to.include(PASSWORD);
      expect(replica.stdout() + replica.stderr()).not.to.include(STATE_KEY);
    }
  });

  it('share one token: one token request serves both replicas', async () => {
    expect((await call(replicaA, adele)).status).to.equal(200);
    expect((await call(replicaB, adele)).status).to.equal(200);
    expect((await call(replicaA, adele)).status).to.equal(200);
    expect(sim.stats().tokensIssued).to.deep.equal({ client_credentials: 1 });
    expect(await metric(replicaB, 'msgraph_user_upstream_requests_total', 'token')).to.equal(0);
  });

  it('share it with `mcp` on the same Redis, which lets its connection go when stdin ends', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'mcp', '--params', params, '--state-dir', join(dir, 'state-mcp')],
      {
        env: { ...processEssentials(), ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const exited = once(child, 'exit');
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
    const send = (message: object) => child.stdin!.write(`${JSON.stringify(message)}\n`);
    const answer = async (id: number) => {
      await until(() => out.split('\n').some((l) => l.includes(`"id":${id}`)), 2_000);
      return JSON.parse(out.split('\n').find((l) => l.includes(`"id":${id}`))!) as {
        result: { isError?: boolean };
      };
    };
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-03-26',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    await answer(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'msgraph-user-get', arguments: { user: adele } },
    });
    expect((await answer(2)).result.isError).to.equal(false);
    child.stdin!.end();
    const [code] = await exited;
    clearTimeout(guard);
    expect(code).to.equal(0);
    expect(sim.stats().tokensIssued).to.deep.equal({ client_credentials: 1 });
  });

  it('hold replica B’s Graph requests at the gate that replica A’s 429 closed', async () => {
    const throttledBefore = sim.stats().throttled as number;
    sim.setFaults({ p429: 1, retryAfter: 3 });
    const first = call(replicaA, adele);
    await until(() => (sim.stats().throttled as number) > throttledBefore);
    sim.setFaults({ p429: 0 });
    // B goes once A has closed the gate on Redis (not merely once the simulator answered 429).
    const watcher = await connectRedis(parseRedisUrl(redis.url(), 'test'));
    try {
      await until(async () => (await watcher.client.keys('msgraph-user:*:throttle')).length > 0);
    } finally {
      await watcher.close();
    }
    const second = await call(replicaB, adele);
    expect(second.status).to.equal(200);
    expect((await first).status).to.equal(200);
    // B never met a 429 of its own: it waited at the gate A closed, then went through.
    expect(sim.stats().throttled).to.equal(throttledBefore + 1);
    expect(await metric(replicaA, 'msgraph_user_graph_throttled_total')).to.equal(1);
    expect(await metric(replicaB, 'msgraph_user_graph_throttled_total')).to.equal(0);
    expect(await metric(replicaB, 'msgraph_user_throttle_gate_wait_seconds_total')).to.be.above(0);
  });

  it('answer 503 naming Redis (never its password) while it is down, and recover when it returns', async () => {
    await redis.halt();
    try {
      for (const replica of [replicaA, replicaB]) {
        const answer = await call(replica, adele);
        expect(answer.status).to.equal(503);
        expect(answer.headers.get('retry-after')).to.equal('2');
        const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
        expect(body.error.code).to.equal('state_unavailable');
        expect(body.error.message).to.match(
          new RegExp(`Redis at redis://:<redacted>@127\\.0\\.0\\.1:${redis.port}/0 is unavailable`),
        );
        expect(answer.text + replica.stderr()).not.to.include(PASSWORD);
      }
    } finally {
      await redis.resume();
    }
    for (const replica of [replicaA, replicaB]) {
      await until(async () => (await call(replica, adele)).status === 200);
      expect(replica.child.exitCode).to.equal(null);
      expect(replica.stderr()).to.include('"msg":"state reconnecting"');
    }
  });
});

describe('serve --state, refused at start', function () {
  this.timeout(120_000);
  let dir: string;
  let params: string;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-serve-state-'));
    params = join(dir, 'params.json');
    const fake = { tenant_id: 'contoso.onmicrosoft.com', auth_id: 'app', enc_key: 'secret' };
    await writeFile(params, JSON.stringify(fake), { mode: 0o600 });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const failedStart = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const serve = startServe(['--params', params, '--state-dir', join(dir, 'state'), ...args], env);
    const error = await serve.then(
      async (running) => {
        await stopServe(running);
        throw new Error('serve started');
      },
      (e: Error) => e.message,
    );
    return error;
  };

  it('refuses a URL that is not Redis as a usage error naming the option (exit 2)', async () => {
    const error = await failedStart(['--state', 'http://ops:pw-not-shown@cache:6379']);
    expect(error).to.match(
      /^serve exited 2: msgraph-user: --state: "http:\/\/ops:<redacted>@cache:6379" is not a Redis URL/,
    );
    expect(error).not.to.include('pw-not-shown');
  });

  it('refuses a malformed MSGRAPH_USER_STATE_KEY before connecting, never showing it (exit 2)', async () => {
    const error = await failedStart(['--state', 'redis://127.0.0.1:1/0'], {
      MSGRAPH_USER_STATE_KEY: 'not-a-key-3f9a',
    });
    expect(error).to.match(
      /^serve exited 2: msgraph-user: MSGRAPH_USER_STATE_KEY is not a valid key/,
    );
    expect(error).not.to.include('not-a-key-3f9a');
  });

  it('gives up on an unreachable Redis after a few tries, naming it from MSGRAPH_USER_STATE', async () => {
    const redis = await startRedisServer();
    const url = redis.url();
    await redis.stop();
    const error = await failedStart([], { MSGRAPH_USER_STATE: url });
    expect(error).to.match(
      /^serve exited 1: .*Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/,
    );
    expect(error).not.to.match(/\n\s+at /);
  });
});
