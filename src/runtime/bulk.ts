/**
 * Combining the per-value runs of a bulk command (`user=a,b,c`) into what a war room wants: one
 * table with a row per value in input order, one merged EntryContext, and one error entry listing
 * the values that failed, so a failure never hides the successes.
 */
import type { ManifestCommand } from '../manifest/types.js';
import { entryText, errorEntry, isErrorEntry, type Entry } from '../command/entries.js';
import type { HandlerResult } from '../command/handler.js';
import { tableToMarkdown } from '../command/markdown.js';
import { handlerEntries } from '../command/results.js';

export type BulkOutcome =
  { value: string; result: HandlerResult | HandlerResult[] } | { value: string; error: string };

const columnLabel = (argName: string): string =>
  argName
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

const firstLine = (text: string): string =>
  text
    .replace(/^#+\s*/, '')
    .split('\n')[0]
    ?.trim() ?? '';
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

function mergeContext(into: Record<string, unknown>, from: Record<string, unknown> | null): void {
  for (const [key, value] of Object.entries(from ?? {})) {
    const previous = into[key];
    if (previous === undefined) into[key] = value;
    else {
      into[key] = [
        ...(Array.isArray(previous) ? previous : [previous]),
        ...(Array.isArray(value) ? value : [value]),
      ];
    }
  }
}

/** `msgraph-user-account-disable for 3 users` (`, 1 failed` when some failed). */
function bulkTitle(command: string, argName: string, total: number, failed: number): string {
  const noun = argName === 'user' || argName === 'user_id' ? 'users' : 'values';
  return `${command} for ${total} ${noun}${failed > 0 ? `, ${failed} failed` : ''}`;
}

export function combineBulkResults(
  command: ManifestCommand,
  argName: string,
  outcomes: BulkOutcome[],
): Entry[] {
  const column = columnLabel(argName);
  const rows: Record<string, unknown>[] = [];
  const failures: string[] = [];
  const failedValues = new Set<string>();
  const context: Record<string, unknown> = {};
  const contents: unknown[] = [];
  for (const outcome of outcomes) {
    const fail = (message: string) => {
      failures.push(`- ${outcome.value}: ${oneLine(message)}`);
      failedValues.add(outcome.value);
    };
    if ('error' in outcome) {
      fail(outcome.error);
      continue;
    }
    for (const { entry, bulkRow } of handlerEntries(outcome.result)) {
      if (isErrorEntry(entry)) {
        fail(entryText(entry));
        continue;
      }
      const row = bulkRow ?? { [column]: outcome.value, Result: firstLine(entryText(entry)) };
      rows.push(row);
      mergeContext(context, entry.EntryContext);
      // An action's entry has no contents (as in the reference); its row says what happened.
      contents.push(entry.Contents ?? row);
    }
  }
  const total = outcomes.length;
  const entries: Entry[] = [];
  if (rows.length > 0) {
    entries.push({
      Type: 1,
      ContentsFormat: 'json',
      Contents: contents,
      HumanReadable: tableToMarkdown(
        bulkTitle(command.name, argName, total, failedValues.size),
        rows,
        { sortHeaders: false },
      ),
      EntryContext: context,
    });
  }
  if (failures.length > 0) {
    entries.push(
      errorEntry(
        `${command.name} failed for ${failedValues.size} of ${total}:\n${failures.join('\n')}`,
      ),
    );
  }
  return entries;
}
