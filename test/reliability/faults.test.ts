/**
 * Faults: a 200-command playbook against the simulated tenant answering 30% of Graph requests 429
 * and 5% 503 (Retry-After 1 s, time-scaled), and servers that accept connections but never answer.
 *
 * The runtime does not expose how many retries it made; the HTTP layer logs each one at debug
 * level ("GET <url> -> 429; Retry-After: 1; retry 2 in 1000 ms") and the last answer of each
 * request ("GET <url> -> 404"), so the count comes from those lines.
 */
import { createClock } from '../../src/base/clock.js';
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { runPlaybook } from '../../src/playbook/runner.js';
import type { RunResult, TaskResult } from '../../src/playbook/types.js';
import type { AuthSession } from '../../src/auth/types.js';
import { entryText, isErrorEntry, type Entry } from '../../src/command/entries.js';
import { createRuntime, type Runtime } from '../../src/runtime/compose.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { runPlaybookSession } from '../../src/playbook/session.js';
import { COMMANDS, faultPlaybook } from './fault-playbook.js';
import {
  customCloudParams,
  judge,
  keepingLogger,
  runtimeCase,
  STACK_LINE,
  startSilentServer,
  TempDirs,
  underDeadline,
  withoutInterception,
  type SilentServer,
} from './support.js';

const SEED = 20260;
/** Waits are logical ms times this: Retry-After 1 s becomes 1 ms. */
/** Retry waits a thousand times shorter: the attempts and their accounting stay the same. */
const fastClock = () => createClock({ scale: 0.001 });

