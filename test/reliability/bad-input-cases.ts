/**
 * The bad-argument corpus, generated from the manifest: for every command, each required
 * argument missing, an unknown argument, wrong predefined and boolean values, non-numeric,
 * out-of-bounds and fractional numbers, 1 MB values and control characters; and for every id
 * argument the odd values users (or attackers) type. Only the valid values below are ours: the
 * rest (names, types, bounds, which arguments exist) is read from integration.yml.
 */
import type { ManifestArgument, ManifestCommand } from '../../src/manifest/types.js';
import type { BugId } from './known-bugs.js';

export interface ArgumentCase {
  title: string;
  command: string;
  args: Record<string, string>;
  /** The argument the error must name (in quotes). */
  names: string;
  /** What the one line must say is valid. */
  says: RegExp;
  bug?: BugId;
}

/** Values accepted by the handlers' own parsing, for arguments that need a particular shape. */
const VALID_TEXT: Record<string, string> = {
  updated_fields: 'jobTitle=Analyst',
  other_properties: 'jobTitle=Analyst',
  start_time: 'now',
  user_principal_name: 'new.user@contoso.com',
  user_mail: 'adele@contoso.com',
};

/**
 * Arguments whose value identifies an object, and where it goes: one Graph path segment (or a
 * Graph URL's segment, for the manager reference), or the MFA request's XML user name. The cases
 * check this table against where each value really lands.
 */
export const ID_ARGUMENTS: Record<string, 'path' | 'xml'> = {
  user: 'path',
  user_id: 'path',
  manager: 'path',
  method_id: 'path',
  policy_id: 'path',
  user_mail: 'xml',
};
/** Arguments whose value becomes one query parameter's value. */
export const QUERY_ARGUMENTS = ['properties', 'filter'];

/** The id values of the brief, and one that needs the users('$x') key form with '' escaping. */
export const ID_VALUES: [label: string, value: string][] = [
  ['../', '../'],
  ['%2e%2e', '%2e%2e'],
  ['.', '.'],
  ['..', '..'],
  ['?x', '?x'],
  ['#x', '#x'],
  ["'", "'"],
  ["x' or 1 eq 1 or '", "x' or 1 eq 1 or '"],
  ['unicode', 'józef.müller-用户@contoso.com'],
  ['a 2,000-character id', `${'a'.repeat(1990)}@contoso.x`],
  ["$x'y (key form)", "$x'y@contoso.com"],
  ['<b>&amp;', '<b a="1">&amp;'],
];

export const MEGABYTE = 'x'.repeat(1024 * 1024);
const CONTROL_VALUES = ['nul\u0000byte', 'esc\u001b[2Jclear', 'bell\u0007', 'del\u007f'];

const isNumeric = (arg: ManifestArgument) => arg.type === 'integer' || arg.type === 'number';
const isBoolean = (arg: ManifestArgument) => arg.type === 'boolean';
const isText = (arg: ManifestArgument) => !isNumeric(arg) && !isBoolean(arg);

/** A value every check (the manifest's and the handler's own parsing) accepts. */
export function validValue(arg: ManifestArgument): string {
  if (isBoolean(arg)) return 'true';
  if (isNumeric(arg)) return String(arg['x-minimum'] ?? 1);
  if (arg.predefined?.length) return arg.predefined[0]!;
  if (arg.secret) return 'Rel-Passw0rd!valid';
  return VALID_TEXT[arg.name] ?? `${arg.name.replace(/_/g, '-')}-value`;
}

/** The command's required arguments (those without a default), each with a valid value. */
export function requiredArgs(command: ManifestCommand): Record<string, string> {
  const args: Record<string, string> = {};
  for (const arg of command.arguments ?? []) {
    if (arg.required && arg.defaultValue === undefined) args[arg.name] = validValue(arg);
  }
  return args;
}

/**
 * Arguments that make the command reach the network: the required ones, and the optional
 * credentials some commands need to act at all (request-mfa's access_token, a password).
 */
export function requestArgs(command: ManifestCommand): Record<string, string> {
  const args = requiredArgs(command);
  for (const arg of command.arguments ?? []) {
    if (arg.secret && !(arg.name in args)) args[arg.name] = validValue(arg);
  }
  return args;
}

const quoted = (name: string) => `"${name}"`;
const shortValue = (v: string) => (v.length > 24 ? `${v.slice(0, 12)}… (${v.length} chars)` : v);

