/**
 * `npm run bench`: msgraph-user's speed against the simulated tenant. See bench/README.md.
 *
 * Everything is measured against the built product (bin/msgraph-user.js and dist/index.js, as
 * `npm ci` leaves them); the simulator runs in its own process. Timings are medians of repeated
 * runs, and every ratio compares two things timed alternately in the same run, because the
 * machine may be shared and noisy. Targets missed are reported, never fatal: the exit status is
 * non-zero only when the bench itself fails.
 *
 *   node --import tsx bench/run.ts [--quick] [section ...]
 *     --quick: fewer repetitions, for a smoke test; sections (startup, tokens, dispatch, listing,
 *     bulk, engine, sharedState): run only those, and update only their part of results.json
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Api from '../src/index.js';
import type { Entry, Runtime, RuntimeOptions } from '../src/index.js';
import { engineBench } from './engine.js';
import { sharedStateBench } from './shared-state.js';
import {
  median,
  round,
  runNode,
  SimProcess,
  statsDelta,
  summarize,
  type RunResult,
  type StatsDelta,
} from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'msgraph-user.js');
const RSS_PROBE = pathToFileURL(join(ROOT, 'bench', 'rss-probe.mjs')).href;
const BARE_LIST = join(ROOT, 'bench', 'bare-list.mjs');
const BARE_GET = join(ROOT, 'bench', 'bare-get.cjs');
const RESULTS = join(ROOT, 'bench', 'results.json');

const QUICK = process.argv.includes('--quick');
const SECTIONS = [
  'startup',
  'tokens',
  'dispatch',
  'listing',
  'bulk',
  'engine',
  'sharedState',
] as const;
type Section = (typeof SECTIONS)[number];
const ONLY = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const unknownSections = ONLY.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknownSections.length) {
  console.error(
    `bench: unknown section ${unknownSections.join(', ')}; sections: ${SECTIONS.join(', ')}`,
  );
  process.exit(2);
}
const selected = (name: Section) => ONLY.length === 0 || ONLY.includes(name);
const CONFIG = {
  users: 100_000,
  startupRounds: QUICK ? 5 : 20,
  coldRuns: QUICK ? 2 : 5,
  dispatchRounds: QUICK ? 4 : 10,
  dispatchBlock: QUICK ? 50 : 100,
  latencyMs: 20,
  latencyRounds: QUICK ? 2 : 5,
  latencyBlock: QUICK ? 10 : 20,
  listRounds: QUICK ? 2 : 7,
  pageSize: 999,
  bulkUsers: 1000,
  bulkRounds: QUICK ? 2 : 4,
  sequentialRuns: 50,
  concurrentRuns: 8,
  concurrentTrials: QUICK ? 1 : 3,
  engineRounds: QUICK ? 4 : 12,
  engineBlock: QUICK ? 50 : 100,
  engineThroughput: QUICK ? 1000 : 3000,
  sharedStateRounds: QUICK ? 4 : 10,
  sharedStateBlock: QUICK ? 50 : 100,
  sharedStateThroughput: QUICK ? 1000 : 2000,
};

const TARGETS = {
  /** Warm command ÷ the bare-GET floor, in both trust settings. */
  startupToFloor: 1.3,
  versionToNode: 1.3,
  dispatchShare: 0.1,
  listRatio: 1.5,
  listRssMb: 150,
  listJsonRssMb: 200,
  bulkRatio: 0.1,
  bulkRequests: 50,
  engineOverheadMs: 0.3,
};

// ---------------------------------------------------------------- report

interface Row {
  section: string;
  figure: string;
  value: string;
  target?: string;
  met?: boolean;
}

const rows: Row[] = [];
const row = (r: Row) => rows.push(r);
const ms = (v: number) => `${round(v, 1)} ms`;
const pct = (v: number) => `${round(v * 100, 1)} %`;
const x = (v: number) => `${round(v, 2)}×`;

