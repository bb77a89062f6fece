/**
 * `key=value` pairs (msgraph-user-update's updated_fields, msgraph-user-create's other_properties)
 * as a Graph user body with typed values. The reference sent every value as a string, split pairs
 * with `split("=", 2)` (so a value holding `=` broke) and ignored the create delimiter; here:
 *  - pairs are split on the delimiter argument, except inside a JSON value, so
 *    `passwordProfile={"a":1,"b":2}` survives the default comma;
 *  - each pair is split on its first `=` only;
 *  - values are typed by the Graph user property (docs: resources/user.md): booleans for boolean
 *    properties, JSON for complex ones, lists for collections, and strings for string properties
 *    even when they look numeric (`mobilePhone=050505050` stays "050505050").
 * Every mistake is a UserError naming the pair, raised before any request.
 */
import { UserError } from '../../src/base/errors.js';

type PropertyKind = 'string' | 'boolean' | 'object' | 'string-list' | 'object-list';

const STRING_PROPERTIES = [
  'aboutMe',
  'ageGroup',
  'birthday',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeType',
  'faxNumber',
  'givenName',
  'hireDate',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'mySite',
  'officeLocation',
  'onPremisesImmutableId',
  'passwordPolicies',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'preferredName',
  'state',
  'streetAddress',
  'surname',
  'usageLocation',
  'userPrincipalName',
  'userType',
];

/** The writable user properties whose values are not plain strings. */
const TYPED_PROPERTIES: Record<string, PropertyKind> = {
  accountEnabled: 'boolean',
  showInAddressList: 'boolean',
  isResourceAccount: 'boolean',
  businessPhones: 'string-list',
  otherMails: 'string-list',
  imAddresses: 'string-list',
  interests: 'string-list',
  pastProjects: 'string-list',
  responsibilities: 'string-list',
  schools: 'string-list',
  skills: 'string-list',
  passwordProfile: 'object',
  employeeOrgData: 'object',
  onPremisesExtensionAttributes: 'object',
  mailboxSettings: 'object',
  customSecurityAttributes: 'object',
  authorizationInfo: 'object',
  identities: 'object-list',
};

const KNOWN = new Map<string, { name: string; kind: PropertyKind }>([
  ...STRING_PROPERTIES.map(
    (name) => [name.toLowerCase(), { name, kind: 'string' as const }] as const,
  ),
  ...Object.entries(TYPED_PROPERTIES).map(
    ([name, kind]) => [name.toLowerCase(), { name, kind }] as const,
  ),
]);

/** Properties whose values are never repeated in an error message. */
const SECRET_VALUED = new Set(['passwordProfile']);

/** The index just after the JSON object or array starting at `start`, or -1 when it never closes. */
function jsonEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Splits on `delimiter`, but never inside a value that starts as JSON (`key={...}`, `key=[...]`). */
export function splitPairs(text: string, delimiter: string): string[] {
  const pieces: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf(delimiter, pos);
    const eq = text.indexOf('=', pos);
    if (eq >= 0 && (end < 0 || eq < end)) {
      let valueStart = eq + 1;
      while (text[valueStart] === ' ') valueStart++;
      if (text[valueStart] === '{' || text[valueStart] === '[') {
        const close = jsonEnd(text, valueStart);
        if (close > 0) end = text.indexOf(delimiter, close);
      }
    }
    if (end < 0) end = text.length;
    pieces.push(text.slice(pos, end).trim());
    pos = end + delimiter.length;
  }
  return pieces.filter((piece) => piece.length > 0);
}

function parseJson(value: string, describe: () => string, secret: boolean): unknown {
  try {
    return JSON.parse(value);
  } catch (err) {
    // The parser's message may quote the text, so a secret value gets none of it.
    const detail = secret ? '' : ` (${(err as Error).message})`;
    throw new UserError(`${describe()}: the value is not valid JSON${detail}.`);
  }
}

const looksLikeJson = (value: string): boolean => /^[{[]/.test(value) && /[}\]]$/.test(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typedValue(
  kind: PropertyKind | undefined,
  name: string,
  value: string,
  describe: () => string,
): unknown {
  switch (kind) {
    case 'string':
      // Graph clears a property set to null; an empty string is rejected for most of them.
      return value === '' ? null : value;
    case 'boolean':
      if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw new UserError(`${describe()}: ${name} takes true or false.`);
    case 'object': {
      if (value === '') return null;
      const parsed = parseJson(value, describe, SECRET_VALUED.has(name));
      if (!isObject(parsed)) throw new UserError(`${describe()}: ${name} takes a JSON object.`);
      return parsed;
    }
    case 'string-list': {
      if (value.startsWith('[')) {
        const parsed = parseJson(value, describe, SECRET_VALUED.has(name));
        if (!Array.isArray(parsed)) {
          throw new UserError(`${describe()}: ${name} takes a JSON list.`);
        }
        return parsed;
      }
      return value
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    }
    case 'object-list': {
      if (value === '') return [];
      const parsed = parseJson(value, describe, SECRET_VALUED.has(name));
      if (isObject(parsed)) return [parsed];
      if (!Array.isArray(parsed)) {
        throw new UserError(`${describe()}: ${name} takes a JSON list of objects.`);
      }
      return parsed;
    }
    default:
      if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      if (looksLikeJson(value)) return parseJson(value, describe, SECRET_VALUED.has(name));
      return value === '' ? null : value;
  }
}

/**
 * Parses `key=value` pairs into a user body. `argName` names the argument in error messages.
 * String collections also take a `;`-separated list (`businessPhones=+1 425 555 0100;+1 425 555 0101`).
 */
export function parseUserProperties(
  text: string,
  delimiter: string,
  argName: string,
): Record<string, unknown> {
  if (delimiter === '') throw new UserError(`The ${argName} delimiter cannot be empty.`);
  const body = new Map<string, unknown>();
  for (const pair of splitPairs(text, delimiter)) {
    const eq = pair.indexOf('=');
    const shownPair = pair.length > 80 ? `${pair.slice(0, 77)}...` : pair;
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!key) {
      throw new UserError(
        `Cannot read "${shownPair}" in ${argName}: each item must be key=value, for example jobTitle=Analyst.`,
        `Items are separated by "${delimiter}"; if a value contains "${delimiter}", choose another delimiter.`,
      );
    }
    const known = KNOWN.get(key.toLowerCase());
    const name = known?.name ?? key;
    const describe = () =>
      `Cannot read "${SECRET_VALUED.has(name) ? `${name}=...` : shownPair}" in ${argName}`;
    if (body.has(name)) throw new UserError(`${describe()}: ${name} is given more than once.`);
    body.set(name, typedValue(known?.kind, name, pair.slice(eq + 1).trim(), describe));
  }
  if (body.size === 0) throw new UserError(`${argName} holds no key=value pair.`);
  return Object.fromEntries(body);
}

/** Registers a password given inside passwordProfile as a secret, so no output can echo it. */
export function registerPasswords(
  body: Record<string, unknown>,
  addSecret: (value: string) => void,
): void {
  const profile = body.passwordProfile;
  if (isObject(profile) && typeof profile.password === 'string') addSecret(profile.password);
}
