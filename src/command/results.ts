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
}

const isEntry = (value: unknown): value is Entry =>
  typeof value === 'object' && value !== null && 'Type' in value && 'ContentsFormat' in value;

export function handlerEntries(result: HandlerResult | HandlerResult[]): ResultEntry[] {
  return (Array.isArray(result) ? result : [result]).map((r) => {
    if (typeof r === 'string') return { entry: textEntry(r) };
    if (isEntry(r)) return { entry: r };
    const { bulk_row: bulkRow, ...commandResults } = r;
    return { entry: toEntry(commandResults), bulkRow };
  });
}
