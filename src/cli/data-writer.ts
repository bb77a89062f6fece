/**
 * The command's data on stdout as `json` (one array, laid out as JSON.stringify(data, null, 2)
 * would), `ndjson` (one object a line) or `csv` (a header, then a row per object), written batch
 * by batch: a long listing is written page by page, each write whole lines, waiting for the
 * terminal or pipe to drain, so memory stays flat and an interrupted run leaves whole lines.
 */
import type { Writable } from './io.js';

export type DataFormat = 'json' | 'ndjson' | 'csv';

export interface DataWriter {
  /** Writes a batch; resolves `false` when the output is gone and more would be wasted. */
  write(items: unknown[]): Promise<boolean>;
  end(): Promise<void>;
}

/**
 * Writes `text`, resolving once the stream can take more (backpressure): `true`, or `false` when
 * the stream is broken (the reader went away), so that nothing more is fetched for it.
 */
export async function writeAndDrain(stream: Writable, text: string): Promise<boolean> {
  const ready = stream.write(text);
  if (ready === false && stream.once) {
    await new Promise<void>((resolve) => stream.once!('drain', () => resolve()));
  }
  return stream.closed !== true;
}

/**
 * One array over every batch, byte for byte what JSON.stringify(all, null, 2) prints: a batch
 * laid out as a whole array is the items indented by two spaces and joined by ",\n" between
 * "[\n" and "\n]", so its inside is exactly that stretch of the whole document. (One call per
 * batch, not one per item: a tenant's 100,000 users cost a fifth of the time.)
 */
function jsonWriter(out: Writable): DataWriter {
  let written = 0;
  return {
    async write(items) {
      if (items.length === 0) return out.closed !== true;
      const inside = JSON.stringify(items, null, 2).slice('[\n'.length, -'\n]'.length);
      const open = await writeAndDrain(out, `${written === 0 ? '[\n' : ',\n'}${inside}`);
      written += items.length;
      return open;
    },
    async end() {
      await writeAndDrain(out, written === 0 ? '[]\n' : '\n]\n');
    },
  };
}

function ndjsonWriter(out: Writable): DataWriter {
  return {
    async write(items) {
      if (items.length === 0) return out.closed !== true;
      let lines = '';
      // As in an array, a value JSON has no text for (undefined) is written as null.
      for (const item of items) lines += `${JSON.stringify(item) ?? 'null'}\n`;
      return writeAndDrain(out, lines);
    },
    async end() {},
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A cell: text as is, nothing for null, JSON for lists and objects. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * CSV: the columns are the keys of the first batch, in order of appearance (a streamed listing's
 * first page; keys that appear only later are left out). Items that are not objects go in a
 * `value` column.
 */
async function csvWriter(out: Writable): Promise<DataWriter> {
  const { stringify } = await import('csv-stringify/sync');
  let columns: string[] | undefined;
  return {
    async write(items) {
      if (items.length === 0) return out.closed !== true;
      const records = items.map((item) => (isRecord(item) ? item : { value: item }));
      const header = columns === undefined;
      columns ??= [...new Set(records.flatMap((record) => Object.keys(record)))];
      const rows = records.map((record) => columns!.map((column) => csvCell(record[column])));
      return writeAndDrain(out, stringify(rows, { header, columns }));
    },
    async end() {},
  };
}

export async function dataWriter(format: DataFormat, out: Writable): Promise<DataWriter> {
  if (format === 'json') return jsonWriter(out);
  if (format === 'ndjson') return ndjsonWriter(out);
  return csvWriter(out);
}
