/**
 * The playbook model: the subset of XSOAR's playbook YAML (anchor-xsoar-runtime.md §4) the runner
 * executes, and the result it reports. Field names follow the YAML so authors recognise them.
 */
import type { Clock } from '../base/clock.js';
import type { Manifest } from '../manifest/types.js';
import type { Entry } from '../command/entries.js';
import type { Redactor } from '../base/redact.js';

/** `{simple: '${A.B}'}` or `{complex: {...}}`; `{}` is an argument the author left unset. */
export interface ArgumentValue {
  simple?: string | number | boolean | null;
  complex?: ComplexValue;
}

/** One side of a condition or filter; `iscontext: true` reads `simple` as a context path. */
export interface Operand {
  value?: ArgumentValue;
  iscontext?: boolean;
}

export interface ConditionItem {
  operator: string;
  left?: Operand;
  right?: Operand;
  ignorecase?: boolean;
}

/** Rows are ANDed; the items of one row are ORed. */
export type ConditionRows = ConditionItem[][];

export interface Transformer {
  operator: string;
  args?: Record<string, Operand | undefined>;
}

export interface ComplexValue {
  root: string;
  accessor?: string;
  filters?: ConditionRows;
  transformers?: Transformer[];
}

export interface LabelledCondition {
  label: string;
  condition: ConditionRows;
}

export type TaskType = 'start' | 'regular' | 'condition' | 'title' | 'section';

export interface PlaybookTask {
  id: string;
  type: TaskType;
  task: {
    id?: string;
    name?: string;
    description?: string;
    script?: string;
    scriptName?: string;
    iscommand?: boolean;
    brand?: string;
  };
  nexttasks?: Record<string, string[]>;
  scriptarguments?: Record<string, ArgumentValue | undefined>;
  conditions?: LabelledCondition[];
  continueonerror?: boolean;
  skipunavailable?: boolean;
}

export interface PlaybookInput {
  key: string;
  value?: ArgumentValue;
  required?: boolean;
  description?: string;
}

export interface Playbook {
  id: string;
  name: string;
  starttaskid: string;
  tasks: Record<string, PlaybookTask>;
  inputs?: PlaybookInput[];
  /** Where it was loaded from (for messages). */
  source: string;
}

/** What a task does, decided once at load time. */
export type TaskAction =
  | { kind: 'none' }
  | { kind: 'command'; command: string }
  | { kind: 'script'; script: string }
  | { kind: 'condition' }
  | { kind: 'unavailable'; reason: string };

export type TaskStatus = 'completed' | 'failed' | 'skipped' | 'error-branch';

export interface TaskResult {
  id: string;
  name: string;
  type: TaskType;
  /** The integration command or built-in script the task ran. */
  command?: string;
  /** Arguments as resolved, secrets redacted. */
  args: Record<string, unknown>;
  status: TaskStatus;
  /** The branch a condition task took (its label or `#default#`). */
  branch?: string;
  entries: Entry[];
  error?: string;
  durationMs: number;
}

export interface RunResult {
  status: 'completed' | 'failed';
  playbook: { id: string; name: string };
  tasks: TaskResult[];
  context: Record<string, unknown>;
  /** Why the run failed (the failing task's error, a cycle, ...). */
  error?: string;
}

/** What the runner needs from a runtime; `createRuntime()`'s Runtime satisfies it. */
export interface PlaybookRuntime {
  run(command: string, args: Record<string, unknown>): Promise<Entry[]>;
  readonly redactor?: Redactor;
  /** Sleep tasks and task timings use it (default: the system clock). */
  readonly clock?: Clock;
  readonly manifest?: Manifest;
}

/** Values made up during a run (GenerateUUID) that recordings replace with placeholders. */
export interface GeneratedValues {
  /** Registers a value; returns its placeholder (`<generated_uuid:1>`). */
  register(kind: string, value: string): string;
}

/** Hooks a recording or replay session gives the runner, around each task. */
export interface NetworkMonitor {
  beginTask(task: { id: string; name: string }): void;
  /** Problems seen while the task ran (requests a replay could not serve); they fail the task. */
  endTask(): Promise<string[]>;
}
