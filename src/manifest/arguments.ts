/**
 * Argument validation compiled from the manifest. Each command's arguments become one JSON Schema
 * (ajv checks required, predefined values, types, bounds, lengths and unknown names); before it,
 * values are normalised the way XSOAR's helpers read them: empty means absent, isArray and x-bulk
 * values go through argToList, `yes`/`no` are booleans, numeric text is a number.
 */
import type { ErrorObject } from 'ajv';
import type { ManifestArgument, ManifestCommand } from './types.js';

export type ArgValue = string | number | boolean | string[] | number[] | boolean[];
export type Args = Record<string, ArgValue>;

/** Bump when the generated schemas change shape, so prebuilt validators are not reused. */
export const ARGUMENT_SCHEMA_VERSION = 1;

/** Longest accepted text value: generous for a 2,000-character id, bounded for everything else. */
export const MAX_TEXT_LENGTH = 8192;
/** Most values a bulk argument accepts in one command run. */
export const MAX_BULK_VALUES = 1000;

// Control characters other than tab and newlines never belong in an argument.
const NO_CONTROL_CHARS = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

type JsonSchema = Record<string, unknown>;

const isNumeric = (arg: ManifestArgument) => arg.type === 'number' || arg.type === 'integer';

function valueSchema(arg: ManifestArgument): JsonSchema {
  if (arg.type === 'boolean') return { type: 'boolean' };
  if (isNumeric(arg)) {
    const schema: JsonSchema = { type: arg.type };
    if (arg['x-minimum'] !== undefined) schema.minimum = arg['x-minimum'];
    if (arg['x-maximum'] !== undefined) schema.maximum = arg['x-maximum'];
    return schema;
  }
  const schema: JsonSchema = {
    type: 'string',
    maxLength: MAX_TEXT_LENGTH,
    pattern: NO_CONTROL_CHARS,
    // URL parsers collapse dot segments before sending, so no request could name that object.
    not: { enum: ['.', '..'] },
  };
  if (arg.predefined) schema.enum = arg.predefined;
  return schema;
}

function typedDefault(arg: ManifestArgument): unknown {
  const raw = arg.defaultValue;
  if (raw === undefined) return undefined;
  const one = (text: string): unknown => {
    if (arg.type === 'boolean') {
      return text.toLowerCase() === 'true' || text.toLowerCase() === 'yes';
    }
    if (isNumeric(arg)) return Number(text);
    return text;
  };
  if (arg.isArray) return argToList(raw).map((v) => one(String(v)));
  return one(String(raw));
}

function argumentSchema(arg: ManifestArgument): JsonSchema {
  let schema = valueSchema(arg);
  if (arg.isArray) schema = { type: 'array', items: schema };
  if (arg['x-bulk']) {
    schema = { type: 'array', items: schema, minItems: 1, maxItems: MAX_BULK_VALUES };
  }
  const fallback = typedDefault(arg);
  if (fallback !== undefined) schema.default = arg['x-bulk'] ? [fallback] : fallback;
  return schema;
}

/** The JSON Schema that validates one command's (normalised) arguments. */
export function argumentsSchema(command: ManifestCommand): JsonSchema {
  const args = command.arguments ?? [];
  return {
    $id: `args:${command.name}`,
    type: 'object',
    additionalProperties: false,
    required: args.filter((a) => a.required && a.defaultValue === undefined).map((a) => a.name),
    properties: Object.fromEntries(args.map((a) => [a.name, argumentSchema(a)])),
  };
}

/** XSOAR's argToList: lists pass through, `[...]` text is parsed as JSON, other text is split. */
export function argToList(value: unknown, separator = ','): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        // not JSON: split it like any other text
      }
    }
    return text
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  return [value];
}

function normaliseScalar(arg: ManifestArgument | undefined, value: unknown): unknown {
  if (!arg) return value;
  if (arg.type === 'boolean' && typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === 'yes') return true;
    if (word === 'false' || word === 'no') return false;
  }
  if (isNumeric(arg) && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return value;
}

