/**
 * Running a checked call on its instance: through the instance's admission queue, then either the
 * command itself (its entries exactly as XSOAR stores them, and its data as `commandData` makes
 * it, the same as the CLI's) or a dry run, whose report says what the command would have sent.
 */
import { entryText, isErrorEntry, type Entry } from '../command/entries.js';
import { GraphError, isNotFound } from '../graph/errors.js';
import { graphPath } from '../graph/path.js';
import type { GraphClient } from '../graph/types.js';
import { normaliseArguments } from '../manifest/arguments.js';
import { outputsPrefix } from '../manifest/outputs.js';
import type { ManifestCommand } from '../manifest/types.js';
import { commandData, type CommandRun } from '../runtime/command-run.js';
import type { Runtime } from '../runtime/compose.js';
import { targetArgument } from '../runtime/dispatcher.js';
import { Overloaded } from './admission.js';
import type { DryRuns, PlannedRequest } from './dry-run.js';
import type { EngineInstance } from './instances.js';
import type { EngineMetrics } from './metrics.js';
import { refused, type Refusal } from './refusal.js';
import type { SharedState } from './shared-state.js';

export interface Target {
  instance: EngineInstance;
  command: ManifestCommand;
}

export interface CheckedArguments {
  /** The arguments as given, without `dry_run` (the runtime normalises them itself). */
  args: Record<string, unknown>;
  dryRun: boolean;
}

/** What the run answered: `entries` as `--output entries` prints them, `data` as `--output json`. */
export interface CommandAnswer {
  kind: 'result';
  entries: Entry[];
  data: unknown[];
  /** Some entry is an error. */
  failed: boolean;
}

/** The user a dry run looked up, as Graph knows it. */
export interface ResolvedUser {
  user: string;
  found: boolean;
  id?: string;
  userPrincipalName?: string;
  displayName?: string;
  accountEnabled?: boolean;
  error?: string;
}

export interface DryRunReport {
  dry_run: true;
  /** The requests that would change something, none of them sent. */
  requests: PlannedRequest[];
  users: ResolvedUser[];
  /** Keys of the instance state (integration context) the command would have changed. */
  state_changes: string[];
  /** Failures other than the dry run's own stop: a gate, a missing user, a Graph error. */
  errors: string[];
}

export interface DryRunAnswer {
  kind: 'dry-run';
  report: DryRunReport;
  failed: boolean;
}

/** An answer, and how long the command took (queueing included), in ms. */
export type Answer = (CommandAnswer | DryRunAnswer) & { ms?: number };

export interface RunDeps {
  metrics: EngineMetrics;
  dryRuns: DryRuns;
  state: SharedState;
}

/** When a call that met the shared state down may try again, in seconds (about one reconnection). */
const STATE_RETRY_AFTER_S = 2;

const USER_FIELDS = ['id', 'userPrincipalName', 'displayName', 'accountEnabled'] as const;

async function resolveUser(graph: GraphClient, user: string): Promise<ResolvedUser> {
  try {
    const { body } = await graph.request<Record<string, unknown>>({
      method: 'GET',
      path: graphPath`users/${user}`,
      query: { $select: USER_FIELDS.join(',') },
    });
    const fields = USER_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]);
    return { user, found: true, ...Object.fromEntries(fields) } as ResolvedUser;
  } catch (error) {
    if (isNotFound(error)) return { user, found: false };
    const message = error instanceof GraphError ? error.userMessage : String(error);
    return { user, found: false, error: message };
  }
}

/** The users the call is about (its target argument's values); several go out in $batch calls. */
async function resolveUsers(
  runtime: Runtime,
  command: ManifestCommand,
  args: Record<string, unknown>,
): Promise<ResolvedUser[]> {
  const argument = targetArgument(command);
  if (!argument) return [];
  const value = normaliseArguments(command, args)[argument];
  const users = [value].flat().filter((v): v is string => typeof v === 'string');
  const graph = users.length > 1 ? runtime.graph.batching() : runtime.graph;
  return Promise.all(users.map((u) => resolveUser(graph, u)));
}

function failureTexts(run: CommandRun, halts: Set<string>): string[] {
  return run.results
    .flatMap((result) => result.entries.filter(isErrorEntry).map(entryText))
    .filter((text) => !halts.has(text));
}

async function dryRun(
  target: Target,
  checked: CheckedArguments,
  deps: RunDeps,
): Promise<DryRunAnswer> {
  const { runtime } = target.instance;
  const { result, scope } = await deps.dryRuns.run(async () => {
    const users = await resolveUsers(runtime, target.command, checked.args);
    const run = await runtime.execute(target.command.name, checked.args);
    return { users, run };
  });
  // The run kept its secret arguments in a scope of its own: the report gets one too.
  const redactor = runtime.redactor.scope();
  for (const arg of target.command.arguments ?? []) {
    if (arg.secret) for (const value of [checked.args[arg.name]].flat()) redactor.add(value);
  }
  const report: DryRunReport = redactor.redactValue({
    dry_run: true,
    requests: scope.requests,
    users: result.users,
    state_changes: [...scope.stateKeys],
    errors: failureTexts(result.run, scope.halts),
  });
  const failed = report.errors.length > 0 || report.users.some((u) => !u.found);
  return { kind: 'dry-run', report, failed };
}

async function execute(target: Target, checked: CheckedArguments): Promise<CommandAnswer> {
  const { command } = target;
  const run = await target.instance.runtime.execute(command.name, checked.args);
  return {
    kind: 'result',
    entries: run.entries,
    data: commandData(run, outputsPrefix(command)),
    failed: run.entries.some(isErrorEntry),
  };
}

export async function runChecked(
  target: Target,
  checked: CheckedArguments,
  deps: RunDeps,
): Promise<Answer | Refusal> {
  const name = target.command.name;
  const done = deps.metrics.timeCommand(name);
  try {
    const tracked = await deps.state.track(
      () =>
        target.instance.queue.run<Answer>(() =>
          checked.dryRun ? dryRun(target, checked, deps) : execute(target, checked),
        ),
      (answer) => answer.failed,
    );
    if (tracked.outage) {
      done('state_unavailable');
      return refused(503, 'state_unavailable', tracked.outage.message, STATE_RETRY_AFTER_S);
    }
    const answer = tracked.value;
    const outcome = answer.kind === 'dry-run' ? 'dry_run' : answer.failed ? 'error' : 'ok';
    return { ...answer, ms: done(outcome) * 1000 };
  } catch (error) {
    if (!(error instanceof Overloaded)) throw error;
    done('overloaded');
    return refused(503, 'overloaded', error.message, error.retryAfterSeconds);
  }
}
