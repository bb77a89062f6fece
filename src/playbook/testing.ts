/**
 * Test helpers: a replayed playbook is one line of mocha,
 *
 *   it('offboards a user', () => replayPlaybook('test/playbooks/offboarding.yml'));
 *
 * It replays `<fixtureDir>/<clean playbook id>.json` (default fixtureDir: `fixtures/` beside the
 * playbook) with the network off, and throws a PlaybookReplayError unless the playbook completed,
 * every request was matched and every recorded exchange was used. `recordPlaybook` makes (or
 * remakes) that recording against a live tenant or the simulator.
 */
import { dirname, join } from 'node:path';
import { createRuntime as realCreateRuntime, type RuntimeOptions } from '../runtime/compose.js';
import { loadPlaybook } from './load.js';
import { formatTask } from './report.js';
import { runPlaybookSession, type SessionOptions, type SessionResult } from './session.js';

export interface PlaybookTestOptions {
  /** Instance parameters; replays default to the recorded ones. */
  params?: Record<string, unknown>;
  inputs?: Record<string, string>;
  /** Other createRuntime options (a simulator's `ca` when recording, test handlers, ...). */
  runtime?: Omit<RuntimeOptions, 'params'>;
  createRuntime?: SessionOptions['createRuntime'];
  /** Replays only: accept exchanges left unused (default false: they fail the test). */
  allowUnused?: boolean;
}

export class PlaybookReplayError extends Error {
  constructor(
    message: string,
    readonly outcome: SessionResult,
  ) {
    super(message);
    this.name = 'PlaybookReplayError';
  }
}

const defaultFixtureDir = (playbookFile: string): string => join(dirname(playbookFile), 'fixtures');

async function session(
  playbookFile: string,
  mode: SessionOptions['mode'],
  options: PlaybookTestOptions,
): Promise<SessionResult> {
  const playbook = await loadPlaybook(playbookFile);
  return runPlaybookSession({
    playbook,
    createRuntime: options.createRuntime ?? realCreateRuntime,
    mode,
    runtime: { ...options.runtime, ...(options.params ? { params: options.params } : {}) },
    run: { inputs: options.inputs },
  });
}

/** Everything wrong with a replay, readable in a test report; undefined when it passed. */
export function replayFailures(outcome: SessionResult, allowUnused = false): string | undefined {
  const problems: string[] = [];
  const { result } = outcome;
  const unmatched = outcome.unmatched ?? [];
  for (const u of unmatched) problems.push(`unmatched request: ${u.message}`);
  if (result.status !== 'completed') {
    const failed = result.tasks.filter((t) => t.status === 'failed').pop();
    if (!failed) {
      problems.push(`the playbook failed: ${result.error ?? 'unknown reason'}`);
    } else {
      const line = formatTask({ ...failed, entries: [], error: undefined }).trim();
      const explained = unmatched.some((u) => failed.error?.includes(u.message));
      problems.push(
        `the playbook failed at ${line}${explained ? '' : `\n    ${failed.error ?? ''}`}`,
      );
    }
  }
  if (!allowUnused && outcome.unused && outcome.unused.length > 0) {
    problems.push(`${outcome.unused.length} recorded exchange(s) were never used:`);
    problems.push(...outcome.unused.map((line) => `  ${line}`));
  }
  if (problems.length === 0) return undefined;
  return `Replay of "${result.playbook.name}" (${outcome.fixtureFile}):\n${problems.join('\n')}`;
}

/** Replays a playbook's recording; throws PlaybookReplayError unless everything matched. */
export async function replayPlaybook(
  playbookFile: string,
  fixtureDir = defaultFixtureDir(playbookFile),
  options: PlaybookTestOptions = {},
): Promise<SessionResult> {
  const outcome = await session(playbookFile, { kind: 'replay', dir: fixtureDir }, options);
  const failures = replayFailures(outcome, options.allowUnused);
  if (failures) throw new PlaybookReplayError(failures, outcome);
  return outcome;
}

/** Records a playbook (real HTTP); throws unless the recording was saved. */
export async function recordPlaybook(
  playbookFile: string,
  fixtureDir = defaultFixtureDir(playbookFile),
  options: PlaybookTestOptions = {},
): Promise<SessionResult> {
  const outcome = await session(playbookFile, { kind: 'record', dir: fixtureDir }, options);
  if (!outcome.saved) {
    const why = outcome.notSaved ?? 'unknown reason';
    const failed = outcome.result.tasks.filter((t) => t.status === 'failed').map(formatTask);
    throw new PlaybookReplayError(
      `Recording "${outcome.result.playbook.name}" was not saved: ${why}\n${failed.join('')}`,
      outcome,
    );
  }
  return outcome;
}
