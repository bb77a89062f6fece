/**
 * Output shaping shared by the user commands, as the reference integration does it
 * (anchor-msgraph-user.md §6): Graph's camelCase keys become readable headers (`displayName` ->
 * `Display Name`, `id` -> `ID`) for war-room tables and PascalCase context keys (`DisplayName`).
 */
import { keyedContextPath } from '../../src/command/entries.js';

export type GraphObject = Record<string, unknown>;

/** Python's str.title(): a letter after a non-letter is upper case, any other letter lower case. */
function pythonTitle(text: string): string {
  let out = '';
  let previousIsLetter = false;
  for (const ch of text) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (previousIsLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousIsLetter = isLetter;
  }
  return out;
}

const readableKeys = new Map<string, string>();
const contextKeys = new Map<string, string>();
/** Keys repeat in every row; a bounded memo keeps the shaping of large listings cheap. */
function memo(cache: Map<string, string>, key: string, compute: (k: string) => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    if (cache.size < 10_000) cache.set(key, value);
  }
  return value;
}

/** `camel_case_to_readable`: `id` -> `ID`; a space before each capital, then title case. */
export function readableKey(key: string): string {
  return memo(readableKeys, key, (k) =>
    k === 'id' ? 'ID' : pythonTitle(k.replace(/([A-Z])/g, ' $1').trim()),
  );
}

/** The context key: the readable key without spaces (`DisplayName`, `ID`, `@Odata.Type`). */
export const contextKey = (key: string): string =>
  memo(contextKeys, key, (k) => readableKey(k).replace(/ /g, ''));

export interface ParsedOutputs {
  /** Rows keyed by readable headers, for tableToMarkdown. */
  readable: GraphObject[];
  /** Rows keyed by context keys, for EntryContext. */
  context: GraphObject[];
}

/**
 * `parse_outputs`: renames every top-level key; `@removed` (delta) becomes `Status: deleted`;
 * nested values pass through unchanged.
 */
export function parseOutputs(data: GraphObject | GraphObject[]): ParsedOutputs {
  const rows = Array.isArray(data) ? data : [data];
  const readable: GraphObject[] = [];
  const context: GraphObject[] = [];
  for (const row of rows) {
    const r: GraphObject = {};
    const c: GraphObject = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === '@removed') continue;
      r[readableKey(key)] = value;
      c[contextKey(key)] = value;
    }
    if ('@removed' in row) {
      r.Status = 'deleted';
      c.Status = 'deleted';
    }
    readable.push(r);
    context.push(c);
  }
  return { readable, context };
}

/** The standard `Account` entity for a user, from its context row (`Type` is always "Azure AD"). */
export function accountEntity(user: GraphObject): GraphObject {
  // Built field by field (no entries/fromEntries round trip): listings build one per user.
  const account: GraphObject = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) account[key] = value;
  };
  set('ID', user.ID);
  set('DisplayName', user.DisplayName);
  set('Username', user.UserPrincipalName);
  set('JobTitle', user.JobTitle);
  account.Email = { Address: user.Mail };
  set('TelephoneNumber', user.MobilePhone);
  set('Office', user.OfficeLocation);
  account.Type = 'Azure AD';
  return account;
}

/**
 * User and Account outputs keyed by ID, so repeated runs update the same context objects instead
 * of piling up duplicates (the reference wrote both without a key).
 */
export function userContext(
  prefix: string,
  users: GraphObject | GraphObject[],
): Record<string, unknown> {
  return {
    [keyedContextPath(prefix, 'ID')]: users,
    [keyedContextPath('Account', 'ID')]: Array.isArray(users)
      ? users.map(accountEntity)
      : accountEntity(users),
  };
}
