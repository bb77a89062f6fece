/**
 * Built-in automation scripts a task may name in `scriptName` (test playbooks use these around
 * the integration's commands, anchor-xsoar-runtime.md §4.6). Each reads its resolved arguments and
 * the incident context; a failure is an error entry (Type 4), as in XSOAR.
 *
 *   DeleteContext  all=yes clears the context (keeping `keysToKeep`, comma-separated);
 *                  key=A.B deletes that path
 *   Set            key=A.B value=V [append=true]: sets (or appends to) the path
 *   GenerateUUID   a random UUID, written to GeneratedUUID (merged like any entry context)
 *   Sleep          seconds=N, on the runtime's clock (instant in replays and tests)
 *   VerifyContext  path=A.B [expectedValue=V] [fields=f1,f2]: fails unless the path exists, one
 *                  of its values is V, and every object at the path has each field
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import { errorEntry, textEntry, type Entry } from '../command/entries.js';
import { getPath, type ContextData } from '../command/incident-context.js';
import { asText, isEmptyValue, scalars } from './conditions.js';
import type { GeneratedValues } from './types.js';

export interface ScriptContext {
  args: Record<string, unknown>;
  /** The incident context; scripts may change it in place. */
  context: ContextData;
  generated?: GeneratedValues;
  /** Sleep waits on it: a replay's clock skips the wait. */
  clock: Clock;
}

type Script = (ctx: ScriptContext) => Promise<Entry[]>;

const isObject = (v: unknown): v is ContextData =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isYes = (value: unknown): boolean => /^(yes|true)$/i.test(asText(value).trim());

const pathSegments = (path: string): string[] => path.split('.').filter(Boolean);

/** Deletes the last segment under every node the path reaches (through lists). */
function deletePath(node: unknown, segments: string[]): void {
  if (Array.isArray(node)) return node.forEach((item) => deletePath(item, segments));
  if (!isObject(node) || segments.length === 0) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) delete node[head];
  else deletePath(node[head], rest);
}

function setPath(root: ContextData, segments: string[], value: unknown, append: boolean): void {
  let node = root;
  for (const segment of segments.slice(0, -1)) {
    if (!isObject(node[segment])) node[segment] = {};
    node = node[segment] as ContextData;
  }
  const leaf = segments[segments.length - 1]!;
  const existing = node[leaf];
  node[leaf] =
    append && existing !== undefined && existing !== null
      ? [...scalars(existing), ...scalars(value)]
      : value;
}

const deleteContext: Script = async ({ args, context }) => {
  if (isYes(args.all)) {
    const keep = scalars(args.keysToKeep).flatMap((k) => asText(k).split(','));
    const kept = new Set(keep.map((k) => k.trim()).filter(Boolean));
    for (const key of Object.keys(context)) if (!kept.has(key)) delete context[key];
    return [textEntry('Context cleared')];
  }
  const key = asText(args.key).trim();
  if (!key) return [errorEntry('DeleteContext needs all=yes or key=<context path>.')];
  deletePath(context, pathSegments(key));
  return [textEntry(`Deleted ${key}`)];
};

const set: Script = async ({ args, context }) => {
  const key = asText(args.key).trim();
  if (!key) return [errorEntry('Set needs key=<context path>.')];
  setPath(context, pathSegments(key), args.value ?? '', isYes(args.append));
  return [textEntry(`Set ${key}`)];
};

const generateUUID: Script = async ({ generated }) => {
  const uuid = randomUUID();
  generated?.register('generated_uuid', uuid);
  return [{ ...textEntry(uuid), EntryContext: { GeneratedUUID: uuid } }];
};

const sleep: Script = async ({ args, clock }) => {
  const seconds = Number(asText(args.seconds) || '0');
  if (!Number.isFinite(seconds) || seconds < 0) {
    return [
      errorEntry(`Sleep: seconds must be a number of seconds (got "${asText(args.seconds)}").`),
    ];
  }
  if (seconds > 0) await clock.sleep(seconds * 1000);
  return [textEntry(`Slept ${seconds}s`)];
};

function verifyProblem(args: Record<string, unknown>, context: ContextData): string | undefined {
  const path = asText(args.path).trim();
  if (!path) return 'VerifyContext needs path=<context path>.';
  const value = getPath(context, path);
  if (value === undefined || value === null) return `${path} is not in the context.`;
  const expected = args.expectedValue;
  if (expected !== undefined && expected !== null && expected !== '') {
    const want = asText(expected);
    const found = scalars(value).map(asText);
    if (!found.includes(want) && asText(value) !== want) {
      return `${path} is ${JSON.stringify(value)}, expected ${JSON.stringify(want)}.`;
    }
  }
  const fields = scalars(args.fields).flatMap((f) => asText(f).split(','));
  for (const field of fields.map((f) => f.trim()).filter(Boolean)) {
    const objects = scalars(value);
    const missing = objects.findIndex((o) => !isObject(o) || isEmptyValue(getPath(o, field)));
    if (missing >= 0) {
      return `${path}${objects.length > 1 ? `[${missing}]` : ''} has no field "${field}".`;
    }
  }
  return undefined;
}

const verifyContext: Script = async ({ args, context }) => {
  const problem = verifyProblem(args, context);
  return [problem ? errorEntry(`VerifyContext: ${problem}`) : textEntry('Verified')];
};

export const BUILTIN_SCRIPTS: Readonly<Record<string, Script>> = {
  DeleteContext: deleteContext,
  Set: set,
  GenerateUUID: generateUUID,
  Sleep: sleep,
  VerifyContext: verifyContext,
};

export const isBuiltinScript = (name: string): boolean => Object.hasOwn(BUILTIN_SCRIPTS, name);
