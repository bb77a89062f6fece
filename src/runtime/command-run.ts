/**
 * What one command run produced, for callers other than a war room: the entries exactly as XSOAR
 * stores them, plus one result per target (the user a bulk command ran for; the one target of any
 * other command), from which the data scripts and API clients read is taken (`--output json`, the
 * engine's `data`): the command's context outputs as objects, or, for an action with no outputs,
 * what happened to the target.
 */
import { entryText, isErrorEntry, type Entry } from '../command/entries.js';
import { EntryType } from '../command/entries.js';
import type { SavedFile } from '../command/handler.js';

/**
 * `not-found`: the object the target names does not exist (a missing user, manager or method),
 * whether handle_error turned that into a note or an error entry.
 */
export type TargetStatus = 'ok' | 'error' | 'not-found';

export interface TargetResult {
  /** The value of the command's target argument this result is for, when it has one. */
  target?: string;
  status: TargetStatus;
  /** The entries this target produced (a bulk run's own entries combine them). */
  entries: Entry[];
  /** The files this target's run saved (file entries name them by FileID). */
  files?: SavedFile[];
}

/**
 * Receives a long list's items as they arrive; resolves when the caller is ready for more, with
 * `false` when it wants no more (the listing then stops fetching).
 */
export type ItemSink = (items: Record<string, unknown>[]) => Promise<boolean>;

export interface ExecuteOptions {
  /**
   * Take a long listing's items page by page instead of in the run (`msgraph-user-list
   * all=true`): the items go to the sink, redacted, and the run's entries only summarise them.
   * Commands that do not stream ignore it.
   */
  sink?: ItemSink;
}

export interface CommandRun {
  command: string;
  /** The name of the argument whose values are the targets (`user`), if any. */
  targetArgument?: string;
  /** The entries, as XSOAR stores them (redacted). */
  entries: Entry[];
  /** One per target, in input order. */
  results: TargetResult[];
  /** Set when the items went to `ExecuteOptions.sink`: how many (they are not in `results`). */
  streamed?: number;
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

/** A file entry as data: its name, its id and where it was saved. */
function fileItem(entry: Entry, result: TargetResult): Record<string, unknown> {
  const saved = result.files?.find((file) => file.fileId === entry.FileID);
  return { file: entry.File, fileId: entry.FileID, ...(saved ? { path: saved.path } : {}) };
}

/** The items a target's entries hold: its context outputs, or a file it returned. */
function items(result: TargetResult, prefix: string): unknown[] {
  const found: unknown[] = [];
  for (const entry of result.entries) {
    if (entry.Type === EntryType.FILE) found.push(fileItem(entry, result));
    else if (!isErrorEntry(entry)) found.push(...outputsUnder(entry, prefix));
  }
  return found.filter((item) => !isPagingMarker(item));
}

/**
 * The run's data: every target's items, or for a target without any, one object saying what
 * happened to it (`{user, status, message}`, `{user, status: 'error', error}`, or
 * `{user, status: 'not-found', message|error}`). A collection (a command with outputs and no
 * target, as msgraph-user-list) that found nothing is no items, as its streamed form is. A
 * streamed run's items went to the sink.
 */
export function commandData(run: CommandRun, outputsPrefix: string): unknown[] {
  if (run.streamed !== undefined) return [];
  const collection = outputsPrefix !== '' && run.targetArgument === undefined;
  return run.results.flatMap((result) => {
    const found = items(result, outputsPrefix);
    if ((found.length > 0 || collection) && result.status === 'ok') return found;
    const text = result.entries.map(entryText).filter(Boolean).join('\n');
    const failed = result.entries.some(isErrorEntry);
    return [
      {
        ...(run.targetArgument && result.target !== undefined
          ? { [run.targetArgument]: result.target }
          : {}),
        status: result.status,
        ...(failed ? { error: text } : { message: text }),
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