function printTable(): void {
  const head = ['Figure', 'Value', 'Target', ''];
  const body = rows.map((r) => [
    r.figure,
    r.value,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  let section = '';
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  rows.forEach((r, i) => {
    if (r.section !== section) {
      section = r.section;
      out.push(line([`**${section}**`, '', '', '']));
    }
    out.push(line(body[i] as string[]));
  });
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------- context

interface Bench {
  sim: SimProcess;
  /** Root of every temporary file; removed at the end. */
  tmp: string;
  /** The simulator's params-client-credentials.yml. */
  paramsFile: string;
  /** The same parameters as JSON. */
  paramsJsonFile: string;
  params: Record<string, unknown>;
  caPem: string;
  dist: typeof Api;
  newDir(name: string): string;
  cliEnv(stateDir: string): NodeJS.ProcessEnv;
  runtime(stateDir: string, extra?: Partial<RuntimeOptions>): Promise<Runtime>;
}

let dirCount = 0;

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // The measured processes must be plain `node`: no inherited preloads or instance settings.
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (key.startsWith('MSGRAPH_USER_')) delete env[key];
  return env;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench: ${message}`);
}

function expectExit(result: RunResult, code: number, what: string): void {
  check(
    result.code === code,
    `${what} exited ${result.code} (expected ${code}): ${result.stderr.slice(0, 500)}`,
  );
}

const isError = (entry: Entry) => entry.Type === 4;

function expectOk(entries: Entry[], what: string): void {
  const error = entries.find(isError);
  check(!error, `${what} failed: ${String(error?.Contents ?? '').slice(0, 300)}`);
}

const elapsed = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

// ---------------------------------------------------------------- 1. CLI start-up

/**
 * Start-up, in two trust settings, each with its own yardstick and floor:
 *  - `ca`: NODE_EXTRA_CA_CERTS names the simulator's CA, for every process of the setting;
 *  - `plain`: no NODE_EXTRA_CA_CERTS, as a real user has none. The simulator's certificate is then
 *    accepted the same way by both clients: the CLI's `insecure` parameter and the bare GET's
 *    `rejectUnauthorized: false`. Both still build Node's store of public roots for the TLS
 *    context, as a client of the real Graph does; they skip only the chain check.
 * Every variant runs once a round, in a rotating order; the code cache is warm except in
 * `getColdCache`, which gets an empty cache directory every time (the first run after install).
 */
async function startup(b: Bench) {
  const section = '1. CLI start-up';
  const { named } = b.sim.ready;
  const state = b.newDir('startup');
  const caEnv = b.cliEnv(state);
  const { NODE_EXTRA_CA_CERTS: _ca, ...plainEnv } = caEnv;
  const insecureParams = join(b.tmp, 'params-insecure.yml');
  writeFileSync(insecureParams, `${readFileSync(b.paramsFile, 'utf8')}\ninsecure: true\n`, {
    mode: 0o600,
  });
  const getWith = (params: string) => [
    CLI,
    'msgraph-user-get',
    `user=${named}`,
    '--params',
    params,
  ];
  const get = getWith(b.paramsFile);
  const getPlain = getWith(insecureParams);

  const s0 = await b.sim.stats();
  expectExit(await runNode(get, { cwd: ROOT, env: caEnv }), 0, 'warm-up msgraph-user-get');
  expectExit(await runNode(getPlain, { cwd: ROOT, env: plainEnv }), 0, 'warm-up (insecure)');
  const s1 = await b.sim.stats();
  // The floor: the same GET from a bare node:https script (token handed over, nothing else).
  const [url] = await capturedUrls(b, state, 'msgraph-user-get', { user: named });
  check(url, 'could not capture the URL msgraph-user-get requests');
  const token = await (await (await b.runtime(state)).auth()).getAccessToken();
  const bareEnv = { BENCH_GET_URL: url, BENCH_TOKEN: token };
  const s2 = await b.sim.stats();

  let coldCaches = 0;
  const variants: { key: string; args: string[]; code: number; env: () => NodeJS.ProcessEnv }[] = [
    { key: 'node', args: ['-e', '0'], code: 0, env: () => caEnv },
    { key: 'bareGet', args: [BARE_GET], code: 0, env: () => ({ ...caEnv, ...bareEnv }) },
    { key: 'get', args: get, code: 0, env: () => caEnv },
    { key: 'getJson', args: getWith(b.paramsJsonFile), code: 0, env: () => caEnv },
    {
      key: 'getColdCache',
      args: get,
      code: 0,
      env: () => ({
        ...caEnv,
        MSGRAPH_USER_CACHE_DIR: join(b.tmp, `code-cache-cold-${++coldCaches}`),
      }),
    },
    // user is required: fails argument validation before anything touches the network.
    {
      key: 'invalid',
      args: [CLI, 'msgraph-user-get', '--params', b.paramsFile],
      code: 1,
      env: () => caEnv,
    },
    { key: 'version', args: [CLI, '--version'], code: 0, env: () => caEnv },
    { key: 'help', args: [CLI, 'help', 'msgraph-user-get'], code: 0, env: () => caEnv },
    { key: 'nodePlain', args: ['-e', '0'], code: 0, env: () => plainEnv },
    {
      key: 'bareGetPlain',
      args: [BARE_GET],
      code: 0,
      env: () => ({ ...plainEnv, ...bareEnv, BENCH_INSECURE: '1' }),
    },
    { key: 'getPlain', args: getPlain, code: 0, env: () => plainEnv },
    { key: 'versionPlain', args: [CLI, '--version'], code: 0, env: () => plainEnv },
  ];
  const samples: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
  for (let r = 0; r < CONFIG.startupRounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length]!;
      const result = await runNode(v.args, { cwd: ROOT, env: v.env() });
      expectExit(result, v.code, `${v.key} run`);
      samples[v.key]!.push(result.ms);
    }
  }
  const rounds = statsDelta(s2, await b.sim.stats());

  // Cold: each run on an empty state directory, alternating with `node -e 0`.
  const cold: number[] = [];
  const coldNode: number[] = [];
  const s3 = await b.sim.stats();
  let firstCold: StatsDelta | undefined;
  for (let i = 0; i < CONFIG.coldRuns; i++) {
    const coldEnv = b.cliEnv(b.newDir('cold'));
    const pair = i % 2 === 0 ? ['node', 'cold'] : ['cold', 'node'];
    for (const which of pair) {
      if (which === 'node') {
        coldNode.push((await runNode(['-e', '0'], { cwd: ROOT, env: coldEnv })).ms);
      } else {
        const before = await b.sim.stats();
        const result = await runNode(get, { cwd: ROOT, env: coldEnv });
        expectExit(result, 0, 'cold msgraph-user-get');
        cold.push(result.ms);
        firstCold ??= statsDelta(before, await b.sim.stats());
      }
    }
  }
  const coldDelta = statsDelta(s3, await b.sim.stats());

  const med = (key: string) => median(samples[key]!);
  const ratioTo = (key: string, base: string) => round(med(key) / med(base), 3);
  /** Median over rounds of (variant ÷ base in the same round): robust to load drifting. */
  const paired = (key: string, base: string) =>
    round(median(samples[key]!.map((t, i) => t / (samples[base]![i] as number))), 3);
  const GETS = ['get', 'getJson', 'getColdCache', 'bareGet', 'getPlain', 'bareGetPlain'];
  const ratios = {
    ca: {
      getToFloor: ratioTo('get', 'bareGet'),
      getToNode: ratioTo('get', 'node'),
      getJsonToFloor: ratioTo('getJson', 'bareGet'),
      coldCacheToFloor: ratioTo('getColdCache', 'bareGet'),
      floorToNode: ratioTo('bareGet', 'node'),
      versionToNode: ratioTo('version', 'node'),
      helpToNode: ratioTo('help', 'node'),
      invalidToNode: ratioTo('invalid', 'node'),
    },
    plain: {
      getToFloor: ratioTo('getPlain', 'bareGetPlain'),
      getToNode: ratioTo('getPlain', 'nodePlain'),
      floorToNode: ratioTo('bareGetPlain', 'nodePlain'),
      versionToNode: ratioTo('versionPlain', 'nodePlain'),
    },
  };
  const pairedRatios = {
    ca: { getToFloor: paired('get', 'bareGet'), versionToNode: paired('version', 'node') },
    plain: {
      getToFloor: paired('getPlain', 'bareGetPlain'),
      versionToNode: paired('versionPlain', 'nodePlain'),
    },
  };
  const met = {
    warmCa: ratios.ca.getToFloor <= TARGETS.startupToFloor,
    warmPlain: ratios.plain.getToFloor <= TARGETS.startupToFloor,
    versionCa: ratios.ca.versionToNode <= TARGETS.versionToNode,
    versionPlain: ratios.plain.versionToNode <= TARGETS.versionToNode,
  };
  const result = {
    command: `node bin/msgraph-user.js msgraph-user-get user=${named} --params <sim's params-client-credentials.yml>`,
    rounds: CONFIG.startupRounds,
    variants: {
      node: 'node -e 0, NODE_EXTRA_CA_CERTS set',
      bareGet:
        'node bench/bare-get.cjs: one node:https GET of the same URL, token from the environment (the floor for any Node client), NODE_EXTRA_CA_CERTS set',
      get: 'msgraph-user-get, YAML params file (the one the simulator writes), cached token, warm code cache, NODE_EXTRA_CA_CERTS set',
      getJson: 'the same with the params as JSON',
      getColdCache:
        'the same as get with an empty code cache directory: the first run after install',
      invalid: 'msgraph-user-get without user: fails argument validation, no network',
      version: 'msgraph-user --version',
      help: 'msgraph-user help msgraph-user-get',
      nodePlain: 'node -e 0 without NODE_EXTRA_CA_CERTS',
      bareGetPlain:
        'bench/bare-get.cjs without NODE_EXTRA_CA_CERTS, rejectUnauthorized: false (BENCH_INSECURE=1)',
      getPlain:
        'msgraph-user-get without NODE_EXTRA_CA_CERTS, the params with insecure: true (the same trust as bareGetPlain)',
      versionPlain: 'msgraph-user --version without NODE_EXTRA_CA_CERTS',
    },
    ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])),
    ratios,
    pairedRatioMedians: pairedRatios,
    targets: {
      warmToFloor: TARGETS.startupToFloor,
      versionToNode: TARGETS.versionToNode,
    },
    met,
    warmUpTokens: statsDelta(s0, s1).tokens,
    tokensDuringRounds: rounds.tokens,
    /** Requests beyond the six GET variants' one each: the validation failures', --version's, help's. */
    requestsByInvalidVersionHelp: rounds.total - CONFIG.startupRounds * GETS.length,
    cold: {
      runs: CONFIG.coldRuns,
      ms: summarize(cold),
      nodeE0Ms: summarize(coldNode),
      ratio: round(median(cold) / median(coldNode), 3),
      tokens: coldDelta.tokens,
      requestsOfFirstColdRun: firstCold?.byRoute ?? {},
    },
  };
  const r = ratios;
  row({
    section,
    figure: '`node -e 0` / bare GET floor (median; with CA env; without)',
    value: `${ms(med('node'))} / ${ms(med('bareGet'))}; ${ms(med('nodePlain'))} / ${ms(med('bareGetPlain'))} (floor ${x(r.ca.floorToNode)}; ${x(r.plain.floorToNode)} node)`,
  });
  row({
    section,
    figure: 'warm msgraph-user-get ÷ bare GET floor, NODE_EXTRA_CA_CERTS set',
    value: `${x(r.ca.getToFloor)} (${ms(med('get'))}; ${x(r.ca.getToNode)} node; JSON params ${x(r.ca.getJsonToFloor)}; per-round ${x(pairedRatios.ca.getToFloor)})`,
    target: `≤ ${TARGETS.startupToFloor}`,
    met: met.warmCa,
  });
  row({
    section,
    figure: 'warm msgraph-user-get ÷ bare GET floor, no NODE_EXTRA_CA_CERTS',
    value: `${x(r.plain.getToFloor)} (${ms(med('getPlain'))}; ${x(r.plain.getToNode)} node; per-round ${x(pairedRatios.plain.getToFloor)})`,
    target: `≤ ${TARGETS.startupToFloor}`,
    met: met.warmPlain,
  });
  row({
    section,
    figure: 'first run after install (empty code cache) ÷ floor',
    value: `${x(r.ca.coldCacheToFloor)} (${ms(med('getColdCache'))})`,
  });
  row({
    section,
    figure: '--version ÷ node -e 0 (with CA env; without)',
    value: `${x(r.ca.versionToNode)}; ${x(r.plain.versionToNode)} (${ms(med('version'))}; ${ms(med('versionPlain'))})`,
    target: `≤ ${TARGETS.versionToNode}`,
    met: met.versionCa && met.versionPlain,
  });
  row({
    section,
    figure: 'help <command> ÷ node -e 0',
    value: `${x(r.ca.helpToNode)} (${ms(med('help'))})`,
  });
  row({
    section,
    figure: 'validation failure ÷ node -e 0',
    value: `${x(r.ca.invalidToNode)} (${ms(med('invalid'))}; ${result.requestsByInvalidVersionHelp} requests)`,
  });
  row({
    section,
    figure: 'cold run, first token (median)',
    value: `${ms(median(cold))} (${x(result.cold.ratio)} node; ${result.cold.tokens}/${CONFIG.coldRuns} tokens, ${firstCold?.total ?? '?'} requests per run)`,
  });
  return result;
}

