/**
 * Loads a playbook YAML and checks everything that can be checked before a task runs: the shape
 * (schema.ts), the flow (start task, nexttasks targets), and that every task type, command brand,
 * built-in script, condition operator and transformer is one the runner knows. All problems are
 * reported at once, each naming the task by id and name.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from '../base/errors.js';
import { readUserFile } from '../base/user-files.js';
import { parseYaml } from '../base/yaml-text.js';
import { isBuiltinScript } from './builtins.js';
import { isKnownOperator } from './conditions.js';
import { playbookSchema } from './schema.js';
import { isKnownTransformer } from './transformers.js';
import type {
  ArgumentValue,
  ConditionRows,
  Playbook,
  PlaybookTask,
  TaskAction,
  TaskType,
} from './types.js';

/** The brands a `Brand|||command` script may name to reach this integration. */
export const OUR_BRANDS = ['', 'Microsoft Graph User'];
const TASK_TYPES: readonly TaskType[] = ['start', 'regular', 'condition', 'title', 'section'];
/** Reserved command arguments XSOAR interprets; `using` pins an instance, and there is one. */
const IGNORED_ARGUMENTS = ['using', 'execution-timeout'];
const UNSUPPORTED_ARGUMENTS = ['extend-context', 'ignore-outputs', 'raw-response'];

export class PlaybookError extends UsageError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source} cannot run (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}

export const taskLabel = (task: PlaybookTask): string =>
  `task ${task.id}${task.task.name ? ` (${task.task.name})` : ''}`;

/** What a task does, or why it cannot run. */
export function taskAction(task: PlaybookTask): TaskAction | { error: string } {
  if (task.type === 'start' || task.type === 'title' || task.type === 'section') {
    return { kind: 'none' };
  }
  if (task.type === 'condition') {
    if (task.task.script || task.task.scriptName) {
      return { error: 'condition tasks that run a script are not supported; use conditions:' };
    }
    return { kind: 'condition' };
  }
  const { script, scriptName } = task.task;
  if (script) {
    const sep = script.indexOf('|||');
    const brand = sep < 0 ? '' : script.slice(0, sep).trim();
    const command = (sep < 0 ? script : script.slice(sep + 3)).trim();
    if (!command) return { error: `script "${script}" names no command` };
    if (!OUR_BRANDS.includes(brand)) {
      const reason = `brand "${brand}" is not this integration (use "|||${command}" or "Microsoft Graph User|||${command}")`;
      return task.skipunavailable ? { kind: 'unavailable', reason } : { error: reason };
    }
    return { kind: 'command', command };
  }
  if (scriptName) {
    if (isBuiltinScript(scriptName)) return { kind: 'script', script: scriptName };
    const reason = `unknown script "${scriptName}" (built-in scripts: DeleteContext, Set, GenerateUUID, Sleep, VerifyContext)`;
    return task.skipunavailable ? { kind: 'unavailable', reason } : { error: reason };
  }
  return { error: 'a regular task needs task.script (a command) or task.scriptName (a script)' };
}

function rowProblems(rows: ConditionRows | undefined, where: string): string[] {
  const problems: string[] = [];
  for (const item of (rows ?? []).flat()) {
    if (!isKnownOperator(item.operator)) {
      problems.push(`unknown operator "${item.operator}" in ${where}`);
    }
    for (const side of [item.left, item.right]) problems.push(...valueProblems(side?.value, where));
  }
  return problems;
}

function valueProblems(value: ArgumentValue | undefined | null, where: string): string[] {
  const complex = value?.complex;
  if (!complex) return [];
  const problems = rowProblems(complex.filters ?? undefined, `${where} filters`);
  for (const t of complex.transformers ?? []) {
    if (!isKnownTransformer(t.operator)) {
      problems.push(`unknown transformer "${t.operator}" in ${where}`);
    }
    for (const arg of Object.values(t.args ?? {})) {
      problems.push(...valueProblems(arg?.value, where));
    }
  }
  return problems;
}

function loopIsUsed(loop: unknown): boolean {
  if (typeof loop !== 'object' || loop === null) return false;
  const l = loop as Record<string, unknown>;
  return Boolean(
    l.scriptId || l.forEach || (Array.isArray(l.exitCondition) && l.exitCondition.length),
  );
}

