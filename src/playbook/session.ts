/**
 * One playbook run with its network mode, shared by the CLI and the test helpers:
 *  - live:   the runtime as configured;
 *  - record: real HTTP, captured into `DIR/<clean id>.json`. The run starts from an empty state
 *            directory (never the shared state of --state) (no cached token, so the identity exchange is recorded too). The recording
 *            is replayed at once, offline; only a recording that replays is saved (one that does
 *            not is written beside it as `<clean id>.unverified.json`, for inspection);
 *  - replay: no network; the recording answers. Also from an empty state directory, with the
 *            recorded parameters unless others are given, on a clock that starts when the
 *            recording was made and skips waits (Retry-After, backoff, Sleep) instead of waiting.
 *
 * Each session builds its own runtime around its own recorder or replay, so any number of them
 * can run in one process at once.
 */
import type { HttpClient } from '../http/types.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime, RuntimeOptions } from '../runtime/compose.js';
import { createClock, systemClock } from '../base/clock.js';
import { UsageError } from '../base/errors.js';
import {
  FIXTURE_FORMAT,
  fixtureFile,
  inferRecordingTime,
  readFixture,
  writeFixture,
  type Fixture,
  type RecordedExchange,
} from './fixture.js';
import { instanceSecrets, recordedParams, replayParams } from './instance-secrets.js';
import { startRecording, type RecordingSession } from './recording.js';
import { describeExchange, startReplay, type UnmatchedRequest } from './replay.js';
import { runPlaybook, type RunOptions } from './runner.js';
import { GeneratedValueTable, Scrubber } from './scrub.js';
import type { Playbook, RunResult } from './types.js';

export type NetworkMode =
  { kind: 'live' } | { kind: 'record'; dir: string } | { kind: 'replay'; dir: string };

export interface SessionOptions {
  playbook: Playbook;
  createRuntime: (options: RuntimeOptions) => Promise<Runtime>;
  /** Options for createRuntime; record and replay replace the state with a fresh folder. */
  runtime: RuntimeOptions;
  mode: NetworkMode;
  run?: Omit<RunOptions, 'monitor' | 'generated'>;
  /** Replay an in-memory recording instead of reading DIR (used to verify a new recording). */
  fixture?: Fixture;
}

export interface SessionResult {
  result: RunResult;
  /** The recording written or replayed. */
  fixtureFile?: string;
  /** Record mode: whether the recording was saved (it replayed), and why not. */
  saved?: boolean;
  notSaved?: string;
  exchanges?: number;
  /** Replay mode. */
  unmatched?: UnmatchedRequest[];
  unused?: string[];
}

async function withStateDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'msgraph-user-playbook-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function scrubberFor(runtime: Runtime, params: Record<string, unknown>, options: SessionOptions) {
  const generated = new GeneratedValueTable();
  // `runtime.secrets` (extra secrets, e.g. test canaries) are scrubbed by name too.
  const known = instanceSecrets(params, runtime.manifest, options.runtime.secrets);
  return { generated, scrubber: new Scrubber(runtime.redactor, generated, known) };
}

async function replay(options: SessionOptions, dir: string): Promise<SessionResult> {
  const file = fixtureFile(dir, options.playbook.id);
  const fixture = options.fixture ?? (await readFixture(file));
  const params = options.runtime.params ?? replayParams(fixture.params ?? {});
  const recordedAt = fixture.recordedAt ? Date.parse(fixture.recordedAt) : undefined;
  // The recording's own moment: tokens and dates in it are as valid as they were then.
  const clock = createClock({ origin: recordedAt ?? inferRecordingTime(fixture), scale: 0 });
  return withStateDir(async (stateDir) => {
    // The replay needs the runtime's redactor to normalise requests, so it is made second.
    const replaying: { client?: HttpClient } = {};
    const runtime = await options
      .createRuntime({
        ...options.runtime,
        params,
        stateDir,
        state: undefined,
        clock,
        transport: () => ({ send: (request) => replaying.client!.send(request) }),
      })
      .catch((err: unknown) => {
        // Parameters the recording brought are the recording's problem, not the params file's.
        if (options.runtime.params !== undefined || !(err instanceof UsageError)) throw err;
        throw new UsageError(`The recording ${file}: ${err.message}`);
      });
    const { generated, scrubber } = scrubberFor(runtime, params, options);
    const session = startReplay(fixture, scrubber, generated);
    replaying.client = session.client;
    const result = await runPlaybook(options.playbook, runtime, {
      ...options.run,
      monitor: session,
      generated,
    });
    const unused = session
      .unused()
      .map(({ number, exchange }) => describeExchange(number, exchange));
    return { result, fixtureFile: file, unmatched: session.unmatched, unused };
  });
}

function replayProblems(outcome: SessionResult): string | undefined {
  if (outcome.result.status !== 'completed') return `the replay failed: ${outcome.result.error}`;
  if (outcome.unused && outcome.unused.length > 0) {
    return `the replay left ${outcome.unused.length} exchange(s) unused: ${outcome.unused.join('; ')}`;
  }
  return undefined;
}

async function record(options: SessionOptions, dir: string): Promise<SessionResult> {
  const file = fixtureFile(dir, options.playbook.id);
  const previous = await readFixture(file).catch(() => undefined);
  const volatile = previous?.volatile ?? [];
  const params = options.runtime.params ?? {};
  const clock = options.runtime.clock ?? systemClock;
  const { result, exchanges, fixture } = await withStateDir(async (stateDir) => {
    let session: RecordingSession | undefined;
    const runtime = await options.createRuntime({
      ...options.runtime,
      stateDir,
      state: undefined,
      clock,
      transport: (transport) => (session = startRecording(transport, clock)).client,
    });
    const { generated, scrubber } = scrubberFor(runtime, params, options);
    const result = await runPlaybook(options.playbook, runtime, {
      ...options.run,
      monitor: session,
      generated,
    });
    const exchanges: RecordedExchange[] = session!.exchanges(scrubber, volatile);
    const fixture: Fixture = {
      format: FIXTURE_FORMAT,
      playbook: { id: options.playbook.id, name: options.playbook.name },
      recordedAt: new Date(session!.startedAt).toISOString(),
      params: recordedParams(params, scrubber),
      ...(volatile.length > 0 ? { volatile } : {}),
      exchanges,
    };
    return { result, exchanges, fixture };
  });
  const base = { result, fixtureFile: file, exchanges: exchanges.length };
  if (result.status !== 'completed') {
    return { ...base, saved: false, notSaved: 'the playbook failed while recording' };
  }
  // The check replays with the recorded parameters: the recording must stand on its own.
  const check = await replay(
    {
      ...options,
      fixture,
      runtime: { ...options.runtime, params: undefined },
      run: { ...options.run, reporter: undefined },
    },
    dir,
  );
  const problem = replayProblems(check);
  if (problem) {
    const unverified = file.replace(/\.json$/, '.unverified.json');
    await writeFixture(unverified, fixture);
    return { ...base, fixtureFile: unverified, saved: false, notSaved: problem };
  }
  await writeFixture(file, fixture);
  return { ...base, saved: true };
}

/** Runs a playbook in the given network mode. */
export async function runPlaybookSession(options: SessionOptions): Promise<SessionResult> {
  const { mode } = options;
  if (mode.kind === 'live') {
    const runtime = await options.createRuntime(options.runtime);
    try {
      return { result: await runPlaybook(options.playbook, runtime, options.run) };
    } finally {
      await runtime.close();
    }
  }
  return mode.kind === 'record' ? record(options, mode.dir) : replay(options, mode.dir);
}
