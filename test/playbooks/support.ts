/**
 * Replay helpers for the suite's cross-cutting tests. Each playbook is parsed once (YAML parsing
 * is most of a replay's cost), and each recording's first replay is shared between test files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureFile, type Fixture } from '../../src/playbook/fixture.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { runPlaybookSession, type SessionResult } from '../../src/playbook/session.js';
import { PlaybookReplayError, replayFailures } from '../../src/playbook/testing.js';
import type { Playbook } from '../../src/playbook/types.js';
import { createRuntime } from '../../src/runtime/compose.js';
import { ROOT, type PlaybookRecording } from './catalog.js';

const playbooks = new Map<string, Promise<Playbook>>();

export function playbookOf(file: string): Promise<Playbook> {
  let playbook = playbooks.get(file);
  if (!playbook) {
    playbook = loadPlaybook(join(ROOT, file));
    playbooks.set(file, playbook);
  }
  return playbook;
}

export const fixturePath = async (recording: PlaybookRecording, dir = recording.fixtureDir) =>
  fixtureFile(join(ROOT, dir), (await playbookOf(recording.playbook)).id);

export async function readRecording(recording: PlaybookRecording): Promise<Fixture> {
  return JSON.parse(await readFile(await fixturePath(recording), 'utf8')) as Fixture;
}

/** What replayPlaybook does, with the parsed playbook reused; `dir` replays another copy. */
export async function replay(
  recording: PlaybookRecording,
  dir = recording.fixtureDir,
): Promise<SessionResult> {
  const playbook = await playbookOf(recording.playbook);
  const session = () =>
    runPlaybookSession({
      playbook,
      createRuntime,
      mode: { kind: 'replay', dir: dir.startsWith('/') ? dir : join(ROOT, dir) },
      runtime: {},
    });
  const outcome = await session();
  const failures = replayFailures(outcome);
  if (failures) throw new PlaybookReplayError(failures, outcome);
  return outcome;
}

const firstReplays = new Map<PlaybookRecording, Promise<SessionResult>>();

/** The recording's first replay in this process, shared by every test that only reads it. */
export function replayedOnce(recording: PlaybookRecording): Promise<SessionResult> {
  let outcome = firstReplays.get(recording);
  if (!outcome) {
    outcome = replay(recording);
    firstReplays.set(recording, outcome);
  }
  return outcome;
}
