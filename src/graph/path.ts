/**
 * Building Graph paths and OData literals from user input without letting the input change the
 * request's shape.
 *
 * Every interpolated value becomes exactly one path segment: `/`, `?`, `#` and `%` are encoded, so
 * `../me` or `x?$select=` stays an odd id rather than another resource. Dot segments cannot be
 * encoded away (URL parsers collapse `.`, `..` and `%2e%2e` before sending), so they are refused.
 */
import { UserError } from '../base/errors.js';

export type PathValue = string | number;

function segment(value: PathValue, previous: string): { text: string; keyForm: boolean } {
  const text = String(value);
  if (text === '' || text === '.' || text === '..') {
    const shown = text === '' ? 'an empty value' : `"${text}"`;
    throw new UserError(
      `Cannot use ${shown} as an id in a Microsoft Graph path.`,
      'Give the object id (a GUID) or the userPrincipalName.',
    );
  }
  // Graph reads `/users/$x` as a system segment ($count, $ref, ...) and answers 400; a key that
  // starts with `$` must use the parenthesised form users('$x@contoso.com') (docs: user-get.md).
  if (text.startsWith('$') && previous.endsWith('/') && previous.length > 1) {
    return {
      text: `('${encodeURIComponent(text.replace(/'/g, "''")).replace(/^%24/, '$')}')`,
      keyForm: true,
    };
  }
  return { text: encodeURIComponent(text), keyForm: false };
}

/**
 * A path relative to the Graph version root; each `${value}` is one encoded segment.
 *
 *     graphPath`users/${user}/authentication/methods/${id}`
 */
export function graphPath(strings: TemplateStringsArray, ...values: PathValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    const { text, keyForm } = segment(value, out);
    out = keyForm ? out.slice(0, -1) + text : out + text;
    out += strings[index + 1] ?? '';
  });
  return out;
}

/** An OData string literal for $filter: quoted, with `'` doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
