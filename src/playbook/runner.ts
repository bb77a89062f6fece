/**
 * Runs a loaded playbook against a runtime: from `starttaskid`, following `nexttasks`, one task at
 * a time. Tasks reached from several branches run once per arrival unless already waiting in the
 * queue, so a diamond joins; a loop in the flow stops at `maxTaskRuns` and is reported.
 *
 * A command or script task fails when any entry it returns is an error entry (Type 4), or when the
 * network monitor (a replay) saw a request it could not serve. Every entry's EntryContext is merged
 * into the incident context. On failure, `continueonerror: true` takes `#error#` when the task has
 * it, else carries on along `#none#`; otherwise the run stops, failed.
 */
import { systemClock } from '../base/clock.js';
import { BUILTIN_COMMANDS } from '../manifest/consistency.js';
import { entryText, errorEntry, isErrorEntry, type Entry } from '../command/entries.js';
import { mergeEntryContext, type ContextData } from '../command/incident-context.js';
import { REDACTED } from '../base/redact.js';
import { BUILTIN_SCRIPTS } from './builtins.js';
import { conditionHolds } from './conditions.js';
import { PlaybookError, taskAction, taskLabel, unknownCommands } from './load.js';
import type {
  GeneratedValues,
  NetworkMonitor,
  Playbook,
  PlaybookRuntime,
  PlaybookTask,
  RunResult,
  TaskResult,
} from './types.js';
import { readOperand, resolveArgument, scopeData } from './values.js';

export interface RunOptions {
  /** `--input k=v` values; they override the playbook's input defaults. */
  inputs?: Record<string, string>;
  /** `${incident.*}`; defaults to `{ id: '1', name: <playbook name> }`. */
  incident?: Record<string, unknown>;
  /** The initial incident context (default empty). */
  context?: ContextData;
  /** Called as each task finishes. */
  reporter?: (task: TaskResult) => void;
  monitor?: NetworkMonitor;
  generated?: GeneratedValues;
  /** Most task runs before the run is declared a loop. Default 1000. */
  maxTaskRuns?: number;
}

interface Outcome {
  status: TaskResult['status'];
  branch?: string;
  entries: Entry[];
  error?: string;
  command?: string;
  args?: Record<string, unknown>;
  /** Fails the run even with continueonerror (a replay could not serve a request). */
  fatal?: boolean;
}

function checkInputs(playbook: Playbook, given: Record<string, string>): string[] {
  const declared = (playbook.inputs ?? []).map((i) => i.key);
  const problems = Object.keys(given)
    .filter((k) => !declared.includes(k))
    .map(
      (k) =>
        `--input ${k}: the playbook has no input "${k}" (inputs: ${declared.join(', ') || 'none'})`,
    );
  for (const input of playbook.inputs ?? []) {
    const hasDefault = input.value?.simple !== undefined || input.value?.complex !== undefined;
    if (input.required && !hasDefault && given[input.key] === undefined) {
      problems.push(`input "${input.key}" is required: pass --input ${input.key}=VALUE`);
    }
  }
  return problems;
}

class Run {
  readonly context: ContextData;
  private readonly incident: Record<string, unknown>;

  constructor(
    private readonly playbook: Playbook,
    private readonly runtime: PlaybookRuntime,
    private readonly options: RunOptions,
  ) {
    this.context = options.context ?? {};
    this.incident = options.incident ?? { id: '1', name: playbook.name };
  }

  /** The scope `${...}` sees; inputs are resolved when read, against the current context. */
  data(): ContextData {
    const bare = scopeData(this.context, {}, this.incident);
    const inputs: Record<string, unknown> = {};
    for (const input of this.playbook.inputs ?? []) {
      const given = this.options.inputs?.[input.key];
      inputs[input.key] = given !== undefined ? given : resolveArgument(input.value, bare);
    }
    return scopeData(this.context, inputs, this.incident);
  }

  /**
   * Registers as secrets the inputs that feed a secret argument of a command, before any task
   * runs: a task ahead of that command (a Set copying the input) must not show them either.
   */
  registerSecretInputs(): void {
    const { redactor, manifest } = this.runtime;
    if (!redactor || !manifest) return;
    const inputs = this.data().inputs as Record<string, unknown>;
    for (const task of Object.values(this.playbook.tasks)) {
      const action = taskAction(task);
      if (!('kind' in action) || action.kind !== 'command') continue;
      const spec = manifest.script.commands.find((c) => c.name === action.command);
      for (const arg of spec?.arguments ?? []) {
        const given = arg.secret ? task.scriptarguments?.[arg.name] : undefined;
        if (given === undefined) continue;
        for (const [, key] of JSON.stringify(given).matchAll(/inputs\.([\w-]+)/g)) {
          redactor.add(inputs[key!]);
        }
      }
    }
  }

