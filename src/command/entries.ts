/**
 * XSOAR entries. A handler returns CommandResults (field names as in CommonServerPython, so content
 * developers recognise them); `toEntry` turns them into the war-room entry the server would store,
 * following `CommandResults.__init__` and `to_context()` (anchor-xsoar-runtime.md §2.5).
 */
import { tableToMarkdown } from './markdown.js';

export const EntryType = {
  NOTE: 1,
  FILE: 3,
  ERROR: 4,
  WARNING: 11,
} as const;

export type EntryFormat = 'html' | 'table' | 'json' | 'text' | 'markdown' | 'dbotCommandResponse';
const ENTRY_FORMATS: readonly EntryFormat[] = [
  'html',
  'table',
  'json',
  'text',
  'markdown',
  'dbotCommandResponse',
];

export interface ScheduledCommand {
  command: string;
  nextRunInSeconds: number;
  args: Record<string, unknown>;
  timeoutInSeconds?: number;
}

export interface CommandResults {
  outputs_prefix?: string;
  outputs_key_field?: string | string[];
  outputs?: unknown;
  readable_output?: string;
  raw_response?: unknown;
  entry_type?: number;
  content_format?: EntryFormat;
  replace_existing?: boolean;
  mark_as_note?: boolean;
  scheduled_command?: ScheduledCommand;
}

/** A war-room entry; `--output json` prints these exactly. */
export interface Entry {
  Type: number;
  ContentsFormat: string;
  Contents: unknown;
  HumanReadable: string | number | null;
  EntryContext: Record<string, unknown> | null;
  Note?: boolean;
  File?: string;
  FileID?: string;
  PollingCommand?: string;
  NextRun?: string;
  PollingArgs?: Record<string, unknown>;
  Timeout?: string;
}

/** Raised for CommandResults that CommonServerPython's constructor would reject. */
export class CommandResultsError extends Error {}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Prefix(val.K && val.K == obj.K && ...)`: the key that makes the server upsert by K. */
export function keyedContextPath(prefix: string, keyFields: string | string[]): string {
  const fields = typeof keyFields === 'string' ? [keyFields] : keyFields;
  if (fields.length === 0) return prefix;
  return `${prefix}(${fields.map((k) => `val.${k} && val.${k} == obj.${k}`).join(' && ')})`;
}

function entryContext(results: CommandResults): Record<string, unknown> {
  const { outputs, outputs_prefix: prefix, outputs_key_field: keyField } = results;
  if (outputs === undefined || outputs === null) return {};
  if (Array.isArray(outputs) && outputs.length === 0) return {};
  if (results.replace_existing && prefix) {
    const dot = prefix.lastIndexOf('.');
    if (dot < 0) {
      throw new CommandResultsError(
        'outputs_prefix must be a nested path to replace an existing key.',
      );
    }
    return { [`${prefix.slice(0, dot)}(true)`]: { [prefix.slice(dot + 1)]: outputs } };
  }
  if (prefix) return { [keyField ? keyedContextPath(prefix, keyField) : prefix]: outputs };
  return { ...(outputs as Record<string, unknown>) };
}

function contentsFormat(results: CommandResults, raw: unknown): string {
  if (results.content_format) return results.content_format;
  // Python: isinstance(raw, (str, int)) — bool is an int there, floats are not.
  const isPyInt = typeof raw === 'number' && Number.isInteger(raw);
  return typeof raw === 'string' || typeof raw === 'boolean' || isPyInt ? 'text' : 'json';
}

function humanReadable(results: CommandResults): string | number | null {
  if (results.readable_output) return results.readable_output;
  const { outputs } = results;
  if (outputs === undefined || outputs === null) return null;
  if (Array.isArray(outputs) && outputs.length === 0) return null;
  if (Array.isArray(outputs) || isPlainObject(outputs)) return tableToMarkdown('Results', outputs);
  return outputs as string | number;
}

function validate(results: CommandResults): void {
  const { outputs, outputs_prefix: prefix } = results;
  if (outputs !== undefined && outputs !== null && !isPlainObject(outputs) && !prefix) {
    throw new CommandResultsError('outputs_prefix is missing');
  }
  if (prefix === '.') throw new CommandResultsError('outputs_prefix cannot be a period.');
  if (results.content_format && !ENTRY_FORMATS.includes(results.content_format)) {
    throw new CommandResultsError(`content_format must be one of ${ENTRY_FORMATS.join(', ')}`);
  }
}

export function toEntry(results: CommandResults): Entry {
  validate(results);
  const raw = results.raw_response === undefined ? (results.outputs ?? null) : results.raw_response;
  const entry: Entry = {
    Type: results.entry_type ?? EntryType.NOTE,
    ContentsFormat: contentsFormat(results, raw),
    Contents: raw,
    HumanReadable: humanReadable(results),
    EntryContext: entryContext(results),
  };
  if (results.mark_as_note) entry.Note = true;
  const scheduled = results.scheduled_command;
  if (scheduled) {
    entry.PollingCommand = scheduled.command;
    entry.NextRun = String(Math.max(10, scheduled.nextRunInSeconds));
    entry.PollingArgs = scheduled.args;
    if (scheduled.timeoutInSeconds !== undefined) {
      entry.Timeout = String(scheduled.timeoutInSeconds);
    }
  }
  return entry;
}

/** `return_results('text')`: a plain note. */
export function textEntry(text: string): Entry {
  return {
    Type: EntryType.NOTE,
    ContentsFormat: 'text',
    Contents: text,
    HumanReadable: null,
    EntryContext: null,
  };
}

/** `return_error(message)`: Type 4, text. Long messages keep their head and tail, as XSOAR does. */
export function errorEntry(message: string): Entry {
  const limit = 50_000;
  const text =
    message.length > limit
      ? `${message.slice(0, 25_000)}...This error body was truncated...${message.slice(-25_000)}`
      : message;
  return {
    Type: EntryType.ERROR,
    ContentsFormat: 'text',
    Contents: text,
    HumanReadable: null,
    EntryContext: null,
  };
}

export const isErrorEntry = (entry: Entry): boolean => entry.Type === EntryType.ERROR;

/**
 * The text a terminal shows for an entry: its HumanReadable, else its contents; a file entry
 * (which has neither) by its name and id, as the war room shows the file.
 */
export function entryText(entry: Entry): string {
  if (entry.HumanReadable !== null && entry.HumanReadable !== undefined) {
    return String(entry.HumanReadable);
  }
  if (entry.Type === EntryType.FILE && entry.File) {
    return `File: ${entry.File}${entry.FileID ? ` (FileID ${entry.FileID})` : ''}`;
  }
  if (typeof entry.Contents === 'string') return entry.Contents;
  if (entry.Contents === null || entry.Contents === undefined) return '';
  return JSON.stringify(entry.Contents, null, 2);
}