// ---------------------------------------------------------------- 5. tokens

async function tokens(b: Bench) {
  const section = '5. Tokens';
  const get = [CLI, 'msgraph-user-get', `user=${b.sim.ready.named}`, '--params', b.paramsFile];
  const env = b.cliEnv(b.newDir('tokens-sequential'));
  const before = await b.sim.stats();
  const times: number[] = [];
  for (let i = 0; i < CONFIG.sequentialRuns; i++) {
    const result = await runNode(get, { cwd: ROOT, env });
    expectExit(result, 0, `sequential run ${i + 1}`);
    times.push(result.ms);
  }
  const sequential = statsDelta(before, await b.sim.stats());

  const trials: {
    tokens: number;
    byGrant: Record<string, number>;
    wallMs: number;
    exitCodes: (number | null)[];
  }[] = [];
  for (let t = 0; t < CONFIG.concurrentTrials; t++) {
    const cenv = b.cliEnv(b.newDir('tokens-concurrent'));
    const s0 = await b.sim.stats();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONFIG.concurrentRuns }, () => runNode(get, { cwd: ROOT, env: cenv })),
    );
    const wallMs = performance.now() - started;
    const delta = statsDelta(s0, await b.sim.stats());
    trials.push({
      tokens: delta.tokens,
      byGrant: delta.tokensByGrant,
      wallMs: round(wallMs, 1),
      exitCodes: results.map((r) => r.code),
    });
  }
  const result = {
    sequential: {
      runs: CONFIG.sequentialRuns,
      tokens: sequential.tokens,
      byGrant: sequential.tokensByGrant,
      firstRunMs: round(times[0] ?? NaN, 1),
      laterRunsMs: summarize(times.slice(1)),
      target: 1,
      met: sequential.tokens === 1,
    },
    concurrent: {
      runs: CONFIG.concurrentRuns,
      trials,
      target: 1,
      met: trials.every((t) => t.tokens === 1 && t.exitCodes.every((c) => c === 0)),
    },
  };
  row({
    section,
    figure: `${CONFIG.sequentialRuns} sequential CLI runs: token requests`,
    value: `${sequential.tokens} (${JSON.stringify(sequential.tokensByGrant)})`,
    target: '1',
    met: result.sequential.met,
  });
  row({
    section,
    figure: `${CONFIG.concurrentRuns} concurrent CLI runs, cold cache: token requests`,
    value: `${trials.map((t) => t.tokens).join(', ')} in ${trials.length} trial(s); exits ${[...new Set(trials.flatMap((t) => t.exitCodes))].join('/')}`,
    target: '1',
    met: result.concurrent.met,
  });
  return result;
}

// ---------------------------------------------------------------- 2. in-process dispatch

/** The URL of every Graph request the runtime makes while running one command. */
async function capturedUrls(
  b: Bench,
  stateDir: string,
  command: string,
  args: Record<string, unknown>,
): Promise<string[]> {
  const urls: string[] = [];
  const logger = {
    debug: (m: string) => {
      const match = /^GET (\S+) -> 200/.exec(m);
      if (match) urls.push(match[1] as string);
    },
    info() {},
    warn() {},
    error() {},
  };
  const runtime = await b.runtime(stateDir, { logger });
  expectOk(await runtime.run(command, args), `${command} (URL capture)`);
  return urls;
}

function bareClient(caPem: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: caPem });
  const get = (url: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          Buffer.concat(chunks).toString('utf8');
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}