/** GET through the runtime's own HTTP client and token (no extra token, no fault retries lost). */
async function graphGet(runtime: Runtime, url: string): Promise<Record<string, unknown>> {
  const token = await (await runtime.auth()).getAccessToken();
  const response = await runtime.http.send({
    method: 'GET',
    url,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status, response.body).to.equal(200);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** The users delta link now: what changes after it is what the run did to the directory. */
async function deltaLink(runtime: Runtime, sim: Simulator): Promise<string> {
  let page = await graphGet(runtime, `${sim.url}/v1.0/users/delta?$select=id`);
  while (typeof page['@odata.nextLink'] === 'string') {
    page = await graphGet(runtime, page['@odata.nextLink']);
  }
  return String(page['@odata.deltaLink']);
}

describe('faults: 200 commands under 30% 429 and 5% 503 (simulated tenant, in process)', function () {
  this.timeout(120_000);
  withoutInterception();
  const dirs = new TempDirs();
  let sim: Simulator;
  let result: RunResult;
  let commands: TaskResult[];
  let log: string[];
  let stats: Record<string, unknown>;
  let changes: Record<string, unknown>[];

  before(async () => {
    sim = await startSimulator({ seed: SEED });
    const logger = keepingLogger();
    const runtime = await createRuntime({
      params: sim.paramsFor('client-credentials'),
      ca: sim.caPem,
      stateDir: await dirs.make('faults'),
      clock: fastClock(),
      logger,
    });
    const since = await deltaLink(runtime, sim);
    logger.lines.length = 0;
    sim.setFaults({ p429: 0.3, p503: 0.05, retryAfter: 1 });
    result = await underDeadline(
      `the ${COMMANDS}-command fault playbook (runtime)`,
      runPlaybook(faultPlaybook(sim.tenantDomain, sim.users.kim!.userPrincipalName), runtime),
      110_000,
    );
    sim.setFaults({ p429: 0, p503: 0 });
    log = [...logger.lines];
    stats = sim.stats();
    changes = (await graphGet(runtime, since)).value as Record<string, unknown>[];
    commands = result.tasks.filter((t) => t.command?.startsWith('msgraph-'));
    // Each command is a case: a failure must be an error entry the user can read.
    for (const task of commands) {
      const errors = task.entries.filter(isErrorEntry).map(entryText).join('\n');
      judge(`task ${task.id} ${task.command} (fault playbook)`, {
        code: errors ? 1 : 0,
        stdout: '',
        stderr: errors,
      });
    }
  });
  after(async () => {
    await sim?.close();
    await dirs.removeAll();
  });

  const graphLines = () =>
    log.filter((l) => l.startsWith(`debug: `) && l.includes(`${sim.url}/v1.0/`));
  const retriedFaults = () =>
    graphLines().filter((l) => / -> (429|503)\b.*; retry \d+ in \d+ ms$/.test(l));
  const finalFaults = () => graphLines().filter((l) => / -> (429|503)$/.test(l));
  const failed = () => commands.filter((t) => t.status !== 'completed');
  const creates = () => commands.filter((t) => t.command === 'msgraph-user-create');

  it(`runs all ${COMMANDS} commands to the end`, () => {
    expect(commands).to.have.length(COMMANDS);
    expect(result.status, result.error).to.equal('completed');
  });

  it('injects a realistic share of faults', () => {
    const injected = Number(stats.throttled) + Number(stats.unavailable);
    expect(Number(stats.throttled)).to.be.above(50);
    expect(Number(stats.unavailable)).to.be.above(5);
    expect(injected / Number(stats.totalRequests)).to.be.within(0.25, 0.45);
  });

  it('accounts for every injected fault: retried, or the answer of a request that gave up', () => {
    const injected = Number(stats.throttled) + Number(stats.unavailable);
    expect(retriedFaults().length + finalFaults().length).to.equal(injected);
    expect(retriedFaults().length).to.be.above(0);
  });

  it('waits what Retry-After asks (1 s, time-scaled) before each retry', () => {
    for (const line of retriedFaults()) {
      expect(line).to.match(/; Retry-After: 1(; [^;]+)*; retry \d+ in 1000 ms$/);
    }
  });

  it('fails a command only where the retry policy gave up on an injected fault', () => {
    for (const task of failed()) {
      const error = task.entries.filter(isErrorEntry).map(entryText).join('\n');
      expect(error, `task ${task.id}`).to.match(/^Error in API call \[(429|503)\]/);
      expect(error).not.to.match(STACK_LINE);
    }
    expect(failed().length).to.be.at.most(finalFaults().length);
  });

  it('creates every user once: one new user per create Graph accepted, none sent twice', () => {
    const created = changes.filter((c) => !Object.values(sim.users).some((u) => u.id === c.id));
    expect(created, 'only created users changed').to.have.length(changes.length);
    expect(new Set(created.map((c) => c.id)).size).to.equal(created.length);
    const posts = graphLines().filter((l) => /: POST \S+\/v1\.0\/users -> \d+$/.test(l));
    expect(posts.filter((l) => / -> 201$/.test(l))).to.have.length(created.length);
    // A create sent again after it had succeeded is answered 400 (the UPN exists).
    expect(
      posts.filter((l) => / -> 400$/.test(l)),
      'a create sent twice',
    ).to.deep.equal([]);
    expect(created.length).to.be.at.least(creates().filter((t) => t.status === 'completed').length);
  });

  it('reports a create as successful whenever it created the user', () => {
    const created = changes.filter((c) => !Object.values(sim.users).some((u) => u.id === c.id));
    expect(creates().filter((t) => t.status === 'completed')).to.have.length(created.length);
  });

  it('acquires one token for the whole run', () => {
    expect(stats.tokensIssued).to.deep.equal({ client_credentials: 1 });
  });

  it(`finishes all ${COMMANDS} commands successfully`, () => {
    const summary = failed().map((t) => `${t.id} ${t.command}: ${t.error?.split('\n')[0]}`);
    expect(summary).to.deep.equal([]);
  });
});

describe('faults: a server that accepts connections and never answers', function () {
  this.timeout(60_000);
  withoutInterception();
  const dirs = new TempDirs();
  let silent: SilentServer;
  const outcomes: Record<string, { entries: Entry[]; log: string[] }> = {};

  /** msgraph-user-get against the silent server, with `timeout: 1`; both cases run at once. */
  async function silentRun(name: string, session?: AuthSession) {
    const logger = keepingLogger();
    const runtime = await createRuntime({
      params: customCloudParams(silent.url, { timeout: 1 }),
      stateDir: await dirs.make(name),
      clock: fastClock(),
      logger,
      ...(session ? { authSession: session } : {}),
    });
    // Five attempts of 1 s plus backoff: well within the guard, which only checks that it ends.
    const entries = await runtimeCase(
      `msgraph-user-get against a silent ${name} endpoint (runtime)`,
      runtime.run('msgraph-user-get', { user: 'adele@contoso.com' }),
      45_000,
    );
    outcomes[name] = { entries, log: logger.lines };
  }

  before(async () => {
    silent = await startSilentServer();
    const staticToken: AuthSession = {
      flow: 'client-credentials',
      config: { flow: 'client-credentials' },
      getAccessToken: async () => 'rel-static-token',
      invalidate: async () => undefined,
    };
    // The identity endpoint is silent in one; in the other a token is at hand and Graph is silent.
    await Promise.all([silentRun('identity'), silentRun('graph', staticToken)]);
  });
  after(async () => {
    await silent.close();
    await dirs.removeAll();
  });

  for (const [name, what] of [
    ['identity', 'a silent identity endpoint'],
    ['graph', 'a silent Graph'],
  ] as const) {
    it(`${what}: one timeout error entry after 5 attempts of 1 s each, not a hang`, () => {
      const { entries, log } = outcomes[name]!;
      expect(entries).to.have.length(1);
      expect(isErrorEntry(entries[0]!)).to.equal(true);
      expect(entryText(entries[0]!)).to.match(/^Request to \S+ timed out: no answer within 1 s\./);
      expect(entryText(entries[0]!)).not.to.match(STACK_LINE);
      const retries = log.filter((l) => / -> ETIMEDOUT; retry \d+ in \d+ ms$/.test(l));
      expect(retries, log.join('\n')).to.have.length(4);
    });
  }

  it('sends every attempt to the server that never answers', () => {
    expect(silent.connections()).to.equal(10);
  });

  // R14, fixed: recording wraps our own HTTP client instead of patching node:http with nock.
  it('recording a playbook against it ends in a timeout error naming the request, not a crash', async () => {
    const playbook = parsePlaybook(
      {
        id: 'Silent',
        name: 'Silent',
        starttaskid: '0',
        tasks: {
          '0': { id: '0', type: 'start', task: {}, nexttasks: { '#none#': ['1'] } },
          '1': {
            id: '1',
            type: 'regular',
            task: { name: 'get', script: '|||msgraph-user-get' },
            scriptarguments: { user: { simple: 'adele@contoso.com' } },
          },
        },
      },
      'silent.yml',
    );
    const outcome = await runPlaybookSession({
      playbook,
      createRuntime,
      mode: { kind: 'record', dir: await dirs.make('silent-record') },
      runtime: { params: customCloudParams(silent.url, { timeout: 1 }), clock: fastClock() },
    });
    expect(outcome.saved).to.equal(false);
    expect(outcome.result.error).to.match(
      new RegExp(`Request to ${silent.url.replace(/[.]/g, '\\.')} timed out: no answer within 1 s`),
    );
  });
});
