/**
 * msgraph-user-get-manager: the user's manager. The context is keyed by User (the reference keyed
 * it by an ID it never wrote). Graph answers 404 both when the user does not exist and when the
 * user has no manager; the message names the `manager` resource in the second case, which is an
 * answer rather than an error.
 */
import type { GraphError } from '../src/graph/errors.js';
import { isNotFound } from '../src/graph/errors.js';
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { notFound } from '../src/command/results.js';
import { textArg } from './shared/args.js';
import { parseOutputs, type GraphObject } from './shared/outputs.js';
import { suppressNotFound, userNotFoundNote } from './shared/not-found.js';
import type { Result } from './shared/user-results.js';

const managerRow = (user: string, manager: GraphObject | undefined, result: string) => ({
  User: user,
  'Manager ID': manager?.ID ?? '',
  'Manager Display Name': manager?.DisplayName ?? '',
  'Manager User Principal Name': manager?.UserPrincipalName ?? '',
  Result: result,
});

/** Graph's 404 for a user without a manager: "Resource 'manager' does not exist ...". */
const isNoManager = (err: unknown): boolean =>
  isNotFound(err) && /'manager'/i.test((err as GraphError).graphMessage);

/** A note (a bare-string entry, as the reference's) with the bulk-table columns of a manager. */
function managerNote(user: string, text: string, result: string): Result {
  return { raw_response: text, bulk_row: managerRow(user, undefined, result) };
}

const getManager: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  let data: GraphObject;
  try {
    const path = graphPath`users/${user}/manager`;
    data = (await ctx.graph.request<GraphObject>({ method: 'GET', path })).body;
  } catch (err) {
    if (isNoManager(err)) {
      return managerNote(user, `#### User -> ${user} has no manager`, 'No manager');
    }
    if (isNotFound(err) && suppressNotFound(ctx)) {
      return notFound(managerNote(user, userNotFoundNote(user), 'Does not exist'));
    }
    throw err;
  }
  const { '@odata.context': _context, '@odata.type': _type, ...manager } = data;
  const { readable, context } = parseOutputs(manager);
  return {
    outputs_prefix: ctx.outputsPrefix,
    outputs_key_field: 'User',
    outputs: { User: user, Manager: context[0] },
    readable_output: tableToMarkdown(`${user} - manager`, readable[0], { removeNull: true }),
    raw_response: manager,
    bulk_row: managerRow(user, context[0], 'Found'),
  };
};

export default getManager;