async function dispatchAt(
  b: Bench,
  runtime: Runtime,
  url: string,
  token: string,
  rounds: number,
  block: number,
) {
  const { named } = b.sim.ready;
  const bare = bareClient(b.caPem);
  const headers = { Authorization: `Bearer ${token}` };
  const oneBare = async () => {
    const status = await bare.get(url, headers);
    check(status === 200, `bare GET answered ${status}`);
  };
  const oneRun = async () => {
    const entries = await runtime.run('msgraph-user-get', { user: named });
    if (entries.some(isError)) expectOk(entries, 'msgraph-user-get');
  };
  // Warm both paths: connections, JIT.
  for (let i = 0; i < Math.min(block, 20); i++) {
    await oneBare();
    await oneRun();
  }
  const bareMs: number[] = [];
  const runtimeMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['bare', 'runtime'] as const) : (['runtime', 'bare'] as const);
    for (const which of order) {
      const fn = which === 'bare' ? oneBare : oneRun;
      const total = await elapsed(async () => {
        for (let i = 0; i < block; i++) await fn();
      });
      (which === 'bare' ? bareMs : runtimeMs).push(total / block);
    }
  }
  bare.close();
  const rt = median(runtimeMs);
  const bm = median(bareMs);
  const perRoundShare = runtimeMs.map((v, i) => (v - (bareMs[i] as number)) / v);
  return {
    rounds,
    callsPerBlock: block,
    runtimeMsPerCommand: summarize(runtimeMs, 3),
    bareMsPerRoundTrip: summarize(bareMs, 3),
    commandsPerSecond: round(1000 / rt, 0),
    bareRoundTripsPerSecond: round(1000 / bm, 0),
    overheadMsPerCommand: round(rt - bm, 3),
    shareOutsideRoundTrip: round((rt - bm) / rt, 4),
    shareOutsideRoundTripPerRoundMedian: round(median(perRoundShare), 4),
  };
}

async function dispatch(b: Bench) {
  const section = '2. In-process dispatch';
  const state = b.newDir('dispatch');
  const { named } = b.sim.ready;
  const [url] = await capturedUrls(b, state, 'msgraph-user-get', { user: named });
  check(url, 'could not capture the URL msgraph-user-get requests');
  const runtime = await b.runtime(state);
  const token = await (await runtime.auth()).getAccessToken();

  const atZero = await dispatchAt(
    b,
    runtime,
    url,
    token,
    CONFIG.dispatchRounds,
    CONFIG.dispatchBlock,
  );
  await b.sim.setLatency(CONFIG.latencyMs);
  let atLatency;
  try {
    atLatency = await dispatchAt(b, runtime, url, token, CONFIG.latencyRounds, CONFIG.latencyBlock);
  } finally {
    await b.sim.setLatency(0);
  }
  const result = {
    command: `createRuntime(...).run('msgraph-user-get', { user: '${named}' }), sequential, one runtime`,
    bareRequest: `GET ${url.replace(b.sim.ready.url, '<sim>')}, same bearer token, node:https, keep-alive agent`,
    simLatency0: atZero,
    [`simLatency${CONFIG.latencyMs}`]: atLatency,
    target: TARGETS.dispatchShare,
    met: atZero.shareOutsideRoundTrip < TARGETS.dispatchShare,
    metAtLatency: atLatency.shareOutsideRoundTrip < TARGETS.dispatchShare,
  };
  row({
    section,
    figure: 'commands/s (sim latency 0)',
    value: `${atZero.commandsPerSecond} (bare: ${atZero.bareRoundTripsPerSecond} round trips/s)`,
  });
  row({
    section,
    figure: 'per command: runtime vs bare round trip',
    value: `${atZero.runtimeMsPerCommand.median} ms vs ${atZero.bareMsPerRoundTrip.median} ms`,
  });
  row({
    section,
    figure: 'share outside the round trip (latency 0)',
    value: pct(atZero.shareOutsideRoundTrip),
    target: `< ${pct(TARGETS.dispatchShare)}`,
    met: result.met,
  });
  row({
    section,
    figure: `share outside the round trip (latency ${CONFIG.latencyMs} ms)`,
    value: `${pct(atLatency.shareOutsideRoundTrip)} (${atLatency.commandsPerSecond} commands/s)`,
    target: `< ${pct(TARGETS.dispatchShare)}`,
    met: result.metAtLatency,
  });
  return result;
}

// ---------------------------------------------------------------- 3. listing

