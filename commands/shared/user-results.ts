/**
 * Results shared by the user commands: a user shown as msgraph-user-get shows it (get, update,
 * create), the one-sentence answer of an action (disable, delete, revoke, ...), and Graph
 * objects as context rows for long lists.
 */
import type { CommandResults } from '../../src/command/entries.js';
import type { CommandContext } from '../../src/command/handler.js';
import { tableToMarkdown, stringEscapeMD } from '../../src/command/markdown.js';
import { notFound } from '../../src/command/results.js';
import { orNotFoundNote, userNotFoundNote } from './not-found.js';
import { contextKey, parseOutputs, readableKey, userContext, type GraphObject } from './outputs.js';

export type Result = CommandResults & { bulk_row?: Record<string, unknown> };

/** A Graph object without its OData envelope annotation (`@odata.context`). */
export function withoutContext(data: GraphObject): GraphObject {
  const { '@odata.context': _ignored, ...rest } = data;
  return rest;
}

/** The columns a user contributes to a bulk run's table (the same keys whether found or not). */
export function userRow(
  user: string,
  found: GraphObject | undefined,
  result: string,
): Record<string, unknown> {
  return {
    User: user,
    ID: found?.ID ?? '',
    'Display Name': found?.DisplayName ?? '',
    'User Principal Name': found?.UserPrincipalName ?? '',
    Result: result,
  };
}

/** One user as msgraph-user-get shows it: a table titled `title`, the user and Account. */
export function userResult(
  prefix: string,
  title: string,
  data: GraphObject,
  user: string,
  result = 'Found',
): Result {
  const raw = withoutContext(data);
  const { readable, context } = parseOutputs(raw);
  return {
    outputs: userContext(prefix, context[0]!),
    readable_output: tableToMarkdown(title, readable[0], { removeNull: true }),
    raw_response: raw,
    bulk_row: userRow(user, context[0], result),
  };
}

/** An action's answer: the reference's sentence, and a short result for bulk tables. */
export function actionResult(user: string, sentence: string, result: string): Result {
  return { readable_output: sentence, bulk_row: { User: user, Result: result } };
}

/**
 * A not-found note (handle_error) as a result, so a bulk run keeps one row per user. The entry is
 * the one the reference's bare-string return made: the text as Contents (text), no HumanReadable.
 */
export function noteResult(user: string, note: string, result = 'Does not exist'): Result {
  return { raw_response: note, bulk_row: { User: user, Result: result } };
}

/**
 * Graph objects as context rows (`displayName` -> `DisplayName`), for lists that may hold many
 * thousands of objects: the raw page can be dropped as soon as it is converted, and the war-room
 * table is rendered from these rows (with readable headers) instead of a second copy.
 */
export class ContextRows {
  readonly rows: GraphObject[] = [];
  private readonly keys = new Map<string, string>();
  private readonly readable = new Map<string, string>();

  add(item: GraphObject): void {
    this.rows.push(this.row(item));
  }

  /** `item` as a context row, without keeping it (for items streamed to the caller). */
  row(item: GraphObject): GraphObject {
    const row: GraphObject = {};
    // Keys and index rather than Object.entries: no pair array per field of 100,000 users.
    const keys = Object.keys(item);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      let name = this.keys.get(key);
      if (name === undefined) {
        name = contextKey(key);
        this.keys.set(key, name);
        this.readable.set(name, readableKey(key));
      }
      row[name] = item[key];
    }
    return row;
  }

  /** The table the reference rendered from parse_outputs' readable rows (headers of the first row). */
  table(title: string, metadata?: string): string {
    const first = this.rows[0] ?? {};
    const label = (name: string) => this.readable.get(name) ?? name;
    const headers = Object.keys(first).sort((a, b) =>
      label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0,
    );
    return tableToMarkdown(title, this.rows, {
      headers: headers.length ? headers : undefined,
      headerTransform: (name) => stringEscapeMD(label(name), true, true),
      removeNull: true,
      metadata,
    });
  }
}

/**
 * Runs a user-scoped action; when Graph says the user does not exist and handle_error is on, the
 * answer is the reference's `#### User -> X does not exist` note instead of an error.
 */
export async function forUser(
  ctx: CommandContext,
  user: string,
  action: () => Promise<Result>,
): Promise<Result> {
  const outcome = await orNotFoundNote(ctx, userNotFoundNote(user), action);
  return typeof outcome === 'string' ? notFound(noteResult(user, outcome)) : outcome;
}
