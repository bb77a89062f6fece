/**
 * The headline of shared state: 4 CLI processes that share nothing but a Redis server (each has
 * its own state folder) start cold at once, each running 50 commands (one `playbook run`)
 * against the simulated tenant, with the state encrypted. Five of each process's commands write
 * the instance's state (a new MFA client secret), so a lost update would show in the state's
 * version, and a lock that did not hold across processes in the number of tokens issued.
 */
import { expect } from 'chai';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { openRedisBackend } from '../../src/state/open-backend.js';
import {
  connectRedis,
  parseRedisUrl,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { ensureBuilt } from '../e2e/support.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import {
  linearPlaybook,
  listFiles,
  runCliProcess,
  TempDirs,
  writeJson,
  type CliResult,
  type PlaybookStep,
} from './support.js';

const PROCESSES = 4;
const COMMANDS = 50;
/** Every tenth command writes the state. */
const WRITES = COMMANDS / 10;
const KEY = Buffer.alloc(32, 0x5a).toString('hex');

function playbookYaml(sim: Simulator): string {
  const { kim, sara, adele } = sim.users as Record<string, { userPrincipalName: string }>;
  const reads: PlaybookStep[] = [
    ['msgraph-user-get', { user: kim!.userPrincipalName }],
    ['msgraph-user-list', { limit: '5' }],
    ['msgraph-user-get-groups', { user: kim!.userPrincipalName }],
    ['msgraph-user-get-manager', { user: sara!.userPrincipalName }],
    ['msgraph-user-get-auth-methods', { user: kim!.userPrincipalName }],
    ['msgraph-user-email-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-get', { user: adele!.userPrincipalName }],
    ['msgraph-user-phone-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-test', {}],
  ];
  const steps = Array.from({ length: COMMANDS }, (_, i): PlaybookStep =>
    i % 10 === 0 ? ['msgraph-user-create-mfa-client-secret', {}] : reads[i % reads.length]!,
  );
  return linearPlaybook('SharedState', steps);
}

describe(`shared state: ${PROCESSES} processes × ${COMMANDS} commands on one Redis`, function () {
  this.timeout(240_000);
  const dirs = new TempDirs();
  let sim: Simulator;
  let redis: RedisServer;
  let admin: RedisConnection;
  let stateDirs: string[];
  let results: CliResult[];

  before(async () => {
    await ensureBuilt();
    const dir = await dirs.make('redis-state');
    redis = await startRedisServer({ password: 'shared-pw-93' });
    admin = await connectRedis(parseRedisUrl(redis.url(), 'test'));
    sim = await startSimulator({ outDir: join(dir, 'sim') });
    const params = await writeJson(join(dir, 'params.json'), {
      ...sim.paramsFor('client-credentials'),
      allow_secret_generators: true,
    });
    const playbook = join(dir, 'shared.yml');
    await writeFile(playbook, playbookYaml(sim));
    stateDirs = Array.from({ length: PROCESSES }, (_, i) => join(dir, `state-${i}`));
    results = await Promise.all(
      stateDirs.map((stateDir, i) => {
        // Half name the server with --state, half with MSGRAPH_USER_STATE.
        const byOption = i % 2 === 0;
        const argv = ['playbook', 'run', playbook, '--params', params, '--state-dir', stateDir];
        return runCliProcess(
          [...argv, ...(byOption ? ['--state', redis.url()] : []), '--output', 'json'],
          {
            env: {
              NODE_EXTRA_CA_CERTS: sim.caFile,
              MSGRAPH_USER_STATE_KEY: KEY,
              ...(byOption ? {} : { MSGRAPH_USER_STATE: redis.url() }),
            },
            killAfterMs: 200_000,
          },
        );
      }),
    );
  });
  after(async () => {
    await sim?.close();
    await admin?.close();
    await redis?.stop();
    await dirs.removeAll();
  });

  it('every command of every process succeeds, and every process ends', () => {
    for (const [i, result] of results.entries()) {
      expect(result.code, `process ${i}: ${result.stderr}`).to.equal(0);
      const report = JSON.parse(result.stdout) as {
        status: string;
        tasks: { command?: string; status: string; error?: string }[];
      };
      expect(report.status).to.equal('completed');
      const commands = report.tasks.filter((t) => t.command?.startsWith('msgraph-'));
      expect(commands).to.have.length(COMMANDS);
      expect(
        commands.filter((t) => t.status !== 'completed').map((t) => `${t.command}: ${t.error}`),
        `process ${i}`,
      ).to.deep.equal([]);
    }
  });

  it('the simulator issued exactly one token', () => {
    expect(sim.stats().tokensIssued).to.deep.equal({ client_credentials: 1 });
  });

  it('Redis counts every write (no lost update) and holds only ciphertext, and no lock', async () => {
    const keys = await admin.client.keys('*');
    expect(keys).to.have.length(1);
    expect(keys[0]).to.match(/^msgraph-user:instance-[0-9a-f]{16}:context$/);
    const stored = await admin.client.hGetAll(keys[0]!);
    // One write stored the token; every other write is a secret stored by a command.
    expect(Number(stored.version)).to.equal(1 + PROCESSES * WRITES);
    expect(stored.data).to.match(/^aes256gcm:v1:/);
    const addPassword = (sim.stats().requests as Record<string, number>)[
      'POST /v1.0/servicePrincipals/{id}/addPassword'
    ];
    expect(addPassword).to.equal(PROCESSES * WRITES);
    const backend = await openRedisBackend(redis.url(), { origin: 'test', key: KEY });
    try {
      const instance = keys[0]!.split(':')[1]!;
      const { context } = await backend.store(instance).get();
      expect(context.access_token, 'the first write was kept by all later ones').to.be.a('string');
      expect(context.mfa_client_secret).to.have.property('secret').that.is.a('string');
      expect(stored.data).not.to.include(context.access_token as string);
    } finally {
      await backend.close();
    }
  });

  it('keeps no state in any process folder', async () => {
    for (const stateDir of stateDirs) {
      const files = await listFiles(stateDir);
      expect(
        files.filter((f) => f.endsWith('context.json')),
        stateDir,
      ).to.deep.equal([]);
    }
    expect(await readdir(stateDirs[0]!).catch(() => [])).not.to.include('context.json');
  });

  it('never shows the Redis password', () => {
    for (const result of results) {
      expect(result.stdout + result.stderr).not.to.include('shared-pw-93');
    }
  });
});