async function listing(b: Bench) {
  const section = '3. Listing';
  const expectedPages = Math.ceil(CONFIG.users / CONFIG.pageSize);
  const state = b.newDir('listing');
  const env = b.cliEnv(state);
  // The data for scripts, streamed page by page: what a listing of a whole tenant is for.
  const listArgs = (format: string) => [
    CLI,
    'msgraph-user-list',
    'all=true',
    `limit=${CONFIG.pageSize}`,
    '--params',
    b.paramsFile,
    '--output',
    format,
  ];
  const rssFile = join(b.tmp, 'rss.txt');
  const rssMb = (r: RunResult) => (r.maxRssKb ?? NaN) / 1024;

  // First run on a cold cache: every request the command makes, token included; every user is
  // one line of the output.
  const s0 = await b.sim.stats();
  const cold = await runNode(
    listArgs('ndjson'),
    { cwd: ROOT, env, stdout: 'pipe', rssFile },
    RSS_PROBE,
  );
  expectExit(cold, 0, 'msgraph-user-list (cold)');
  const coldDelta = statsDelta(s0, await b.sim.stats());
  const lines = cold.stdout.split('\n').filter(Boolean).length;
  check(lines === CONFIG.users, `msgraph-user-list -o ndjson wrote ${lines} lines`);
  cold.stdout = '';
  // The json output, once piped: one array holding every user, laid out as JSON.stringify does.
  const jsonCheck = await runNode(
    listArgs('json'),
    { cwd: ROOT, env, stdout: 'pipe', rssFile },
    RSS_PROBE,
  );
  expectExit(jsonCheck, 0, 'msgraph-user-list -o json (piped)');
  const jsonUsers = (JSON.parse(jsonCheck.stdout) as unknown[]).length;
  check(jsonUsers === CONFIG.users, `msgraph-user-list -o json printed ${jsonUsers} users`);
  check(
    jsonCheck.stdout.startsWith('[\n  {\n    "') && jsonCheck.stdout.endsWith('\n  }\n]\n'),
    'msgraph-user-list -o json is not laid out as JSON.stringify(data, null, 2)',
  );
  jsonCheck.stdout = '';
  // The war room's output (one markdown table and the context of every user), for comparison.
  const markdown = await runNode(
    listArgs('markdown'),
    { cwd: ROOT, env, stdout: 'devnull', rssFile },
    RSS_PROBE,
  );
  expectExit(markdown, 0, 'msgraph-user-list -o markdown');
  const pageRoute = (d: StatsDelta) => d.byRoute['GET /v1.0/users'] ?? 0;

  // The bare loop requests exactly what the product requested first.
  const [firstUrl] = await capturedUrls(b, state, 'msgraph-user-list', {
    limit: String(CONFIG.pageSize),
  });
  check(firstUrl, 'could not capture the URL msgraph-user-list requests');
  const token = await (await (await b.runtime(state)).auth()).getAccessToken();
  const bareEnv = { ...env, BENCH_LIST_URL: firstUrl, BENCH_TOKEN: token };

  // Rounds of [bare loop, -o ndjson, -o json], the order rotating each round.
  const kinds = ['bare', 'ndjson', 'json'] as const;
  type Kind = (typeof kinds)[number];
  const runsMs: Record<Kind, number[]> = { bare: [], ndjson: [], json: [] };
  const runsCpu: Record<Kind, number[]> = { bare: [], ndjson: [], json: [] };
  const runsRss: Record<Kind, number[]> = {
    bare: [],
    ndjson: [rssMb(cold)],
    json: [rssMb(jsonCheck)],
  };
  const warmPages: number[] = [];
  let bareOut = { pages: 0, items: 0 };
  for (let round = 0; round < CONFIG.listRounds; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(round + k) % kinds.length]!;
      if (kind === 'bare') {
        const r = await runNode(
          [BARE_LIST],
          { cwd: ROOT, env: bareEnv, stdout: 'pipe', rssFile },
          RSS_PROBE,
        );
        expectExit(r, 0, 'bare listing loop');
        bareOut = JSON.parse(r.stdout) as typeof bareOut;
        runsMs.bare.push(r.ms);
        runsCpu.bare.push(r.cpuMs ?? NaN);
        runsRss.bare.push(rssMb(r));
      } else {
        const before = await b.sim.stats();
        const r = await runNode(
          listArgs(kind),
          { cwd: ROOT, env, stdout: 'devnull', rssFile },
          RSS_PROBE,
        );
        expectExit(r, 0, `msgraph-user-list -o ${kind}`);
        warmPages.push(pageRoute(statsDelta(before, await b.sim.stats())));
        runsMs[kind].push(r.ms);
        runsCpu[kind].push(r.cpuMs ?? NaN);
        runsRss[kind].push(rssMb(r));
      }
    }
  }
  const ratioOf = (kind: Kind) => median(runsMs[kind]) / median(runsMs.bare);
  /** Median over rounds of (format ÷ bare loop in the same round). */
  const perRound = (kind: Kind) =>
    median(runsMs[kind].map((t, i) => t / (runsMs.bare[i] as number)));
  const peak = (kind: Kind) => Math.max(...runsRss[kind]);
  const coldPages = pageRoute(coldDelta);
  const requestsMet =
    coldPages === expectedPages &&
    coldDelta.tokens === 1 &&
    coldDelta.total === expectedPages + 1 &&
    warmPages.every((n) => n === expectedPages);
  const format = (kind: 'ndjson' | 'json', rssTarget: number, ratioTarget?: number) => ({
    command: `node bin/msgraph-user.js msgraph-user-list all=true limit=${CONFIG.pageSize} --params <params> --output ${kind} > /dev/null`,
    ms: summarize(runsMs[kind]),
    cpuMs: summarize(runsCpu[kind]),
    ratio: round(ratioOf(kind), 3),
    perRoundRatioMedian: round(perRound(kind), 3),
    ...(ratioTarget !== undefined ? { ratioTarget, ratioMet: ratioOf(kind) <= ratioTarget } : {}),
    peakRssMb: round(peak(kind), 1),
    rssMb: runsRss[kind].map((v) => round(v, 1)),
    rssTargetMb: rssTarget,
    rssMet: peak(kind) <= rssTarget,
  });
  const result = {
    users: CONFIG.users,
    ndjsonLines: lines,
    jsonUsers,
    rounds: CONFIG.listRounds,
    ndjson: format('ndjson', TARGETS.listRssMb, TARGETS.listRatio),
    json: format('json', TARGETS.listJsonRssMb),
    bareMs: summarize(runsMs.bare),
    bareCpuMs: summarize(runsCpu.bare),
    bareRssMb: runsRss.bare.map((v) => round(v, 1)),
    bare: bareOut,
    markdownRun: { ms: round(markdown.ms, 1), peakRssMb: round(rssMb(markdown), 1) },
    bareFirstUrl: firstUrl.replace(b.sim.ready.url, '<sim>'),
    expectedRequests: `${expectedPages} pages + 1 token = ${expectedPages + 1}`,
    coldRun: {
      totalRequests: coldDelta.total,
      pages: coldPages,
      tokens: coldDelta.tokens,
      byRoute: coldDelta.byRoute,
      ms: round(cold.ms, 1),
    },
    warmRunsPages: warmPages,
    requestsMet,
  };
  row({
    section,
    figure: `requests for ${CONFIG.users.toLocaleString('en-US')} users (cold run)`,
    value: `${coldDelta.total} = ${coldPages} pages + ${coldDelta.tokens} token${coldDelta.total - coldPages - coldDelta.tokens ? ` + ${coldDelta.total - coldPages - coldDelta.tokens} other` : ''}`,
    target: `${expectedPages} + 1`,
    met: requestsMet,
  });
  row({
    section,
    figure: 'bare page loop (median)',
    value: `${ms(median(runsMs.bare))}, peak RSS ${round(peak('bare'), 1)} MB`,
  });
  row({
    section,
    figure: '-o ndjson ÷ bare page loop',
    value: `${x(ratioOf('ndjson'))} (${ms(median(runsMs.ndjson))}; per-round median ${x(perRound('ndjson'))})`,
    target: `≤ ${TARGETS.listRatio}`,
    met: result.ndjson.ratioMet,
  });
  row({
    section,
    figure: '-o ndjson peak RSS (max of runs)',
    value: `${round(peak('ndjson'), 1)} MB`,
    target: `≤ ${TARGETS.listRssMb} MB`,
    met: result.ndjson.rssMet,
  });
  row({
    section,
    figure: '-o json ÷ bare page loop (info)',
    value: `${x(ratioOf('json'))} (${ms(median(runsMs.json))}; per-round median ${x(perRound('json'))})`,
  });
  row({
    section,
    figure: '-o json peak RSS (max of runs)',
    value: `${round(peak('json'), 1)} MB`,
    target: `≤ ${TARGETS.listJsonRssMb} MB`,
    met: result.json.rssMet,
  });
  row({
    section,
    figure: 'CPU time (user + system, median; info)',
    value: `bare ${ms(median(runsCpu.bare))}, ndjson ${ms(median(runsCpu.ndjson))}, json ${ms(median(runsCpu.json))}`,
  });
  row({
    section,
    figure: 'same listing, -o markdown (the war-room table; info)',
    value: `${ms(markdown.ms)}, peak RSS ${round(rssMb(markdown), 1)} MB`,
  });
  return result;
}

// ---------------------------------------------------------------- 4. bulk