function missingCases(command: ManifestCommand): ArgumentCase[] {
  return Object.keys(requiredArgs(command)).map((name) => {
    const args = requiredArgs(command);
    delete args[name];
    return {
      title: `without required argument ${name}`,
      command: command.name,
      args,
      names: name,
      says: new RegExp(`missing required argument ${quoted(name)}`),
    };
  });
}

function unknownArgumentCase(command: ManifestCommand): ArgumentCase {
  return {
    title: 'with an unknown argument',
    command: command.name,
    args: { ...requiredArgs(command), bogus_argument: '1' },
    names: 'bogus_argument',
    says: /unknown argument "bogus_argument"(\. Valid arguments: \w| \(.* takes no arguments\))/,
  };
}

/** Cases that give one argument a wrong value, the other required ones valid. */
function valueCases(command: ManifestCommand, arg: ManifestArgument): ArgumentCase[] {
  const cases: ArgumentCase[] = [];
  const add = (label: string, value: string, says: RegExp, bug?: BugId) =>
    cases.push({
      title: `with ${arg.name}=${label}`,
      command: command.name,
      args: { ...requiredArgs(command), [arg.name]: value },
      names: arg.name,
      says,
      ...(bug ? { bug } : {}),
    });
  const typeError = isBoolean(arg)
    ? /must be true or false/
    : isNumeric(arg)
      ? /must be a (whole )?number/
      : undefined;
  if (arg.predefined?.length) {
    add('a value not predefined', 'sometimes', /must be (one of: |true or false)/);
  }
  if (isBoolean(arg)) add('maybe', 'maybe', /must be true or false/);
  if (isNumeric(arg)) {
    const min = arg['x-minimum'];
    const max = arg['x-maximum'];
    const bounds = /must be (between -?\d+ and -?\d+|at least -?\d+|at most -?\d+)/;
    add('ten (not numeric)', 'ten', /must be a (whole )?number/);
    if (min !== undefined) add(`${min - 1} (below the minimum)`, String(min - 1), bounds);
    if (max !== undefined) add(`${max + 1} (above the maximum)`, String(max + 1), bounds);
    if (arg.type === 'integer') add('a fraction', `${min ?? 1}.5`, /must be a whole number/);
  }
  add(
    'a 1 MB value',
    MEGABYTE,
    typeError ?? /is too long \(1048576 characters; the limit is 8192\)/,
    undefined,
  );
  if (isText(arg)) {
    const index = (command.arguments ?? []).indexOf(arg);
    const control = CONTROL_VALUES[index % CONTROL_VALUES.length]!;
    add(`${JSON.stringify(control)} (control characters)`, control, /contains control characters/);
  }
  return cases;
}

/** Every generated bad-argument case of one command. */
export function argumentCases(command: ManifestCommand): ArgumentCase[] {
  return [
    ...missingCases(command),
    unknownArgumentCase(command),
    ...(command.arguments ?? []).flatMap((arg) => valueCases(command, arg)),
  ];
}

export interface IdCase {
  title: string;
  command: string;
  arg: string;
  value: string;
  /** Refused before any request: a dot segment that URL parsers would collapse. */
  dotSegment: boolean;
}

/** For every id argument of the command, one case per odd value. */
export function idCases(command: ManifestCommand): IdCase[] {
  return (command.arguments ?? [])
    .filter((arg) => arg.name in ID_ARGUMENTS)
    .flatMap((arg) =>
      ID_VALUES.map(([label, value]) => ({
        title: `${arg.name}=${shortValue(label)}`,
        command: command.name,
        arg: arg.name,
        value,
        dotSegment: ID_ARGUMENTS[arg.name] === 'path' && (value === '.' || value === '..'),
      })),
    );
}

/** The text a value must become in a Graph path: one encoded segment, or the users('$x') key. */
export function pathForm(value: string): { segment: string; keyForm: boolean } {
  if (value.startsWith('$')) {
    const literal = encodeURIComponent(value.replace(/'/g, "''")).replace(/^%24/, '$');
    return { segment: `('${literal}')`, keyForm: true };
  }
  return { segment: encodeURIComponent(value), keyForm: false };
}

/** XML character data as text (the five named entities and numeric references). */
export function unescapeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return named[name] ?? entity;
  });
}
