/**
 * `msgraph-user serve`: the engine (src/engine/) on HTTP until SIGTERM or SIGINT. Options become
 * engine options here; access and runtime logs are JSON lines on stderr; stdout gets one line
 * saying where it listens.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../base/errors.js';
import { Redactor } from '../base/redact.js';
import { readUserFile } from '../base/user-files.js';
import {
  environmentKeys,
  hashKey,
  keyRing,
  parseKeysFile,
  type StoredKey,
} from '../engine/api-keys.js';
import { createEngine, DEFAULT_INSTANCE } from '../engine/engine.js';
import type { InstanceConfig } from '../engine/instances.js';
import { jsonLog } from '../engine/log.js';
import { startServer } from '../engine/server.js';
import { createClock } from '../base/clock.js';
import { ENGINE_INSTANCE_OPTIONS, engineInstances, engineState } from './engine-options.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { readParamsFile } from './params-source.js';

export const SERVE_USAGE = `usage: msgraph-user serve [--listen HOST:PORT] [--params FILE] [--instances FILE|DIR]
                          [--api-keys FILE] [--state-dir DIR] [--state redis://…]
                          [--tls-cert FILE --tls-key FILE]
                          [--concurrency N] [--queue N] [--shutdown-timeout SECONDS] [--debug]
       msgraph-user serve --sim [options]     (the engine on a simulated tenant)`;

const OPTIONS = {
  ...ENGINE_INSTANCE_OPTIONS,
  listen: { type: 'string' },
  'api-keys': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  concurrency: { type: 'string' },
  queue: { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  sim: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The simulated tenant `serve --sim` runs on. */
export interface SimulatedTenant {
  url: string;
  params: Record<string, unknown>;
  ca: string;
  /** Where the demo's API key is written (0600), when no key is configured. */
  apiKeyFile: string;
  stateDir: string;
}

/**
 * What `serve --sim` needs of the simulator (sim/index.ts's startSimulator). The simulator is a
 * separate program: bin/msgraph-user.js loads it and hands this function over, so the command
 * path never contains simulator code.
 */
export type StartSimulator = (options: { outDir: string }) => Promise<{
  url: string;
  caPem: string;
  paramsFor(flow: 'client-credentials'): Record<string, unknown>;
  close(): Promise<void>;
}>;

/** `serve --sim`: the simulator (files in ./.msgraph-user-sim) and the engine on it. */
export async function serveOnSimulator(
  argv: string[],
  io: CliIo,
  startSimulator: StartSimulator,
): Promise<number> {
  const outDir = resolve('.msgraph-user-sim');
  const sim = await startSimulator({ outDir });
  try {
    return await runServeCli(argv, io, {
      url: sim.url,
      params: sim.paramsFor('client-credentials'),
      ca: sim.caPem,
      apiKeyFile: join(outDir, 'api-key'),
      stateDir: join(outDir, 'state'),
    });
  } finally {
    await sim.close();
  }
}

