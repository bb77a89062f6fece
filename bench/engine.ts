/**
 * Bench section 6: the engine (`msgraph-user serve`, as a process on the built product) at sim
 * latency 0, against the same command run in process and a bare axios request.
 *
 *  - engine call: an axios POST /v1/commands/msgraph-user-get (keep-alive, sequential);
 *  - in process: runtime.execute('msgraph-user-get') on a runtime in the bench process;
 *  - bare axios: the same POST to a bare node:http server (bare-server.mjs, its own process)
 *    answering the engine's answer, byte for byte: the HTTP exchange any API pays;
 *  - bare Graph GET (info): axios GET of the exact Graph URL the command requests.
 *
 * Blocks of each alternate, in rotating order; a figure is the median over blocks of the mean
 * per call. Engine overhead = engine call - in process - bare axios: what the engine adds to a
 * command beyond an HTTP exchange (key check, routing, policy, validation, queue, gate, JSON,
 * access log, metrics). Cross-check from the engine's own access log: the median of duration_ms
 * (fastify's time for the request) minus command_ms (the command's). Throughput: `CONCURRENT`
 * clients sending POSTs together, commands per second.
 */
import axios, { type AxiosInstance } from 'axios';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Runtime } from '../src/index.js';
import { median, round, summarize } from './lib.js';

export const KEY = 'bench-engine-key-0123456789abcdef';

export interface EngineBenchInput {
  cli: string;
  root: string;
  /** Where the engine's access log (its stderr) goes. */
  accessLog: string;
  bareServer: string;
  paramsFile: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  caPem: string;
  named: string;
  /** The Graph URL msgraph-user-get requests, and a token for it. */
  graphUrl: string;
  token: string;
  runtime: Runtime;
  rounds: number;
  block: number;
  throughputCommands: number;
}

export const CONCURRENT = 32;

interface Child {
  /** What the child printed that matched the pattern. */
  found: string;
  /** The CPU time the process has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat's times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (Linux /proc), in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
}

const ownCpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Spawns `node args`, waits for `pattern` on its stdout; stderr goes to `stderrFile`. */
export async function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  pattern: RegExp,
  stderrFile: string,
): Promise<Child> {
  const stderr = openSync(stderrFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', stderr],
  });
  closeSync(stderr);
  let out = '';
  const found = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
  return {
    found,
    cpuMs: () => processCpuMs(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The engine as a process; its access log (stderr) is written to a file, as in production. */
function startEngine(input: EngineBenchInput): Promise<Child> {
  const args = [
    input.cli,
    'serve',
    '--params',
    input.paramsFile,
    '--state-dir',
    input.stateDir,
    '--listen',
    '127.0.0.1:0',
    '--concurrency',
    String(CONCURRENT * 2),
  ];
  const env = { ...input.env, MSGRAPH_USER_API_KEYS: KEY };
  return startChild(args, env, input.root, / listening on (\S+) /, input.accessLog);
}

/** The engine's own time per command, from its access log: duration_ms - command_ms. */
function serverSideOverheads(accessLog: string): number[] {
  return readFileSync(accessLog, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"command_ms"'))
    .map((line) => JSON.parse(line) as { duration_ms: number; command_ms: number })
    .map((line) => line.duration_ms - line.command_ms);
}

export const perCall = async (fn: () => Promise<void>, count: number): Promise<number> => {
  const started = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return (performance.now() - started) / count;
};

export const apiClient = (baseURL: string): AxiosInstance =>
  axios.create({
    baseURL,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: CONCURRENT }),
    headers: { Authorization: `Bearer ${KEY}` },
  });

function clients(input: EngineBenchInput, engineUrl: string, bareUrl: string) {
  const engine = apiClient(engineUrl);
  const bareApi = apiClient(bareUrl);
  const graph: AxiosInstance = axios.create({
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: input.caPem }),
    headers: { Authorization: `Bearer ${input.token}` },
  });
  const engineCall = async () => {
    const answer = await engine.post('/v1/commands/msgraph-user-get', { user: input.named });
    if (answer.status !== 200 || answer.data.entries[0].Type === 4) {
      throw new Error(`bench: engine call failed: ${JSON.stringify(answer.data).slice(0, 300)}`);
    }
  };
  const inProcess = async () => {
    const run = await input.runtime.execute('msgraph-user-get', { user: input.named });
    if (run.entries.some((e) => e.Type === 4)) throw new Error('bench: in-process run failed');
  };
  const bare = async () => {
    const answer = await bareApi.post('/v1/commands/msgraph-user-get', { user: input.named });
    if (answer.status !== 200) throw new Error(`bench: bare server answered ${answer.status}`);
  };
  const graphGet = async () => {
    const answer = await graph.get(input.graphUrl);
    if (answer.status !== 200) throw new Error(`bench: bare GET answered ${answer.status}`);
  };
  return { engineCall, inProcess, bare, graphGet };
}