  resolveArgs(task: PlaybookTask): Record<string, unknown> {
    const data = this.data();
    const args: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(task.scriptarguments ?? {})) {
      const resolved = resolveArgument(value, data);
      if (resolved !== undefined && resolved !== null) args[name] = resolved;
    }
    return args;
  }

  /** Arguments as shown: the runtime's redactor, and the manifest's secret arguments hidden. */
  displayArgs(command: string, args: Record<string, unknown>): Record<string, unknown> {
    const shown = this.runtime.redactor ? this.runtime.redactor.redactValue(args) : { ...args };
    const spec = this.runtime.manifest?.script.commands.find((c) => c.name === command);
    for (const arg of spec?.arguments ?? []) {
      if (arg.secret && arg.name in shown) shown[arg.name] = REDACTED;
    }
    return shown;
  }

  async execute(task: PlaybookTask): Promise<Outcome> {
    const action = taskAction(task);
    if ('error' in action) {
      return { status: 'failed', entries: [], error: action.error, fatal: true };
    }
    switch (action.kind) {
      case 'none':
        return { status: 'completed', branch: '#none#', entries: [] };
      case 'unavailable':
        return { status: 'skipped', branch: '#none#', entries: [], error: action.reason };
      case 'condition':
        return { status: 'completed', branch: this.chooseBranch(task), entries: [] };
      case 'command':
      case 'script':
        return this.runAction(
          task,
          action.kind,
          action.kind === 'command' ? action.command : action.script,
        );
    }
  }

  chooseBranch(task: PlaybookTask): string {
    const data = this.data();
    const read = (operand: Parameters<typeof readOperand>[0]) => readOperand(operand, data);
    const match = (task.conditions ?? []).find((c) => conditionHolds(c.condition, read));
    return match ? match.label : '#default#';
  }

  async runAction(task: PlaybookTask, kind: 'command' | 'script', name: string): Promise<Outcome> {
    const args = this.resolveArgs(task);
    const monitor = this.options.monitor;
    monitor?.beginTask({ id: task.id, name: task.task.name ?? '' });
    let entries: Entry[];
    try {
      entries =
        kind === 'command'
          ? await this.runtime.run(name, args)
          : await BUILTIN_SCRIPTS[name]!({
              args,
              context: this.context,
              generated: this.options.generated,
              clock: this.runtime.clock ?? systemClock,
            });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      entries = [errorEntry(message)];
    }
    // Commands come back redacted; built-in scripts (VerifyContext quoting a value) and errors not.
    if (this.runtime.redactor) entries = this.runtime.redactor.redactValue(entries);
    const problems = monitor ? await monitor.endTask() : [];
    for (const entry of entries) mergeEntryContext(this.context, entry.EntryContext);
    // A request the replay could not serve explains the entries' errors (an HTTP 421): say only it.
    const errors = problems.length > 0 ? problems : entries.filter(isErrorEntry).map(entryText);
    const shown = this.displayArgs(name, args);
    const base = { entries, command: name, args: shown };
    if (errors.length === 0) return { ...base, status: 'completed', branch: '#none#' };
    return { ...base, status: 'failed', error: errors.join('\n'), fatal: problems.length > 0 };
  }
}

/** Decides where a finished task leads, and whether the run goes on. */
function follow(task: PlaybookTask, outcome: Outcome): { next: string[]; stop: boolean } {
  const next = task.nexttasks ?? {};
  if (outcome.status !== 'failed') {
    return { next: next[outcome.branch ?? '#none#'] ?? [], stop: false };
  }
  if (outcome.fatal || !task.continueonerror) return { next: [], stop: true };
  if (next['#error#']) {
    outcome.status = 'error-branch';
    outcome.branch = '#error#';
    return { next: next['#error#'], stop: false };
  }
  return { next: next['#none#'] ?? [], stop: false };
}

export async function runPlaybook(
  playbook: Playbook,
  runtime: PlaybookRuntime,
  options: RunOptions = {},
): Promise<RunResult> {
  const commands = runtime.manifest?.script.commands;
  const problems = [
    ...(commands
      ? unknownCommands(playbook, new Set([...commands.map((c) => c.name), ...BUILTIN_COMMANDS]))
      : []),
    ...checkInputs(playbook, options.inputs ?? {}),
  ];
  if (problems.length > 0) throw new PlaybookError(playbook.source, problems);
  const run = new Run(playbook, runtime, options);
  run.registerSecretInputs();
  const clock = runtime.clock ?? systemClock;
  const maxRuns = options.maxTaskRuns ?? 1000;
  const tasks: TaskResult[] = [];
  const queue = [playbook.starttaskid];
  let error: string | undefined;
  while (queue.length > 0 && error === undefined) {
    if (tasks.length >= maxRuns) {
      const recent = tasks.slice(-6).map((t) => t.id);
      error = `stopped after ${maxRuns} task runs: the flow loops (last tasks run: ${recent.join(' -> ')})`;
      break;
    }
    const task = playbook.tasks[queue.shift()!]!;
    const started = clock.now();
    const outcome = await run.execute(task);
    const { next, stop } = follow(task, outcome);
    const result: TaskResult = {
      id: task.id,
      name: task.task.name ?? '',
      type: task.type,
      ...(outcome.command ? { command: outcome.command } : {}),
      args: outcome.args ?? {},
      status: outcome.status,
      ...(outcome.branch && task.type === 'condition' ? { branch: outcome.branch } : {}),
      entries: outcome.entries,
      ...(outcome.error ? { error: outcome.error } : {}),
      durationMs: Math.round(clock.now() - started),
    };
    tasks.push(result);
    options.reporter?.(result);
    if (stop) error = `${taskLabel(task)} failed: ${outcome.error ?? 'error'}`;
    for (const id of next) if (!queue.includes(id)) queue.push(id);
  }
  return {
    status: error === undefined ? 'completed' : 'failed',
    playbook: { id: playbook.id, name: playbook.name },
    tasks,
    // Tasks see the real values; the context shown and returned does not (a secret copied by Set).
    context: runtime.redactor ? runtime.redactor.redactValue(run.context) : run.context,
    ...(error !== undefined ? { error } : {}),
  };
}
