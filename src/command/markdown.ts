/**
 * War-room markdown tables, byte-identical to CommonServerPython's `tableToMarkdown` (see
 * ../shared/reference/anchor-xsoar-runtime.md §2.6), including its quirks: headers come from the
 * first row only, a single-key dict becomes a one-column table, list cells join with `,<br>`.
 */
import { pyJsonDumps, pyStr } from './python-format.js';

export interface TableOptions {
  /** Column order; a single string is one column. Without it, the first row's keys, sorted. */
  headers?: string[] | string;
  /** Replaces the default header escaping; its output is not escaped. */
  headerTransform?: (header: string) => string;
  /** Drop columns whose value is '', null, [] or {} in every row. */
  removeNull?: boolean;
  /** A line printed under the title. */
  metadata?: string;
  /** Keys whose values become `[url](url)` links, at any depth. */
  urlKeys?: string[];
  /** Keys holding epoch milliseconds, printed as local `YYYY-MM-DD HH:MM:SS`. */
  dateFields?: string[];
  /** When false, headers keep the first row's key order. */
  sortHeaders?: boolean;
}

type Row = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isEmptyCell = (value: unknown): boolean =>
  value === '' ||
  value === null ||
  value === undefined ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0);

/** Python truthiness of the table argument: None, '', [] and {} print "No entries". */
const isFalsyTable = (value: unknown): boolean => isEmptyCell(value) || value === false;

export function stringEscapeMD(text: string, minimal = false, multiline = false): string {
  let out = text;
  if (multiline) out = out.replace(/\r\n/g, '<br>').replace(/\r/g, '<br>').replace(/\n/g, '<br>');
  if (minimal) return out.replace(/[|`]/g, (c) => '\\' + c);
  return out.replace(/[\\`*_{}[\]()#+\-!|]/g, (c) => '\\' + c);
}

/** `flattenCell(value, is_pretty=False)`. */
function flattenCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(pyStr).join(',\n');
  return pyJsonDumps(value);
}

/** `formatCell(value, is_pretty=False)` with the default (non-nested) JSON transformer. */
export function formatCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isPlainObject(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${flattenCell(v)}`)
      .join('\n');
  }
  return flattenCell(value);
}

function linkUrls(value: unknown, urlKeys: string[]): unknown {
  // create_clickable_url: a falsy url becomes None, a list becomes a list of links.
  const link = (v: unknown): unknown => {
    if (isFalsyTable(v)) return null;
    if (Array.isArray(v)) return v.map((item) => `[${pyStr(item)}](${pyStr(item)})`);
    return `[${pyStr(v)}](${pyStr(v)})`;
  };
  if (Array.isArray(value)) return value.map((item) => linkUrls(item, urlKeys));
  if (!isPlainObject(value)) return value;
  const out: Row = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = urlKeys.includes(k) ? link(v) : linkUrls(v, urlKeys);
  }
  return out;
}

function formatEpochMillis(value: unknown): unknown {
  const millis = Number.parseInt(String(value), 10);
  if (!Number.isFinite(millis)) return value;
  const d = new Date(millis);
  if (Number.isNaN(d.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Renders `table` (a row, a list of rows, or a list of scalars with one header) as markdown. */
export function tableToMarkdown(name: string, table: unknown, options: TableOptions = {}): string {
  let data = options.urlKeys ? linkUrls(table, options.urlKeys) : table;
  let md = name ? `### ${name}\n` : '';
  if (options.metadata) md += `${options.metadata}\n`;
  if (isFalsyTable(data)) return md + '**No entries.**\n';

  let headers = typeof options.headers === 'string' ? [options.headers] : options.headers;
  if (!headers?.length && isPlainObject(data) && Object.keys(data).length === 1) {
    const [onlyKey] = Object.keys(data) as [string];
    headers = [onlyKey];
    data = data[onlyKey];
  }
  let rows: unknown[] = Array.isArray(data) ? data : [data];
  if (!isPlainObject(rows[0])) {
    const [column] = headers ?? [];
    if (column === undefined) {
      throw new Error(
        "Missing headers param for tableToMarkdown. Example: headers=['Some Header']",
      );
    }
    rows = rows.map((item) => ({ [column]: item }));
  }
  const objects = rows as Row[];
  if (!headers?.length) {
    headers = Object.keys(objects[0] ?? {});
    if (options.sortHeaders !== false) headers = [...headers].sort();
  }
  if (options.removeNull) {
    headers = headers.filter((h) => !objects.every((row) => isEmptyCell(row?.[h])));
  }
  if (headers.length === 0) return md + '**No entries.**\n';

  const transform = options.headerTransform ?? ((h: string) => stringEscapeMD(h, true, true));
  // Lines are joined once at the end: a table of 100,000 users is built without 100,000 copies.
  const lines = [
    md + '|' + headers.map(transform).join('|') + '|',
    '|' + headers.map(() => '---').join('|') + '|',
  ];
  for (const row of objects) {
    let entry: Row = isPlainObject(row) ? row : {};
    if (options.dateFields?.length) {
      entry = { ...entry };
      for (const field of options.dateFields) {
        if (field in entry) entry[field] = formatEpochMillis(entry[field]);
      }
    }
    const cells = headers.map((h) => {
      const value = entry[h];
      return stringEscapeMD(
        value === null || value === undefined ? '' : formatCell(value),
        true,
        true,
      );
    });
    lines.push('| ' + cells.join(' | ') + ' |');
  }
  return lines.join('\n') + '\n';
}