export async function throughput(call: () => Promise<void>, total: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next++ < total) await call();
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** The engine's answer to the measured command, for the bare server to repeat. */
async function engineAnswer(engineUrl: string, named: string): Promise<string> {
  const answer = await apiClient(engineUrl).post(
    '/v1/commands/msgraph-user-get',
    { user: named },
    {
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    },
  );
  return String(answer.data);
}

type Kind = 'engineCall' | 'inProcess' | 'bare' | 'graphGet';

interface Samples {
  /** Wall time per call, one figure per block. */
  wall: Record<Kind, number[]>;
  /** CPU time per call over every block, of the process that serves the call (when measured). */
  cpu: Partial<Record<Kind, number>>;
}

async function sample(
  paths: Record<Kind, () => Promise<void>>,
  cpuOf: Partial<Record<Kind, () => number>>,
  rounds: number,
  block: number,
): Promise<Samples> {
  const kinds = Object.keys(paths) as Kind[];
  for (let i = 0; i < 50; i++) for (const kind of kinds) await paths[kind]();
  const wall = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Samples['wall'];
  const cpuTotal: Partial<Record<Kind, number>> = {};
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(r + k) % kinds.length]!;
      const cpuBefore = cpuOf[kind]?.();
      wall[kind].push(await perCall(paths[kind], block));
      if (cpuBefore !== undefined) {
        cpuTotal[kind] = (cpuTotal[kind] ?? 0) + cpuOf[kind]!() - cpuBefore;
      }
    }
  }
  const calls = rounds * block;
  const cpu = Object.fromEntries(
    Object.entries(cpuTotal).map(([kind, ms]) => [kind, ms / calls]),
  ) as Samples['cpu'];
  return { wall, cpu };
}

export async function engineBench(input: EngineBenchInput) {
  const engine = await startEngine(input);
  let bareServer: Child | undefined;
  try {
    const body = await engineAnswer(engine.found, input.named);
    bareServer = await startChild(
      [input.bareServer],
      { ...input.env, BENCH_BODY: body },
      input.root,
      /^(\d+)\n/,
      '/dev/null',
    );
    const paths = clients(input, engine.found, `http://127.0.0.1:${bareServer.found}`);
    const server = bareServer;
    const { wall: s, cpu } = await sample(
      paths,
      { engineCall: engine.cpuMs, inProcess: ownCpuMs, bare: server.cpuMs },
      input.rounds,
      input.block,
    );
    const m = (kind: Kind) => median(s[kind]);
    const perRound = s.engineCall.map((v, i) => v - s.inProcess[i]! - s.bare[i]!);
    const serverSide = serverSideOverheads(input.accessLog);
    const commandsPerSecond = await throughput(paths.engineCall, input.throughputCommands);
    return {
      answerBytes: body.length,
      engineCallMs: summarize(s.engineCall, 3),
      inProcessMs: summarize(s.inProcess, 3),
      bareAxiosMs: summarize(s.bare, 3),
      bareGraphGetMs: summarize(s.graphGet, 3),
      overheadMs: round(m('engineCall') - m('inProcess') - m('bare'), 3),
      overheadPerRoundMedianMs: round(median(perRound), 3),
      serverSideOverheadMs: summarize(serverSide, 3),
      cpuPerCallMs: {
        engineProcess: round(cpu.engineCall!, 3),
        inProcessRun: round(cpu.inProcess!, 3),
        bareServer: round(cpu.bare!, 3),
        engineOverhead: round(cpu.engineCall! - cpu.inProcess! - cpu.bare!, 3),
      },
      engineBeyondInProcessMs: round(m('engineCall') - m('inProcess'), 3),
      sequentialCommandsPerSecond: round(1000 / m('engineCall'), 0),
      concurrentClients: CONCURRENT,
      commandsPerSecond: round(commandsPerSecond, 0),
    };
  } finally {
    await bareServer?.stop();
    await engine.stop();
  }
}
