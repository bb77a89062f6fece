/**
 * `msgraph-user playbook run FILE [--params FILE] [--state-dir DIR | --state URL] [--instance NAME]
 *   [--input k=v ...] [--record DIR | --replay DIR] [--output markdown|json] [--debug]`
 *
 * Prints each task as it finishes, then the final context (JSON). Exit codes: 0 the playbook
 * completed (and, when recording, the recording was saved); 1 a task failed without an error
 * branch, or a recording did not replay; 2 a usage error (unknown flag, unreadable or invalid
 * playbook, --record with --replay).
 */
import { UsageError } from '../base/errors.js';
import { silentProgress, terminalProgress } from '../base/progress.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime/compose.js';
import { loadPlaybook } from '../playbook/load.js';
import { formatTask } from '../playbook/report.js';
import { INSTANCE_OPTIONS, parseCommandLine, runtimeOptions } from './options.js';
import type { CliIo } from './io.js';
import { runPlaybookSession, type NetworkMode, type SessionResult } from '../playbook/session.js';

export const PLAYBOOK_USAGE = `Usage: msgraph-user playbook run FILE [options]

Runs an XSOAR playbook (YAML) against this integration.

Options:
  --params FILE         instance parameters (YAML or JSON; default: MSGRAPH_USER_PARAMS or AZURE_*)
  --state-dir DIR       where instances keep their context (not with --record or --replay)
  --state URL           keep it on Redis instead: redis://[user:password@]host:port/db or
                        rediss://… (default: MSGRAPH_USER_STATE; not with --record or --replay)
  --instance NAME       instance name
  --input KEY=VALUE     a playbook input (repeatable); overrides the playbook's default
  --record DIR          record every HTTP exchange into DIR/<playbook id>.json (secrets scrubbed)
  --replay DIR          replay DIR/<playbook id>.json with the network off
  --output FORMAT       markdown (default: each task as it runs, then the context) or json
  --debug               log details on stderr`;

const OPTIONS = {
  ...INSTANCE_OPTIONS,
  input: { type: 'string', multiple: true },
  record: { type: 'string' },
  replay: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

const parse = (argv: string[]) => parseCommandLine(argv, OPTIONS, 'msgraph-user playbook --help');

export function parseInputs(tokens: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    // Not echoed: an input is often a password, typed without its KEY=.
    if (eq <= 0) throw new UsageError('--input takes KEY=VALUE (one was given without "KEY=").');
    const key = token.slice(0, eq);
    if (key in inputs) throw new UsageError(`--input ${key} is given twice.`);
    inputs[key] = token.slice(eq + 1);
  }
  return inputs;
}

function networkMode(values: ReturnType<typeof parse>['values']): NetworkMode {
  if (values.record !== undefined && values.replay !== undefined) {
    throw new UsageError('Use --record or --replay, not both.');
  }
  const dir = values.record ?? values.replay;
  for (const option of ['state-dir', 'state'] as const) {
    if (dir !== undefined && values[option] !== undefined) {
      throw new UsageError(
        `--${option} cannot be combined with --record or --replay: they start from an empty state so that the identity exchange is part of the recording.`,
      );
    }
  }
  if (dir === '') {
    throw new UsageError(
      `--${values.record !== undefined ? 'record' : 'replay'} needs a directory.`,
    );
  }
  if (values.record !== undefined) return { kind: 'record', dir: values.record };
  if (values.replay !== undefined) return { kind: 'replay', dir: values.replay };
  return { kind: 'live' };
}

function reportSession(outcome: SessionResult, io: CliIo): boolean {
  let ok = outcome.result.status === 'completed';
  if (outcome.saved === true) {
    io.stderr.write(`Recorded ${outcome.exchanges} exchange(s) into ${outcome.fixtureFile}\n`);
  } else if (outcome.saved === false) {
    const where = outcome.fixtureFile?.endsWith('.unverified.json')
      ? ` (written to ${outcome.fixtureFile} for inspection)`
      : '';
    io.stderr.write(`The recording was not saved: ${outcome.notSaved}${where}\n`);
    ok = false;
  }
  for (const unmatched of outcome.unmatched ?? []) {
    io.stderr.write(`Replay: ${unmatched.message}\n`);
  }
  if (outcome.unmatched && outcome.unmatched.length > 0) ok = false;
  if (outcome.unused && outcome.unused.length > 0) {
    io.stderr.write(`Replay: ${outcome.unused.length} recorded exchange(s) were not used:\n`);
    for (const line of outcome.unused) io.stderr.write(`  ${line}\n`);
  }
  return ok;
}

export interface PlaybookCliDeps {
  /** The composition root (tests hand in one with fake handlers). */
  createRuntime: (options: RuntimeOptions) => Promise<Runtime>;
}

/** The CLI's `playbook` subcommand; `argv` is what follows `msgraph-user playbook`. */
export async function runPlaybookCli(
  argv: string[],
  io: CliIo,
  deps: PlaybookCliDeps = { createRuntime },
): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${PLAYBOOK_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'run') {
    throw new UsageError(`Unknown playbook subcommand "${sub}". ${PLAYBOOK_USAGE}`);
  }
  if (!file) throw new UsageError('playbook run needs the playbook FILE.');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const output = values.output ?? 'markdown';
  if (output !== 'markdown' && output !== 'json') {
    throw new UsageError(`--output must be markdown or json (got "${output}").`);
  }
  const mode = networkMode(values);
  const inputs = parseInputs(values.input ?? []);
  const playbook = await loadPlaybook(file);
  const instance = await runtimeOptions(values, io, false);
  // A replay runs with the recording's parameters unless the command line names others.
  if (mode.kind === 'replay' && values.params === undefined) delete instance.params;
  // In markdown mode each finished task is printed, which is progress enough; a status line on
  // stderr would tangle with those lines. JSON prints only at the end, so it gets one (TTY only).
  const progress = (output === 'json' ? terminalProgress(io.stderr) : silentProgress).begin(
    `playbook ${playbook.name}`,
  );
  const outcome = await runPlaybookSession({
    playbook,
    createRuntime: deps.createRuntime,
    mode,
    runtime: instance,
    run: {
      inputs,
      reporter: (task) => {
        progress.advance(1, task.name);
        if (output === 'markdown') io.stdout.write(formatTask(task));
      },
    },
  }).finally(() => progress.end());
  const { result } = outcome;
  if (output === 'json') {
    const { unmatched, unused, fixtureFile, saved } = outcome;
    const network =
      mode.kind === 'live' ? {} : { [mode.kind]: { fixtureFile, saved, unmatched, unused } };
    io.stdout.write(`${JSON.stringify({ ...result, ...network }, null, 2)}\n`);
  } else {
    io.stdout.write(`\nContext:\n${JSON.stringify(result.context, null, 2)}\n`);
    if (result.error) io.stderr.write(`Playbook failed: ${result.error}\n`);
  }
  return reportSession(outcome, io) ? 0 : 1;
}
