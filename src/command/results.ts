/**
 * A handler's return value as entries. Handlers may return CommandResults, a plain string (a
 * note, like `return_results('ok')`), a ready entry (a file entry), or a list of these.
 */
import { textEntry, toEntry, type Entry } from './entries.js';
import type { HandlerResult } from './handler.js';

export interface ResultEntry {
  entry: Entry;
  /** The row a bulk run's table shows for this result, when the handler provided one. */
  bulkRow?: Record<string, unknown>;
  /** The result says the object the command is about does not exist (see `notFound`). */
  notFound?: boolean;
}

/**
 * Marks a result as "the object does not exist" (a handle_error note, or msgraph-user-get's
 * not-found answer), so callers other than a war room can tell (the CLI exits 3, the data says
 * `not-found`). The mark is a non-enumerable symbol: the entry a war room gets is unchanged.
 */
const NOT_FOUND = Symbol.for('msgraph-user.not-found');

export function notFound<T extends HandlerResult>(result: T): T extends string ? Entry : T {
  const marked: Exclude<HandlerResult, string> =
    typeof result === 'string' ? textEntry(result) : result;
  Object.defineProperty(marked, NOT_FOUND, { value: true, enumerable: false });
  return marked as T extends string ? Entry : T;
}

const isNotFoundResult = (result: HandlerResult): boolean =>
  typeof result === 'object' && NOT_FOUND in result;

const isEntry = (value: unknown): value is Entry =>
  typeof value === 'object' && value !== null && 'Type' in value && 'ContentsFormat' in value;

export function handlerEntries(result: HandlerResult | HandlerResult[]): ResultEntry[] {
  return (Array.isArray(result) ? result : [result]).map((r) => {
    if (typeof r === 'string') return { entry: textEntry(r) };
    const marked = isNotFoundResult(r) ? { notFound: true } : {};
    if (isEntry(r)) return { entry: r, ...marked };
    const { bulk_row: bulkRow, ...commandResults } = r;
    return { entry: toEntry(commandResults), bulkRow, ...marked };
  });
}