function taskProblems(
  task: PlaybookTask,
  raw: Record<string, unknown>,
  ids: Set<string>,
): string[] {
  const problems: string[] = [];
  if (!TASK_TYPES.includes(task.type)) {
    problems.push(`unknown task type "${task.type}" (supported: ${TASK_TYPES.join(', ')})`);
  } else {
    const action = taskAction(task);
    if ('error' in action) problems.push(action.error);
  }
  if (loopIsUsed(raw.loop)) problems.push('loops are not supported');
  for (const [name, value] of Object.entries(task.scriptarguments ?? {})) {
    if (UNSUPPORTED_ARGUMENTS.includes(name)) problems.push(`argument "${name}" is not supported`);
    problems.push(...valueProblems(value, `argument "${name}"`));
  }
  (task.conditions ?? []).forEach((c) =>
    problems.push(...rowProblems(c.condition, `condition "${c.label}"`)),
  );
  for (const [label, targets] of Object.entries(task.nexttasks ?? {})) {
    for (const target of targets) {
      if (!ids.has(target)) problems.push(`nexttasks "${label}" points to missing task ${target}`);
    }
  }
  return problems.map((p) => `${taskLabel(task)}: ${p}`);
}

function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).join('.') || '(top level)';
  const extra =
    error.keyword === 'required'
      ? `needs "${String(error.params.missingProperty)}"`
      : error.keyword === 'additionalProperties'
        ? `unknown key "${String(error.params.additionalProperty)}"`
        : error.message;
  return `${path}: ${extra}`;
}

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(playbookSchema);

/** Ids may be YAML numbers; the runner uses strings throughout. */
function normaliseTask(raw: Record<string, unknown>): PlaybookTask {
  const nexttasks: Record<string, string[]> = {};
  for (const [label, targets] of Object.entries(
    (raw.nexttasks ?? {}) as Record<string, unknown[]>,
  )) {
    nexttasks[label] = targets.map(String);
  }
  const args = { ...((raw.scriptarguments ?? {}) as Record<string, ArgumentValue | undefined>) };
  for (const name of IGNORED_ARGUMENTS) delete args[name];
  return {
    ...(raw as unknown as PlaybookTask),
    id: String(raw.id),
    nexttasks,
    scriptarguments: args,
    conditions: (raw.conditions ?? []) as PlaybookTask['conditions'],
  };
}

/** Validates parsed YAML; throws PlaybookError listing every problem. */
export function parsePlaybook(data: unknown, source: string): Playbook {
  if (!validate(data)) {
    throw new PlaybookError(source, (validate.errors ?? []).map(describeSchemaError));
  }
  const doc = data as unknown as Record<string, unknown>;
  const rawTasks = doc.tasks as Record<string, Record<string, unknown>>;
  const tasks: Record<string, PlaybookTask> = {};
  for (const [key, raw] of Object.entries(rawTasks)) tasks[key] = normaliseTask(raw);
  const ids = new Set(Object.keys(tasks));
  const problems: string[] = [];
  const start = String(doc.starttaskid);
  if (!ids.has(start)) problems.push(`starttaskid ${start} is not a task`);
  for (const [key, task] of Object.entries(tasks)) {
    if (task.id !== key) problems.push(`${taskLabel(task)}: its id differs from its key "${key}"`);
    problems.push(...taskProblems(task, rawTasks[key]!, ids));
  }
  const inputs = (doc.inputs ?? []) as Playbook['inputs'] & object;
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.key)) problems.push(`input "${input.key}" is declared twice`);
    seen.add(input.key);
    problems.push(...valueProblems(input.value, `input "${input.key}"`));
  }
  if (problems.length > 0) throw new PlaybookError(source, problems);
  return {
    id: doc.id as string,
    name: doc.name as string,
    starttaskid: start,
    tasks,
    inputs,
    source,
  };
}

export async function loadPlaybook(file: string): Promise<Playbook> {
  const text = await readUserFile(file, 'the playbook');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new UsageError(
      `The playbook ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return parsePlaybook(data, file);
}

/** Commands the playbook runs that the runtime's manifest does not declare. */
export function unknownCommands(playbook: Playbook, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const task of Object.values(playbook.tasks)) {
    const action = taskAction(task);
    if ('kind' in action && action.kind === 'command' && !known.has(action.command)) {
      problems.push(`${taskLabel(task)}: unknown command "${action.command}"`);
    }
  }
  return problems;
}

/** XSOAR's clean_filename: spaces and parentheses become `_`, then ASCII letters, digits, `-_.`. */
export function cleanFilename(id: string): string {
  const clean = id
    .replace(/[ ()]/g, '_')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]/g, '');
  return /^\.*$/.test(clean) ? `playbook${clean.length > 0 ? '_' : ''}` : clean;
}