/** Normalises raw values (strings from a CLI, anything from a playbook) before validation. */
export function normaliseArguments(
  command: ManifestCommand,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const byName = new Map((command.arguments ?? []).map((a) => [a.name, a]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    const arg = byName.get(name);
    if (arg && (arg.isArray || arg['x-bulk'])) {
      const list = argToList(value).map((v) => normaliseScalar(arg, v));
      if (list.length > 0) out[name] = list;
    } else if (Array.isArray(value) && value.length === 1) {
      // A one-element list from a playbook is the value itself.
      out[name] = normaliseScalar(arg, value[0]);
    } else {
      out[name] = normaliseScalar(arg, value);
    }
  }
  return out;
}

function shown(arg: ManifestArgument | undefined, value: unknown): string {
  if (arg?.secret) return '';
  const text = JSON.stringify(value) ?? String(value);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknownArgument(command: ManifestCommand, name: string): string {
  const names = (command.arguments ?? []).filter((a) => !a.hidden).map((a) => a.name);
  const shownName = JSON.stringify(name);
  if (names.length === 0) {
    return `unknown argument ${shownName} (${command.name} takes no arguments)`;
  }
  const near = names.find((n) => editDistance(n, name) <= Math.max(1, Math.floor(n.length / 4)));
  const hint = near ? ` Did you mean "${near}"?` : '';
  return `unknown argument ${shownName}.${hint} Valid arguments: ${names.join(', ')}`;
}

function describe(
  command: ManifestCommand,
  error: ErrorObject,
  data: Record<string, unknown>,
): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return unknownArgument(command, String(params.additionalProperty));
  }
  if (error.keyword === 'required') {
    return `missing required argument "${String(params.missingProperty)}"`;
  }
  const [name, index] = error.instancePath.split('/').slice(1);
  const arg = (command.arguments ?? []).find((a) => a.name === name);
  const value =
    index === undefined ? data[name ?? ''] : (data[name ?? ''] as unknown[])[Number(index)];
  const label = `argument "${name}"`;
  switch (error.keyword) {
    case 'enum':
      return `${label} must be one of: ${(params.allowedValues as string[]).join(', ')}${shown(arg, value)}`;
    case 'type':
      if (params.type === 'boolean') return `${label} must be true or false${shown(arg, value)}`;
      if (params.type === 'integer') return `${label} must be a whole number${shown(arg, value)}`;
      if (params.type === 'number') return `${label} must be a number${shown(arg, value)}`;
      if (params.type === 'array') return `${label} must be a list of values${shown(arg, value)}`;
      return `${label} takes a single text value${shown(arg, value)}`;
    case 'minimum':
    case 'maximum': {
      const min = arg?.['x-minimum'];
      const max = arg?.['x-maximum'];
      const range =
        min !== undefined && max !== undefined
          ? `between ${min} and ${max}`
          : `${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
      return `${label} must be ${range}${shown(arg, value)}`;
    }
    case 'maxLength':
      return `${label} is too long (${String(value).length} characters; the limit is ${String(params.limit)})`;
    case 'pattern':
      return `${label} contains control characters, which are not allowed`;
    case 'not':
      return `${label} cannot be "." or ".." (give the object ID, a GUID, or the user principal name)`;
    case 'maxItems':
      return `${label} takes at most ${String(params.limit)} values (got ${(value as unknown[]).length})`;
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}

/** One line naming every problem with a command's arguments. */
export function describeArgumentErrors(
  command: ManifestCommand,
  errors: ErrorObject[],
  data: Record<string, unknown>,
): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const error of errors) {
    const message = describe(command, error, data);
    if (!seen.has(message)) messages.push(message);
    seen.add(message);
  }
  return `Invalid arguments for ${command.name}: ${messages.join('; ')}.`;
}