async function bulk(b: Bench) {
  const section = '4. Bulk';
  const upns = b.sim.ready.upns.slice(0, CONFIG.bulkUsers);
  check(upns.length === CONFIG.bulkUsers, 'the simulator sent too few user names');
  const state = b.newDir('bulk');
  const runtime = await b.runtime(state);
  const command = 'msgraph-user-account-disable';
  // Token and connection first, so neither side pays for them.
  expectOk(await runtime.run('msgraph-user-get', { user: b.sim.ready.named }), 'warm-up');

  await b.sim.setLatency(CONFIG.latencyMs);
  const bulkMs: number[] = [];
  const bulkDeltas: StatsDelta[] = [];
  const singleChunkMs: number[] = [];
  const singleDeltas: StatsDelta[] = [];
  const chunk = Math.ceil(upns.length / CONFIG.bulkRounds);
  let cliBulk: { ms: number; delta: StatsDelta } | undefined;
  try {
    for (let r = 0; r < CONFIG.bulkRounds; r++) {
      const order = r % 2 === 0 ? (['bulk', 'single'] as const) : (['single', 'bulk'] as const);
      for (const which of order) {
        const before = await b.sim.stats();
        if (which === 'bulk') {
          let entries: Entry[] = [];
          bulkMs.push(
            await elapsed(async () => {
              entries = await runtime.run(command, { user: upns.join(',') });
            }),
          );
          expectOk(entries, `bulk ${command}`);
          const text = String(entries[0]?.HumanReadable ?? '');
          const disabled = text.split('\n').filter((l) => / Disabled \|$/.test(l)).length;
          check(
            disabled === upns.length,
            `bulk ${command} disabled ${disabled} of ${upns.length}: ${text.slice(0, 200)}`,
          );
          bulkDeltas.push(statsDelta(before, await b.sim.stats()));
        } else {
          const mine = upns.slice(r * chunk, (r + 1) * chunk);
          singleChunkMs.push(
            await elapsed(async () => {
              for (const user of mine) expectOk(await runtime.run(command, { user }), command);
            }),
          );
          singleDeltas.push(statsDelta(before, await b.sim.stats()));
        }
      }
    }
    // For information: the same bulk through the CLI (one process, start-up and token included).
    const before = await b.sim.stats();
    const cli = await runNode([CLI, command, `user=${upns.join(',')}`, '--params', b.paramsFile], {
      cwd: ROOT,
      env: b.cliEnv(state),
      stdout: 'devnull',
    });
    expectExit(cli, 0, `CLI bulk ${command}`);
    cliBulk = { ms: cli.ms, delta: statsDelta(before, await b.sim.stats()) };
  } finally {
    await b.sim.setLatency(0);
  }
  const singlesMs = singleChunkMs.reduce((a, v) => a + v, 0);
  const singleRequests = singleDeltas.reduce((a, d) => a + d.total, 0);
  const bulkMedian = median(bulkMs);
  const ratio = bulkMedian / singlesMs;
  const requests = bulkDeltas.map((d) => d.total);
  const retries = bulkDeltas.map((d) => d.throttled + d.unavailable);
  const requestsMet = bulkDeltas.every(
    (d) => d.total <= TARGETS.bulkRequests + d.throttled + d.unavailable,
  );
  const result = {
    command: `createRuntime(...).run('${command}', { user: '<${upns.length} UPNs, comma-separated>' })`,
    simLatencyMs: CONFIG.latencyMs,
    users: upns.length,
    bulkRuns: bulkMs.length,
    bulkMs: summarize(bulkMs),
    bulkRequests: requests,
    bulkRequestsByRoute: bulkDeltas[0]?.byRoute ?? {},
    bulkBatchItems: bulkDeltas[0]?.batchItems ?? {},
    retries,
    requestsTarget: `≤ ${TARGETS.bulkRequests} + retries`,
    requestsMet,
    singles: {
      how: `${upns.length} sequential runtime.run('${command}', { user }) calls, in ${singleChunkMs.length} chunks interleaved with the bulk runs`,
      totalMs: round(singlesMs, 1),
      msPerCall: round(singlesMs / upns.length, 2),
      chunkMs: singleChunkMs.map((v) => round(v, 1)),
      requests: singleRequests,
    },
    ratio: round(ratio, 4),
    ratioTarget: TARGETS.bulkRatio,
    ratioMet: ratio <= TARGETS.bulkRatio,
    cli: cliBulk
      ? {
          ms: round(cliBulk.ms, 1),
          requests: cliBulk.delta.total,
          byRoute: cliBulk.delta.byRoute,
          ratioToSingles: round(cliBulk.ms / singlesMs, 4),
        }
      : undefined,
  };
  row({
    section,
    figure: `HTTP requests, ${upns.length} users (latency ${CONFIG.latencyMs} ms)`,
    value: `${[...new Set(requests)].join('/')} (${Object.entries(result.bulkRequestsByRoute)
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ')}; retries ${Math.max(...retries)})`,
    target: `≤ ${TARGETS.bulkRequests} + retries`,
    met: requestsMet,
  });
  row({
    section,
    figure: `bulk run vs ${upns.length} single calls`,
    value: `${ms(bulkMedian)} vs ${ms(singlesMs)} (${singleRequests} requests)`,
  });
  row({
    section,
    figure: 'bulk ÷ single calls',
    value: x(ratio),
    target: `≤ ${TARGETS.bulkRatio}`,
    met: result.ratioMet,
  });
  if (cliBulk) {
    row({
      section,
      figure: 'same bulk through the CLI (info)',
      value: `${ms(cliBulk.ms)} (${cliBulk.delta.total} requests)`,
    });
  }
  return result;
}

// ---------------------------------------------------------------- 6. engine

async function engine(b: Bench) {
  const section = '6. Engine';
  const state = b.newDir('engine');
  const { named } = b.sim.ready;
  const [graphUrl] = await capturedUrls(b, state, 'msgraph-user-get', { user: named });
  check(graphUrl, 'could not capture the URL msgraph-user-get requests');
  const runtime = await b.runtime(state);
  const token = await (await runtime.auth()).getAccessToken();
  const figures = await engineBench({
    cli: CLI,
    root: ROOT,
    accessLog: join(b.tmp, 'engine-access.log'),
    bareServer: join(ROOT, 'bench', 'bare-server.mjs'),
    paramsFile: b.paramsFile,
    stateDir: state,
    env: b.cliEnv(state),
    caPem: b.caPem,
    named,
    graphUrl,
    token,
    runtime,
    rounds: CONFIG.engineRounds,
    block: CONFIG.engineBlock,
    throughputCommands: CONFIG.engineThroughput,
  });
  const result = {
    command: `POST /v1/commands/msgraph-user-get {"user": "${named}"} to msgraph-user serve, axios keep-alive`,
    ...figures,
    target: TARGETS.engineOverheadMs,
    met: figures.overheadMs <= TARGETS.engineOverheadMs,
  };
  row({
    section,
    figure: 'per command: engine call / in process / bare axios request (latency 0)',
    value: `${figures.engineCallMs.median} / ${figures.inProcessMs.median} / ${figures.bareAxiosMs.median} ms (${figures.answerBytes} bytes answered)`,
  });
  row({
    section,
    figure: 'engine overhead per command (engine call - in process - bare axios)',
    value: `${figures.overheadMs} ms (per-round median ${figures.overheadPerRoundMedianMs} ms)`,
    target: `≤ ${TARGETS.engineOverheadMs} ms`,
    met: result.met,
  });
  row({
    section,
    figure: 'engine overhead in CPU time (engine process - in process - bare server)',
    value: `${figures.cpuPerCallMs.engineOverhead} ms (${figures.cpuPerCallMs.engineProcess} - ${figures.cpuPerCallMs.inProcessRun} - ${figures.cpuPerCallMs.bareServer} ms a call)`,
  });
  row({
    section,
    figure: 'engine overhead from its access log (duration - command, median)',
    value: `${figures.serverSideOverheadMs.median} ms (p90 ${figures.serverSideOverheadMs.p90} ms)`,
  });
  row({
    section,
    figure: 'commands/s through the engine (latency 0)',
    value: `${figures.commandsPerSecond} with ${figures.concurrentClients} clients (one client: ${figures.sequentialCommandsPerSecond})`,
  });
  return result;
}

