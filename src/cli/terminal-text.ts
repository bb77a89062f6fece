/**
 * War-room markdown for people at a terminal (the CLI's default `text` output and `npm start`):
 * headings as titles, a one-row table as a card of aligned "Field  value" lines, several rows as
 * aligned columns that fit the width, cells without HTML (`<br>` becomes a line break) and without
 * Python reprs (dicts and lists become fields), long values wrapped in cards and cut with "…" in
 * columns. Colour (bold titles and labels) only when asked for: the caller decides (a TTY, and no
 * NO_COLOR).
 */
import stringWidth from 'string-width';
import { parseLiteral, type Literal } from './python-literal.js';

export interface TextStyle {
  /** Columns available. */
  width: number;
  color: boolean;
}

/** Printable ASCII is one column a character: most cells, measured without string-width. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const width = (text: string): number =>
  PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);

const bold = (text: string, style: TextStyle) => (style.color ? `\x1b[1m${text}\x1b[22m` : text);
const MIN_COLUMN = 6;

/** stringEscapeMD's backslashes off, and links as their text. */
function unescape(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_m, label: string, url: string) =>
      label === url ? label : `${label} (${url})`,
    )
    .replace(/\\([\\`*_{}[\]()#+\-!|])/g, '$1');
}

/** A literal as "key: value" lines (nulls dropped), or a list's items one a line. */
function literalLines(value: Literal, indent = ''): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => literalLines(item, indent));
  if (typeof value !== 'object') return [`${indent}${String(value)}`];
  return Object.entries(value).flatMap(([key, item]) => {
    if (item === null || (Array.isArray(item) && item.length === 0)) return [];
    if (typeof item === 'object') return [`${indent}${key}:`, ...literalLines(item, `${indent}  `)];
    return [`${indent}${key}: ${String(item)}`];
  });
}

/** A table cell as lines: `<br>` splits, literals become fields, `key: null` lines go. */
export function cellLines(cell: string): string[] {
  return unescape(cell.trim())
    .split(/<br\s*\/?>/i)
    .flatMap((part) => {
      const literal = parseLiteral(part);
      return literal === undefined ? [part.trim()] : literalLines(literal);
    })
    .filter((line) => line !== '' && !/^[\w@.$-]+: (?:null|None)$/.test(line));
}

/** Splits a table row on its unescaped pipes. */
function rowCells(line: string): string[] {
  const inner = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/);
}

/** `text` cut to `columns`, with "…" when cut. */
export function truncate(text: string, columns: number): string {
  if (width(text) <= columns) return text;
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, Math.max(0, columns - 1))}…`;
  let out = '';
  let used = 0;
  for (const char of text) {
    const next = stringWidth(char);
    if (used + next > columns - 1) break;
    out += char;
    used += next;
  }
  return `${out}…`;
}

/** `text` wrapped to `columns`, at spaces where it can, anywhere when it must. */
export function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (width(line + word.trimEnd()) <= columns) {
      line += word;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
    let rest = word;
    while (width(rest.trimEnd()) > columns) {
      const cut = truncate(rest, columns + 1).slice(0, -1);
      lines.push(cut);
      rest = rest.slice(cut.length);
    }
    line = rest;
  }
  if (line.trim() || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

const pad = (text: string, columns: number) =>
  text + ' '.repeat(Math.max(0, columns - width(text)));

/** `text` in exactly `columns`: padded, or cut with "…" (padded after a wide character). */
function fit(text: string, columns: number): string {
  const measured = width(text);
  if (measured <= columns) return text + ' '.repeat(columns - measured);
  return PRINTABLE_ASCII.test(text)
    ? truncate(text, columns)
    : pad(truncate(text, columns), columns);
}

/** One record: "Field  value" lines, values wrapped under themselves. */
function card(headers: string[], row: string[][], style: TextStyle): string[] {
  const fields = headers
    .map((header, i) => [header, row[i] ?? []] as const)
    .filter(([, lines]) => lines.length > 0);
  const labelWidth = Math.min(
    Math.max(0, ...fields.map(([header]) => width(header))),
    Math.floor(style.width * 0.4),
  );
  const valueWidth = Math.max(MIN_COLUMN, style.width - labelWidth - 2);
  return fields.flatMap(([header, lines]) => {
    const wrapped = lines.flatMap((line) => wrap(line, valueWidth));
    const label = bold(pad(truncate(header, labelWidth), labelWidth), style);
    const blank = ' '.repeat(labelWidth);
    return wrapped.map((line, i) => `${i === 0 ? label : blank}  ${line}`);
  });
}

/** Column widths that fit `width`: the widest columns give up space first. */
function fitColumns(natural: number[], width: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  while (total() > width) {
    const widest = Math.max(...widths);
    if (widest <= MIN_COLUMN) break;
    widths[widths.indexOf(widest)] = widest - 1;
  }
  return widths;
}

/** Several records: aligned columns, one line each, cells cut to fit. */
function columns(headers: string[], flat: string[][], style: TextStyle): string[] {
  const natural = headers.map((h, i) =>
    flat.reduce((widest, cells) => Math.max(widest, width(cells[i] ?? '')), width(h)),
  );
  const widths = fitColumns(natural, style.width);
  const line = (cells: string[], emphasis = false) =>
    cells
      .map((cell, i) => {
        const text = fit(cell, widths[i]!);
        return emphasis ? bold(text, style) : text;
      })
      .join('  ')
      .trimEnd();
  return [line(headers, true), ...flat.map((cells) => line(cells))];
}

function table(lines: string[], style: TextStyle): string[] {
  const [headerLine, , ...body] = lines;
  if (headerLine === undefined || body.length === 0) return [];
  const headers = rowCells(headerLine).map((h) => unescape(h.trim()));
  if (body.length === 1) return card(headers, rowCells(body[0]!).map(cellLines), style);
  const cellText = (cell: string | undefined) =>
    cell === undefined ? '' : cellLines(cell).join(', ');
  const rows = body.map((line) => {
    const cells = rowCells(line);
    return headers.map((_h, i) => cellText(cells[i]));
  });
  return columns(headers, rows, style);
}

/**
 * A line outside tables, left whole (it may be a link or a command to copy), except that a
 * literal it ends with ("Microsoft Graph Response: {'error': ...}") becomes indented fields.
 */
function plainLines(text: string): string[] {
  const match = /^(.*?:)\s*([[{].*)$/.exec(text);
  const literal = match ? parseLiteral(match[2]!) : undefined;
  if (!match || literal === undefined) return [text];
  return [match[1]!, ...literalLines(literal, '  ')];
}

/** War-room markdown as terminal text. */
export function markdownText(markdown: string, style: TextStyle): string {
  const out: string[] = [];
  let tableLines: string[] = [];
  const flush = () => {
    if (tableLines.length > 0) out.push(...table(tableLines, style));
    tableLines = [];
  };
  for (const raw of markdown.split('\n')) {
    if (raw.trim().startsWith('|')) {
      tableLines.push(raw);
      continue;
    }
    flush();
    const heading = /^#+\s*(.*)$/.exec(raw);
    const text = unescape(raw.replace(/\*\*(.*?)\*\*/g, '$1')).trimEnd();
    if (heading) out.push(bold(unescape(heading[1]!.replace(/\*\*/g, '')), style));
    else out.push(...plainLines(text));
  }
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
