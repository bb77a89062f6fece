/**
 * One target's run inside the dispatcher: its handler context (the deps' context, with a file
 * store that remembers what it saved and the caller's item sink), and its status.
 */
import type { CommandContext, FileStore, SavedFile } from '../command/handler.js';
import { isErrorEntry } from '../command/entries.js';
import type { ResultEntry } from '../command/results.js';
import { isNotFound } from '../graph/errors.js';
import type { GraphClient } from '../graph/types.js';
import type { Args } from '../manifest/arguments.js';
import { outputsPrefix } from '../manifest/outputs.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { ExecuteOptions, TargetResult } from './command-run.js';
import type { DispatcherDeps } from './dispatcher.js';

/** A target's status: `not-found` when its object does not exist, as a note or as an error. */
export function statusOf(results: ResultEntry[], failure?: unknown): TargetResult['status'] {
  if (failure !== undefined) return isNotFound(failure) ? 'not-found' : 'error';
  if (results.some((r) => isErrorEntry(r.entry))) return 'error';
  return results.some((r) => r.notFound) ? 'not-found' : 'ok';
}

/** The file store of one target's run, remembering where its files went (for `commandData`). */
function recordingFiles(store: FileStore, saved: SavedFile[]): FileStore {
  return {
    async save(name, data) {
      const file = await store.save(name, data);
      saved.push(file);
      return file;
    },
  };
}

/** The context of one target's run: the deps' context, recording files, and the item sink. */
export function targetContext(
  deps: DispatcherDeps,
  command: ManifestCommand,
  args: Args,
  graph: GraphClient,
  saved: SavedFile[],
  stream?: CommandContext['stream'],
): CommandContext {
  const context = deps.contextFor(command, args, graph, outputsPrefix(command));
  return {
    ...context,
    files: recordingFiles(context.files, saved),
    stream,
    // What the handler registers (a generated password, a TAP) belongs to this run's redactor.
    addSecret: (value) => deps.redactor.add(value),
  };
}

/** The sink a handler streams to, redacting and counting what passes (undefined: no sink). */
export function countingSink(deps: DispatcherDeps, options: ExecuteOptions) {
  const { sink } = options;
  if (!sink) return undefined;
  const counted = { items: 0, used: false };
  const stream = async (items: Record<string, unknown>[]) => {
    counted.used = true;
    counted.items += items.length;
    // The page whole: one walk, and the list itself is copied only if an item changed.
    return sink(deps.redactor.redactValue(items));
  };
  return { stream, counted };
}