export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new UsageError(`--listen must be HOST:PORT, e.g. 127.0.0.1:8787 (got "${value}").`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${flag} must be a whole number of at least 1 (got "${value}").`);
  }
  return n;
}

async function apiKeys(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  instances: InstanceConfig[],
): Promise<StoredKey[]> {
  const keys = environmentKeys(env.MSGRAPH_USER_API_KEYS);
  if (file) {
    const data = await readParamsFile(file, 'the API keys file');
    keys.push(
      ...parseKeysFile(
        data,
        file,
        instances.map((i) => i.name),
      ),
    );
  }
  return keys;
}

/** `serve --sim` with no key configured: a random one, in a private file the demo points at. */
async function demoKey(tenant: SimulatedTenant): Promise<StoredKey> {
  const key = randomBytes(24).toString('hex');
  await writeFile(tenant.apiKeyFile, `${key}\n`, { mode: 0o600 });
  return {
    sha256: hashKey(key),
    grant: {
      name: 'demo',
      instances: ['*'],
      classes: ['read', 'write', 'destructive', 'credential'],
    },
  };
}

/**
 * SIGTERM and SIGINT, listened to until the engine has stopped. The listener stays installed
 * the whole time (not `once`): proper-lockfile's signal-exit re-raises a signal it finds no other
 * listener for, which would kill the process in the middle of the graceful stop.
 */
function stopSignals(): { next: Promise<NodeJS.Signals>; release(): void } {
  const names = ['SIGTERM', 'SIGINT'] as const;
  let received!: (signal: NodeJS.Signals) => void;
  const next = new Promise<NodeJS.Signals>((resolve) => (received = resolve));
  const listener = (signal: NodeJS.Signals) => received(signal);
  for (const name of names) process.on(name, listener);
  return { next, release: () => names.forEach((name) => process.off(name, listener)) };
}

type ServeValues = ReturnType<typeof parseServeArgs>;

const parseServeArgs = (argv: string[]) =>
  parseCommandLine(argv, OPTIONS, 'msgraph-user serve --help', false).values;

async function tlsFiles(values: ServeValues) {
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    throw new UsageError('--tls-cert and --tls-key go together: give both, or neither.');
  }
  if (!values['tls-cert']) return undefined;
  return {
    cert: await readUserFile(values['tls-cert'], 'the --tls-cert file'),
    key: await readUserFile(values['tls-key']!, 'the --tls-key file'),
  };
}

function simulatedInstance(values: ServeValues, tenant: SimulatedTenant): InstanceConfig {
  return {
    name: DEFAULT_INSTANCE,
    origin: tenant.url,
    runtime: {
      params: tenant.params,
      ca: tenant.ca,
      stateDir: values['state-dir'] ?? tenant.stateDir,
    },
  };
}

/** The engine the options describe (checked before anything listens). */
async function engineFor(values: ServeValues, io: CliIo, tenant: SimulatedTenant | undefined) {
  const instances = tenant
    ? [simulatedInstance(values, tenant)]
    : await engineInstances(values, io.env);
  const keys = await apiKeys(values['api-keys'], io.env, instances);
  if (keys.length === 0 && tenant) keys.push(await demoKey(tenant));
  if (keys.length === 0) {
    throw new UsageError(
      'No API keys: set MSGRAPH_USER_API_KEYS=<key>[,<key>...] (read and write commands on every instance) or give --api-keys FILE.',
    );
  }
  const redactor = new Redactor();
  for (const key of (io.env.MSGRAPH_USER_API_KEYS ?? '').split(',')) redactor.add(key.trim());
  const clock = createClock({ unref: true });
  const level = values.debug ? 'debug' : 'info';
  const admission = {
    concurrency: positiveInteger('concurrency', values.concurrency, 32),
    depth: positiveInteger('queue', values.queue, 1000),
  };
  const log = jsonLog((line) => io.stderr.write(line), redactor, clock, level);
  const state = await engineState(values, io.env, { clock, log, redactor });
  try {
    return await createEngine({
      instances,
      keys: keyRing(keys),
      redactor,
      clock,
      log,
      admission,
      state,
    });
  } catch (err) {
    await state.close();
    throw err;
  }
}

export async function runServeCli(
  argv: string[],
  io: CliIo,
  tenant?: SimulatedTenant,
): Promise<number> {
  const values = parseServeArgs(argv);
  if (values.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (values.sim && !tenant) {
    throw new UsageError(
      '--sim is started by the msgraph-user command (bin/msgraph-user.js), which runs the simulator beside the engine.',
    );
  }
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8787');
  const shutdownMs = positiveInteger('shutdown-timeout', values['shutdown-timeout'], 30) * 1000;
  const tls = await tlsFiles(values);
  const engine = await engineFor(values, io, tenant);
  const server = await startServer(engine, { host, port, tls }).catch(async (err: unknown) => {
    await engine.close();
    throw err;
  });
  const names = [...engine.instances.keys()].join(', ');
  const lines = [
    `msgraph-user engine listening on ${server.url} (instances: ${names}; state: ${engine.state.describe}; MCP: ${server.url}/mcp)`,
  ];
  if (tenant && engine.keys.size === 1 && !values['api-keys'] && !io.env.MSGRAPH_USER_API_KEYS) {
    lines.push(`Simulated tenant ${tenant.url}; API key in ${tenant.apiKeyFile}`);
  }
  // One write: whoever waits for the first line has the rest too.
  io.stdout.write(`${lines.join('\n')}\n`);
  const signals = stopSignals();
  try {
    engine.log.event('info', 'signal', { signal: await signals.next });
    const { drained } = await server.stop(shutdownMs);
    return drained ? 0 : 1;
  } finally {
    signals.release();
  }
}