// ---------------------------------------------------------------- 7. shared state

async function sharedState(b: Bench) {
  const section = '7. Shared state';
  const result = await sharedStateBench({
    cli: CLI,
    root: ROOT,
    paramsFile: b.paramsFile,
    env: b.cliEnv(b.newDir('shared-state')),
    named: b.sim.ready.named,
    sim: b.sim,
    newDir: b.newDir,
    rounds: CONFIG.sharedStateRounds,
    block: CONFIG.sharedStateBlock,
    throughputCommands: CONFIG.sharedStateThroughput,
  });
  if ('skipped' in result) {
    row({ section, figure: 'skipped', value: String(result.skipped) });
    return result;
  }
  row({
    section,
    figure: 'per command: replica on Redis / replica on its state dir (latency 0)',
    value: `${x(result.ratio)} (${result.perCommandMs.redis.median} / ${result.perCommandMs.local.median} ms; +${result.addedMs} ms)`,
  });
  row({
    section,
    figure: 'Redis commands per engine call (token read, gate check); the two sent bare',
    value: `${result.redisCommandsPerCall}; ${result.bareRoundTripsMs} ms a pair`,
  });
  row({
    section,
    figure: 'token requests: 2 replicas on one Redis + 1 on its state dir, first calls',
    value: `${result.tokenRequests.total} (1 shared + 1 own)`,
  });
  row({
    section,
    figure: 'commands/s: 2 replicas on one Redis / 1 replica (same machine)',
    value: `${x(result.commandsPerSecond.ratio)} (${result.commandsPerSecond.twoReplicas} / ${result.commandsPerSecond.oneReplica}, ${result.commandsPerSecond.clients} clients)`,
  });
  return result;
}

// ---------------------------------------------------------------- reference

/**
 * What the reference (XSOAR's Python "Microsoft Graph User" integration, demisto/content
 * Packs/MicrosoftGraphUser, with MicrosoftApiModule) does, read from its source; not measured.
 */
const REFERENCE = {
  source:
    'demisto/content Packs/MicrosoftGraphUser/Integrations/MicrosoftGraphUser/MicrosoftGraphUser.py and Packs/ApiModules/Scripts/MicrosoftApiModule (read, not run)',
  startup:
    'Each command runs in a new Python 3 process in the integration Docker image (demisto/crypto), started by the XSOAR engine; no figure is knowable without running it.',
  listing:
    'msgraph-user-list has no limit/all arguments: one request per command run, without $top, so Graph pages 100 users; 100,000 users take 1,000 command runs and 1,000 requests (plus a token when none is cached), with next_page passed by the playbook.',
  bulk: 'msgraph-user-account-disable takes one user and sends one PATCH users/{user}; no $batch: 1,000 users take 1,000 command runs and 1,000 requests.',
  tokens:
    'The access token is cached in the integration context (valid_until = now + expires_in - 5 s): sequential runs reuse it. A cold cache is read and written without a lock, so runs started together can each request a token (up to one per run).',
};

// ---------------------------------------------------------------- main

/** The last run's targets and results, to keep beside a partial run's. */
function previousResults():
  { targets: { section: string }[]; results: Record<string, unknown> } | undefined {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as ReturnType<typeof previousResults>;
  } catch {
    return undefined;
  }
}

function distIsStale(): string | undefined {
  const built = statSync(join(ROOT, 'dist', 'cli', 'warm.pack.cjs')).mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|yml)$/.test(entry.name) && statSync(path).mtimeMs > built) newer.push(path);
    }
  };
  ['src', 'commands'].forEach((d) => walk(join(ROOT, d)));
  const manifest = join(ROOT, 'integration.yml');
  if (statSync(manifest).mtimeMs > built) newer.push(manifest);
  return newer.length ? newer.map((p) => relative(ROOT, p)).join(', ') : undefined;
}

