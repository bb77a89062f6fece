import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { FLOWS, startSimulator, type SimulatorOptions } from './index.js';

export interface SimCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Stops the sim (tests); otherwise it runs until SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

const USAGE = `usage: msgraph-user sim [--port N] [--users N] [--latency-ms N] [--p429 P] [--p503 P]
                        [--retry-after S] [--token-lifetime S] [--seed S] [--out-dir DIR]`;

const OPTIONS = {
  port: { type: 'string' },
  users: { type: 'string' },
  'latency-ms': { type: 'string' },
  p429: { type: 'string' },
  p503: { type: 'string' },
  'retry-after': { type: 'string' },
  'token-lifetime': { type: 'string' },
  seed: { type: 'string' },
  'out-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class FlagError extends Error {}

function number(
  flag: string,
  raw: string | undefined,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new FlagError(`--${flag} must be ${rule} (got '${raw}')`);
  }
  return value;
}

function parseOptions(argv: string[]): SimulatorOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // parseArgs explains some errors over several lines; the CLI promises one.
    throw new FlagError(((err as Error).message.split('\n')[0] ?? '').trim());
  }
  if (values.help) return 'help';
  const int = (n: number) => Number.isInteger(n) && n >= 0;
  const probability = (n: number) => n >= 0 && n <= 1;
  const options: SimulatorOptions = { outDir: values['out-dir'] ?? './.msgraph-user-sim' };
  const set = <K extends keyof SimulatorOptions>(
    key: K,
    value: SimulatorOptions[K] | undefined,
  ) => {
    if (value !== undefined) options[key] = value;
  };
  set(
    'port',
    number('port', values.port, (n) => int(n) && n <= 65535, 'an integer 0..65535'),
  );
  set('users', number('users', values.users, int, 'a non-negative integer'));
  set(
    'latencyMs',
    number('latency-ms', values['latency-ms'], (n) => n >= 0, 'a non-negative number'),
  );
  set('p429', number('p429', values.p429, probability, 'between 0 and 1'));
  set('p503', number('p503', values.p503, probability, 'between 0 and 1'));
  set(
    'retryAfter',
    number('retry-after', values['retry-after'], (n) => n >= 0, 'a non-negative number'),
  );
  set(
    'tokenLifetime',
    number(
      'token-lifetime',
      values['token-lifetime'],
      (n) => int(n) && n > 0,
      'a positive integer',
    ),
  );
  set('seed', values.seed);
  return options;
}

async function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  // The listeners are removed afterwards so Ctrl+C behaves normally once the sim has stopped.
  const cleanup = new AbortController();
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  const stops = [
    quiet(once(process, 'SIGINT', { signal: cleanup.signal })),
    quiet(once(process, 'SIGTERM', { signal: cleanup.signal })),
  ];
  if (signal) {
    stops.push(
      signal.aborted ? Promise.resolve() : quiet(once(signal, 'abort', { signal: cleanup.signal })),
    );
  }
  await Promise.race(stops);
  cleanup.abort();
}

/** `msgraph-user sim ...`: starts the simulator, writes ca.pem and params files, runs until stopped. */
export async function runSimCli(argv: string[], io: SimCliIo): Promise<number> {
  let options: SimulatorOptions | 'help';
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    io.stderr.write(`msgraph-user sim: ${err.message}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sim = await startSimulator(options);
  const lines = [
    `msgraph-user simulator listening on ${sim.url} (tenant ${sim.tenantId}, ${sim.tenantDomain})`,
    `CA certificate: ${sim.caFile ?? ''}`,
    `  export NODE_EXTRA_CA_CERTS=${sim.caFile ?? ''}`,
    `Managed identity (IMDS): ${sim.imdsUrl}`,
    `  export AZURE_POD_IDENTITY_AUTHORITY_HOST=${sim.imdsUrl}`,
    'Params files:',
    ...FLOWS.map((flow) => `  ${flow}: ${sim.paramsFiles[flow] ?? ''}`),
    'Press Ctrl+C to stop.',
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  await waitForStop(io.signal);
  await sim.close();
  io.stdout.write('msgraph-user simulator stopped.\n');
  return 0;
}

/** For `msgraph-user serve --sim`: bin/msgraph-user.js hands it to the CLI bundle. */
export { startSimulator } from './index.js';
