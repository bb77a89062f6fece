/**
 * What one command run produced, for callers other than a war room: the entries exactly as XSOAR
 * stores them, plus one result per target (the user a bulk command ran for; the one target of any
 * other command), from which the data scripts and API clients read is taken (`--output json`, the
 * engine's `data`): the command's context outputs as objects, or, for an action with no outputs,
 * what happened to the target.
 */
import { entryText, isErrorEntry, type Entry } from '../command/entries.js';
import { EntryType } from '../command/entries.js';

export type TargetStatus = 'ok' | 'error';

export interface TargetResult {
  /** The value of the command's target argument this result is for, when it has one. */
  target?: string;
  status: TargetStatus;
  /** The entries this target produced (a bulk run's own entries combine them). */
  entries: Entry[];
}

export interface CommandRun {
  command: string;
  /** The name of the argument whose values are the targets (`user`), if any. */
  targetArgument?: string;
  /** The entries, as XSOAR stores them (redacted). */
  entries: Entry[];
  /** One per target, in input order. */
  results: TargetResult[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The outputs an entry wrote under `prefix` (the plain key or a keyed `prefix(...)` one). */
function outputsUnder(entry: Entry, prefix: string): unknown[] {
  if (!prefix || !entry.EntryContext) return [];
  const found: unknown[] = [];
  for (const [key, value] of Object.entries(entry.EntryContext)) {
    if (key === prefix || key.startsWith(`${prefix}(`)) found.push(...[value].flat());
  }
  return found;
}

/** A list's continuation marker (`{NextPage: url}`), which is paging, not an item. */
const isPagingMarker = (item: unknown): boolean =>
  isRecord(item) && Object.keys(item).length === 1 && 'NextPage' in item;

/** The items a target's entries hold: its context outputs, or a file it returned. */
function items(result: TargetResult, prefix: string): unknown[] {
  const found: unknown[] = [];
  for (const entry of result.entries) {
    if (entry.Type === EntryType.FILE) found.push({ file: entry.File, fileId: entry.FileID });
    else if (!isErrorEntry(entry)) found.push(...outputsUnder(entry, prefix));
  }
  return found.filter((item) => !isPagingMarker(item));
}

/**
 * The run's data: every target's items, or for a target without any, one object saying what
 * happened to it (`{user, status, message}` or `{user, status: 'error', error}`).
 */
export function commandData(run: CommandRun, outputsPrefix: string): unknown[] {
  return run.results.flatMap((result) => {
    const found = items(result, outputsPrefix);
    if (found.length > 0 && result.status === 'ok') return found;
    const text = result.entries.map(entryText).filter(Boolean).join('\n');
    return [
      {
        ...(run.targetArgument && result.target !== undefined
          ? { [run.targetArgument]: result.target }
          : {}),
        status: result.status,
        ...(result.status === 'error' ? { error: text } : { message: text }),
      },
    ];
  });
}

/** The `NextPage` link a list run ended with, if any. */
export function nextPage(run: CommandRun, outputsPrefix: string): string | undefined {
  for (const entry of run.entries) {
    const marker = outputsUnder(entry, outputsPrefix).find(isPagingMarker);
    if (isRecord(marker) && typeof marker.NextPage === 'string') return marker.NextPage;
  }
  return undefined;
}