/** Which build was measured: the commit, whether sources differ from it, when dist/ was built. */
function product() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return undefined;
    }
  };
  const changed = git(
    'status',
    '--porcelain',
    '--',
    'src',
    'commands',
    'integration.yml',
    'scripts',
  );
  return {
    commit: git('rev-parse', '--short', 'HEAD') ?? 'unknown',
    sourcesDifferFromCommit: changed === undefined ? 'unknown' : changed.length > 0,
    distBuiltAt: new Date(
      statSync(join(ROOT, 'dist', 'cli', 'warm.pack.cjs')).mtimeMs,
    ).toISOString(),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()} ${os.arch()})`,
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
  };
}

const METHOD = {
  product:
    'The built product, as npm ci leaves it: bin/msgraph-user.js (CLI processes) and dist/index.js (in-process runtime).',
  simulator:
    'sim/ (startSimulator), 100,000 users, in a separate Node process (bench/sim-process.ts) on 127.0.0.1 over HTTPS; steered over IPC; its stats give request and token counts.',
  timing:
    'Child processes are timed from spawn() to exit in the bench process (fork/exec included, as hyperfine does). In-process figures use performance.now().',
  statistics:
    'Medians of repeated runs; every ratio divides two medians measured alternately in the same run (the order of each pair or triple rotates), since the machine is shared and noisy.',
  startup:
    'Rounds of 12 variants, the order rotating each round, the token cached (warmed once) and the code cache warm unless said: with NODE_EXTRA_CA_CERTS, node -e 0, the bare node:https GET (bench/bare-get.cjs), msgraph-user-get with YAML params, with JSON params, with an empty code cache, failing validation, --version and help; without it, node -e 0, the bare GET with rejectUnauthorized: false, msgraph-user-get with insecure: true, and --version. Ratios: warm command / bare GET in each setting, --version / node -e 0. Cold: a new empty state dir per run, paired with node -e 0.',
  dispatch:
    'One runtime; alternating blocks of sequential runtime.run("msgraph-user-get") and bare node:https GETs of the exact URL the runtime requested (captured from its debug log), same token, own keep-alive agent; per-call mean of each block, median over blocks. Share = (runtime - bare) / runtime.',
  listing:
    'Rounds of [bench/bare-list.mjs, CLI --output ndjson, CLI --output json], the order rotating each round (stdout to /dev/null; a first ndjson run piped, to count one line per user, and a json run piped, to parse every user). bare-list.mjs is a plain node process fetching the same first URL (captured from the runtime) and following nextLink on one keep-alive connection. Ratios divide medians of the same rounds. Peak RSS and CPU time: process.resourceUsage() (maxRSS, user + system CPU) at exit, via a --import preload (bench/rss-probe.mjs) in every run.',
  bulk: 'In-process: one runtime.run with 1,000 comma-separated UPNs vs 1,000 sequential single runs (one runtime), in chunks interleaved with the bulk runs; sim latency 20 ms per HTTP request. Ratio = median bulk run / total of the 1,000 single calls.',
  tokens:
    'Token requests counted by the simulator (tokensIssued by grant) over 50 sequential CLI runs on a fresh state dir, and over 8 CLI runs spawned together on a fresh state dir (repeated).',
  engine:
    "msgraph-user serve as a process (access log to a file), sim latency 0. Blocks of sequential axios POSTs to the engine, runtime.execute in the bench process, the same axios POST to a bare node:http server (bench/bare-server.mjs, own process) answering the engine's answer byte for byte, and axios GETs of the Graph URL the command requests, rotating; median over blocks of the mean per call. Overhead = engine call - in process - bare axios request; cross-checked with the engine's access log (duration_ms - command_ms). Throughput: 32 axios clients on keep-alive sockets.",
  sharedState:
    'Three msgraph-user serve processes, sim latency 0: two with --state on one redis-server (loopback, no persistence) and one on its state dir. Blocks of sequential axios POSTs to a Redis replica and to the local one, alternating (order rotating); ratio of the medians over blocks. Redis commands per call from INFO stats over one block. Token requests from the simulator over the first call of each replica. Throughput: 32 axios clients on one Redis replica, then alternating between the two.',
};

async function main(): Promise<void> {
  const started = performance.now();
  check(
    existsSync(join(ROOT, 'dist', 'cli', 'warm.pack.cjs')) &&
      existsSync(join(ROOT, 'dist', 'index.js')),
    'dist/ is missing: run "npm run build" (npm ci does it)',
  );
  const stale = distIsStale();
  if (stale) console.warn(`warning: dist/ is older than ${stale}; run "npm run build" first.`);

  const tmp = mkdtempSync(join(os.tmpdir(), 'msgraph-user-bench-'));
  let sim: SimProcess | undefined;
  const cleanup = async () => {
    await sim?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const loadStart = os.loadavg();
  try {
    console.log(`msgraph-user bench${QUICK ? ' (--quick)' : ''}: starting the simulator...`);
    sim = await SimProcess.start(ROOT, join(tmp, 'sim'), CONFIG.users, CONFIG.bulkUsers);
    const caPem = readFileSync(sim.ready.caFile, 'utf8');
    check(existsSync(sim.ready.paramsFile), 'the simulator wrote no params file');
    const paramsJsonFile = join(tmp, 'params-client-credentials.json');
    writeFileSync(paramsJsonFile, JSON.stringify(sim.ready.params), { mode: 0o600 });
    const dist = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof Api;
    const caFile = sim.ready.caFile;
    const bench: Bench = {
      sim,
      tmp,
      paramsFile: sim.ready.paramsFile,
      paramsJsonFile,
      params: sim.ready.params,
      caPem,
      dist,
      newDir: (name) => {
        const dir = join(tmp, `${name}-${++dirCount}`);
        return dir;
      },
      cliEnv: (stateDir) => ({
        ...baseEnv(),
        NODE_EXTRA_CA_CERTS: caFile,
        MSGRAPH_USER_STATE_DIR: stateDir,
        // The CLI's code cache (bin/code-cache.js): the bench's own, warm after the first run.
        MSGRAPH_USER_CACHE_DIR: join(tmp, 'code-cache'),
      }),
      runtime: (stateDir, extra = {}) =>
        dist.createRuntime({ params: sim!.ready.params, stateDir, ca: caPem, ...extra }),
    };

    const step = async <T>(
      section: Section,
      name: string,
      fn: () => Promise<T>,
    ): Promise<T | undefined> => {
      if (!selected(section)) return undefined;
      const t = performance.now();
      process.stdout.write(`  ${name}...`);
      const value = await fn();
      process.stdout.write(` ${round((performance.now() - t) / 1000, 1)} s\n`);
      return value;
    };
    const measured = {
      startup: await step('startup', '1. CLI start-up', () => startup(bench)),
      tokens: await step('tokens', '5. tokens', () => tokens(bench)),
      dispatch: await step('dispatch', '2. in-process dispatch', () => dispatch(bench)),
      listing: await step('listing', '3. listing', () => listing(bench)),
      bulk: await step('bulk', '4. bulk', () => bulk(bench)),
      engine: await step('engine', '6. engine', () => engine(bench)),
      sharedState: await step('sharedState', '7. shared state', () => sharedState(bench)),
    };
    const durationSeconds = round((performance.now() - started) / 1000, 1);
    // Present the sections in the brief's order.
    const order = ['1.', '2.', '3.', '4.', '5.', '6.', '7.'];
    rows.sort(
      (a, c) => order.indexOf(a.section.slice(0, 2)) - order.indexOf(c.section.slice(0, 2)),
    );
    const measuredTargets = rows
      .filter((r) => r.met !== undefined)
      .map((r) => ({
        section: r.section,
        figure: r.figure,
        value: r.value,
        target: r.target,
        met: r.met,
      }));
    // A partial run keeps the last figures of the sections it did not run.
    const previous = ONLY.length ? previousResults() : undefined;
    const ran = new Set(rows.map((r) => r.section));
    const targets = [
      ...(previous?.targets ?? []).filter((t) => !ran.has(t.section)),
      ...measuredTargets,
    ].sort((a, c) => order.indexOf(a.section.slice(0, 2)) - order.indexOf(c.section.slice(0, 2)));
    const results = {
      ...previous?.results,
      ...Object.fromEntries(Object.entries(measured).filter(([, value]) => value !== undefined)),
    };
    const report = {
      date: new Date().toISOString(),
      durationSeconds,
      quick: QUICK,
      ...(ONLY.length ? { sectionsRun: ONLY } : {}),
      product: product(),
      machine: {
        ...machine(),
        loadAverageAtStart: loadStart.map((v) => round(v, 2)),
        loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)),
      },
      method: METHOD,
      config: CONFIG,
      targets,
      results,
      reference: REFERENCE,
    };
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);

    const m = report.machine;
    console.log(
      `\n${m.cpuModel}, ${m.cores} cores, Node ${m.node}, ${m.os}; load ${m.loadAverageAtStart.join(' ')} -> ${m.loadAverageAtEnd.join(' ')}\n`,
    );
    printTable();
    const missed = measuredTargets.filter((t) => !t.met);
    console.log(
      `\n${measuredTargets.length - missed.length}/${measuredTargets.length} targets met${missed.length ? `; missed: ${missed.map((t) => t.figure).join('; ')}` : ''}.`,
    );
    console.log(
      `Results: ${relative(process.cwd(), RESULTS) || RESULTS} (bench took ${durationSeconds} s)`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(
    `bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  process.exitCode = 1;
});
