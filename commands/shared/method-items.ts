/**
 * Shaping of authentication-method objects (and owned devices) for the war room and the context,
 * plus their not-found handling. Shared by the method families, the TAP commands and owned devices.
 */
import { GraphError, isNotFound } from '../../src/graph/errors.js';
import type { GraphRequest } from '../../src/graph/types.js';
import type { Entry } from '../../src/command/entries.js';
import type { CommandContext } from '../../src/command/handler.js';
import { notFound } from '../../src/command/results.js';
import { methodNotFoundNote, suppressNotFound, userNotFoundNote } from './not-found.js';
import { parseOutputs, type GraphObject } from './outputs.js';

const isObject = (value: unknown): value is GraphObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Properties that hold a credential. Graph answers null for them on reads, but they never go to
 * the context or the raw response, whatever Graph sends.
 */
const SECRET_PROPERTIES = new Set(['temporaryAccessPass', 'secretKey']);

export function withoutSecrets(item: GraphObject): GraphObject {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !SECRET_PROPERTIES.has(key)));
}

/**
 * One object as it goes to the context: no secrets, no OData annotations (`@odata.type` is the
 * same for every item of a family). Older FIDO2 pages call the creation time `creationDateTime`;
 * it is reported under the documented `CreatedDateTime`.
 */
export function contextItem(item: GraphObject): GraphObject {
  const out: GraphObject = {};
  for (const [key, value] of Object.entries(withoutSecrets(item))) {
    if (key.startsWith('@odata.')) continue;
    if (key === 'creationDateTime' && !('createdDateTime' in item)) out.createdDateTime = value;
    else out[key] = value;
  }
  return out;
}

/** Context rows (PascalCase keys) for Graph objects. */
export const contextRows = (items: GraphObject[]): GraphObject[] =>
  parseOutputs(items.map(contextItem)).context;

/**
 * A single-method GET. Several of Graph's pages document the object wrapped in `"value": {...}`
 * (graph-http-examples.md §3: FIDO2, email, Authenticator, software OATH, Windows Hello), others
 * return it bare (phone, TAP); both are accepted.
 */
export function unwrapSingle(body: unknown): GraphObject {
  if (!isObject(body)) return {};
  if (isObject(body.value) && !('id' in body)) return body.value;
  const { '@odata.context': _context, ...item } = body;
  return item;
}

/** War-room rows: the chosen columns under their headers. */
export function columnRows(items: GraphObject[], columns: Readonly<Record<string, string>>) {
  return items.map((item) =>
    Object.fromEntries(Object.entries(columns).map(([key, header]) => [header, item[key]])),
  );
}

export const nextPageMetadata = (link: string): string =>
  `To get further results, enter this to the next_page argument:\n${link}`;

export interface CollectedPages {
  items: GraphObject[];
  /** The link to the page after the last one read (absent when every page was read). */
  nextLink?: string;
}

/** Reads the first page of a collection, or all of them. */
export async function collectPages(
  ctx: CommandContext,
  request: GraphRequest,
  all: boolean,
): Promise<CollectedPages> {
  const items: GraphObject[] = [];
  let nextLink: string | undefined;
  for await (const page of ctx.graph.pages<GraphObject>(request, { all })) {
    items.push(...page.items);
    nextLink = page.nextLink;
  }
  return { items, nextLink };
}

/**
 * Runs `action`; with handle_error on, a 404 becomes the reference's note: "Did not find the
 * method_id" when Graph says the key does not exist and a method id was given, else "User ->
 * {user} does not exist".
 */
export async function orMethodNotFound<T>(
  ctx: CommandContext,
  user: string,
  methodId: string | undefined,
  action: () => Promise<T>,
): Promise<T | Entry> {
  try {
    return await action();
  } catch (err) {
    if (!isNotFound(err) || !suppressNotFound(ctx)) throw err;
    const missingKey =
      err instanceof GraphError && err.graphMessage.includes('A key with identifier');
    return notFound(
      methodId && missingKey ? methodNotFoundNote(methodId, user) : userNotFoundNote(user),
    );
  }
}
