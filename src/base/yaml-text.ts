/**
 * YAML parsing for user files (params files, playbooks), in its own module so callers can load it
 * on demand. (A dynamic import of the CommonJS `yaml` package itself loses its named exports in
 * the bundle.)
 *
 * Errors say where, never what: an unquoted value that starts with `*` (an alias) or `!` (a tag)
 * may be a password, and the YAML library quotes it in its message (or, for a tag, prints it
 * with its source line as a process warning and reads the value as empty).
 */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';

const HINT = 'quote values that start with * or !';

function at(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `line ${line}, column ${col}`;
}

/** The position of the first alias whose anchor does not exist, if any. */
function unresolvedAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (offset === undefined && !node.resolve(doc)) offset = node.range?.[0] ?? 0;
    },
  });
  return offset;
}

export function parseYaml(text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, logLevel: 'error', lineCounter: lines });
  // An unknown tag is a warning (`!x`) or an error (`!a!b`); both messages quote it.
  const tag = [...doc.errors, ...doc.warnings].find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tag) throw new Error(`unknown tag at ${at(lines, tag.pos[0])} (${HINT})`);
  const [error] = doc.errors;
  // The library's other messages describe the syntax, not the text ("Map keys must be unique").
  if (error) throw new Error(error.message.split('\n')[0]!.replace(/:$/, ''));
  const alias = unresolvedAlias(doc);
  if (alias !== undefined) {
    throw new Error(`an alias (*name) without its anchor at ${at(lines, alias)} (${HINT})`);
  }
  return doc.toJS();
}
