/**
 * Reading one user as msgraph-user-get does, shared by get, update and create. A 404 is an answer
 * here, not an error: the reference printed "User X was not found" with Graph's response,
 * whatever handle_error says.
 */
import { GraphError, isNotFound } from '../../src/graph/errors.js';
import { graphPath } from '../../src/graph/path.js';
import type { CommandContext } from '../../src/command/handler.js';
import type { GraphClient } from '../../src/graph/types.js';
import { pyRepr } from '../../src/command/python-format.js';
import { notFound } from '../../src/command/results.js';
import type { GraphObject } from './outputs.js';
import { userRow, userResult, type Result } from './user-results.js';

/** Characters the reference blamed when Graph answered 400 for a user (`% & * + / = ? \` { | }`). */
const UNSUPPORTED_CHARS = /[%&*+/=?`{|}]/g;

/** Graph's error envelope (`{"error": {code, message, innerError}}`), as the 404 carried it. */
export function graphErrorObject(err: GraphError): GraphObject {
  const error: GraphObject = { code: err.code, message: err.graphMessage };
  if (err.innerError) error.innerError = err.innerError;
  return { error };
}

/**
 * The reference's answer: Graph's error object printed as a Python dict in the war room, and the
 * object itself as the entry's contents (so ContentsFormat is json, as it was there).
 */
export function userNotFoundResult(user: string, err: GraphError): Result {
  const response = graphErrorObject(err);
  return notFound({
    readable_output: `### User ${user} was not found.\nMicrosoft Graph Response: ${pyRepr(response)}`,
    raw_response: response,
    bulk_row: userRow(user, undefined, 'Not found'),
  });
}

/** The reference's explanation for a 400 on a user holding characters Graph may not accept. */
function unsupportedCharsResult(user: string, err: GraphError): Result | undefined {
  const found = [...new Set(user.match(UNSUPPORTED_CHARS) ?? [])];
  if (err.status !== 400 || err.code !== 'Request_BadRequest' || found.length === 0) {
    return undefined;
  }
  // Python printed a set: {'+', '/'} (here in the order the characters appear).
  const chars = `{${found.map((c) => pyRepr(c)).join(', ')}}`;
  const text = `Request failed because the user contains unsupported characters: ${chars}\n${err.message}`;
  return {
    readable_output: text,
    raw_response: text,
    bulk_row: userRow(user, undefined, 'Unsupported characters'),
  };
}

export async function fetchUser(
  graph: GraphClient,
  user: string,
  properties: string,
): Promise<GraphObject> {
  const response = await graph.request<GraphObject>({
    method: 'GET',
    path: graphPath`users/${user}`,
    query: { $select: properties || undefined },
  });
  return response.body;
}

/** GET the user and shape it; not-found and unsupported-character answers become notes. */
export async function userLookupResult(
  ctx: CommandContext,
  user: string,
  properties: string,
  title = `${user} data`,
): Promise<Result> {
  try {
    return userResult(ctx.outputsPrefix, title, await fetchUser(ctx.graph, user, properties), user);
  } catch (err) {
    if (isNotFound(err)) return userNotFoundResult(user, err as GraphError);
    const explained = err instanceof GraphError ? unsupportedCharsResult(user, err) : undefined;
    if (explained) return explained;
    throw err;
  }
}
