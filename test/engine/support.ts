/**
 * The engine end to end: a simulated tenant in this process, an engine on it (two instances: the
 * default one with a client secret, "second" with a certificate), listening on a free loopback
 * port, and a real HTTP client (fetch). Every harness is closed by its suite: the server stopped,
 * the simulator closed, the temporary state removed.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/base/clock.js';
import { Redactor } from '../../src/base/redact.js';
import type { AdmissionLimits } from '../../src/engine/admission.js';
import { environmentKeys, keyRing, parseKeysFile } from '../../src/engine/api-keys.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { jsonLog } from '../../src/engine/log.js';
import { startServer, type RunningServer } from '../../src/engine/server.js';
import type { SharedState } from '../../src/engine/shared-state.js';
import { createClock } from '../../src/base/clock.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index.js';

/** Read and write on every instance (MSGRAPH_USER_API_KEYS). */
export const RW_KEY = 'rw-key-0123456789abcdef';
/** Every class on every instance (keys file). */
export const ADMIN_KEY = 'admin-key-0123456789abcdef';
/** Read only, and only on instance "second" (keys file). */
export const SECOND_READER_KEY = 'second-reader-0123456789abcdef';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; tests cast it to the shape they assert. */
  json: unknown;
}

export interface EngineHarness {
  sim: Simulator;
  engine: Engine;
  server: RunningServer;
  url: string;
  stateDir: string;
  /** Every log line the engine wrote. */
  logLines: string[];
  post(path: string, body?: unknown, key?: string | null): Promise<Answer>;
  get(path: string, key?: string | null): Promise<Answer>;
  /** Requests the simulator has answered so far (Graph and identity alike). */
  simRequests(): number;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: SimulatorOptions;
  admission?: Partial<AdmissionLimits>;
  clock?: Clock;
  /** Shared state (Redis) instead of the state dir; the server's stop closes it. */
  state?: SharedState;
}

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function startEngineHarness(options: HarnessOptions = {}): Promise<EngineHarness> {
  const sim = await startSimulator(options.sim);
  const stateDir = await mkdtemp(join(tmpdir(), 'msgraph-user-engine-'));
  const instances = [
    {
      name: 'default',
      origin: 'test',
      runtime: { params: sim.paramsFor('client-credentials'), stateDir, ca: sim.caPem },
    },
    {
      name: 'second',
      origin: 'test',
      runtime: { params: sim.paramsFor('certificate'), stateDir, ca: sim.caPem },
    },
  ];
  const keys = [
    ...environmentKeys(RW_KEY),
    ...parseKeysFile(
      {
        keys: [
          {
            name: 'admin',
            sha256: sha256(ADMIN_KEY),
            instances: ['*'],
            classes: ['read', 'write', 'destructive', 'credential'],
          },
          {
            name: 'second-reader',
            sha256: sha256(SECOND_READER_KEY),
            instances: ['second'],
            classes: ['read'],
          },
        ],
      },
      'test',
      instances.map((i) => i.name),
    ),
  ];
  const logLines: string[] = [];
  const redactor = new Redactor();
  const clock = options.clock ?? createClock({ unref: true });
  const engine = await createEngine({
    instances,
    keys: keyRing(keys),
    redactor,
    clock,
    log: jsonLog((line) => logLines.push(line), redactor, clock, 'debug'),
    admission: options.admission,
    state: options.state,
  });
  const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  const headers = (key: string | null | undefined, json: boolean) => ({
    ...(key === null ? {} : { authorization: `Bearer ${key ?? RW_KEY}` }),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  return {
    sim,
    engine,
    server,
    url: server.url,
    stateDir,
    logLines,
    post: async (path, body, key) =>
      answer(
        await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: headers(key, body !== undefined),
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      ),
    get: async (path, key) =>
      answer(await fetch(`${server.url}${path}`, { headers: headers(key, false) })),
    simRequests: () => (sim.stats() as { totalRequests: number }).totalRequests,
    async close() {
      await server.stop(10_000);
      await sim.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
