/**
 * What a command run prints, by `--output`:
 *   text (default)  for people: titled cards and aligned columns sized to the terminal
 *   json, ndjson, csv  the command's data (`commandData`): objects, not entries; `--query` filters
 *   markdown        the war-room HumanReadable, exactly
 *   entries         the entries exactly as XSOAR stores them (what `--output json` used to be)
 *   context         the EntryContext of every entry, merged as the server merges it
 * Error entries go to stderr in every format but `entries`; stdout holds only the output asked for.
 * The exit code says how it went: 0 done, 1 an error, 3 the object does not exist.
 */
import { UsageError } from '../base/errors.js';
import { EntryType, entryText, isErrorEntry, type Entry } from '../command/entries.js';
import { mergeEntryContext } from '../command/incident-context.js';
import { commandData, nextPage, type CommandRun } from '../runtime/command-run.js';
import { dataWriter, type DataFormat, type DataWriter } from './data-writer.js';
import type { CliIo } from './io.js';

export const OUTPUT_FORMATS = [
  'text',
  'json',
  'ndjson',
  'csv',
  'markdown',
  'entries',
  'context',
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const DATA_FORMATS: readonly string[] = ['json', 'ndjson', 'csv'] satisfies DataFormat[];
export const isDataFormat = (format: OutputFormat): format is DataFormat =>
  DATA_FORMATS.includes(format);

export interface OutputChoice {
  format: OutputFormat;
  /** A compiled JMESPath expression over the data (`--query`). */
  query?: (data: unknown) => unknown;
}

export const EXIT = { ok: 0, error: 1, usage: 2, notFound: 3 } as const;

/** 1 when any target failed, else 3 when any target's object does not exist, else 0. */
export function exitCode(run: CommandRun): number {
  const statuses = run.results.map((result) => result.status);
  if (statuses.includes('error') || (statuses.length === 0 && run.entries.some(isErrorEntry))) {
    return EXIT.error;
  }
  return statuses.includes('not-found') ? EXIT.notFound : EXIT.ok;
}

/**
 * `--output` and `--query` checked before anything runs: the format must be known, and the query
 * must compile (JMESPath, loaded only when a query is given) and needs data to work on.
 */
export async function outputChoice(
  output: string | undefined,
  query: string | undefined,
): Promise<OutputChoice> {
  const format = (output ?? (query !== undefined ? 'json' : 'text')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(
      `--output must be one of: ${OUTPUT_FORMATS.join(', ')} (got ${JSON.stringify(output)}).`,
    );
  }
  if (query === undefined) return { format };
  if (!isDataFormat(format)) {
    throw new UsageError(`--query works on the data: use it with --output json, ndjson or csv.`);
  }
  const { compile, TreeInterpreter } = await import('@jmespath-community/jmespath');
  let ast: ReturnType<typeof compile>;
  try {
    ast = compile(query);
  } catch (err) {
    throw new UsageError(
      `--query ${JSON.stringify(query)} is not a JMESPath expression: ${(err as Error).message}`,
    );
  }
  return {
    format,
    query: (data) =>
      TreeInterpreter.search(ast, data as Parameters<typeof TreeInterpreter.search>[1]),
  };
}

/** A value safe to paste into a POSIX shell as one word. */
export const shellQuote = (value: string): string =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/** The command that fetches the next page, ready to paste. */
export const nextPageHint = (command: string, link: string): string =>
  `More results: msgraph-user ${command} next_page=${shellQuote(link)}`;

function writeErrors(entries: Entry[], io: CliIo): void {
  for (const entry of entries) if (isErrorEntry(entry)) io.stderr.write(`${entryText(entry)}\n`);
}

/** Where a run's file went, for people. */
function fileLine(entry: Entry, run: CommandRun): string {
  const saved = run.results
    .flatMap((result) => result.files ?? [])
    .find((file) => file.fileId === entry.FileID);
  return `File ${entry.File ?? ''} saved to ${saved?.path ?? '(unknown)'}`;
}

/** The XSOAR paging note ("To get further results, enter this to the next_page parameter:"). */
const withoutPagingNote = (text: string, link: string): string =>
  text.replace(`To get further results, enter this to the next_page parameter:\n${link}\n`, '');

async function writeText(run: CommandRun, prefix: string, io: CliIo): Promise<void> {
  const { markdownText } = await import('./terminal-text.js');
  const style = {
    width: io.stdout.columns || Number(io.env.COLUMNS) || 100,
    color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR,
  };
  const link = nextPage(run, prefix);
  const blocks: string[] = [];
  for (const entry of run.entries) {
    if (isErrorEntry(entry)) continue;
    if (entry.Type === EntryType.FILE) blocks.push(fileLine(entry, run));
    else {
      const text = entryText(entry);
      blocks.push(markdownText(link ? withoutPagingNote(text, link) : text, style));
    }
  }
  if (link) blocks.push(nextPageHint(run.command, link));
  const printed = blocks.filter(Boolean).join('\n\n');
  if (printed) io.stdout.write(`${printed}\n`);
  writeErrors(run.entries, io);
}

/** A writer for the data formats, opened before the run so a listing can stream into it. */
export function openData(choice: OutputChoice, io: CliIo): Promise<DataWriter> | undefined {
  return isDataFormat(choice.format) ? dataWriter(choice.format, io.stdout) : undefined;
}

async function writeData(
  run: CommandRun,
  prefix: string,
  choice: OutputChoice,
  writer: DataWriter,
  io: CliIo,
): Promise<void> {
  if (run.streamed !== undefined) await writer.end();
  else {
    const data = commandData(run, prefix);
    const selected = choice.query ? choice.query(data) : data;
    if (!Array.isArray(selected) && choice.format === 'json') {
      // A query may select one value: printed as itself, not as a list of one.
      io.stdout.write(`${JSON.stringify(selected, null, 2)}\n`);
    } else {
      await writer.write(Array.isArray(selected) ? selected : [selected]);
      await writer.end();
    }
  }
  const link = nextPage(run, prefix);
  if (link) io.stderr.write(`${nextPageHint(run.command, link)}\n`);
  writeErrors(run.entries, io);
}

export async function writeRun(
  run: CommandRun,
  prefix: string,
  choice: OutputChoice,
  io: CliIo,
  writer?: DataWriter,
): Promise<void> {
  const { entries } = run;
  switch (choice.format) {
    case 'text':
      return writeText(run, prefix, io);
    case 'entries':
      io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      return;
    case 'markdown':
      for (const entry of entries) {
        if (!isErrorEntry(entry)) io.stdout.write(`${entryText(entry).replace(/\n?$/, '\n')}`);
      }
      break;
    case 'context': {
      const context = entries.reduce(
        (merged, entry) => mergeEntryContext(merged, entry.EntryContext),
        {} as Record<string, unknown>,
      );
      io.stdout.write(`${JSON.stringify(context, null, 2)}\n`);
      break;
    }
    default:
      return writeData(run, prefix, choice, writer ?? (await openData(choice, io))!, io);
  }
  writeErrors(entries, io);
}
