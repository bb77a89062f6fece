/**
 * msgraph-user-list: one page of users (limit -> $top), the page a previous run's NextPage names,
 * or every page (`all`). As the reference, the first request is an advanced query
 * (ConsistencyLevel: eventual with $count=true) so filters such as endsWith work; Graph does not
 * carry that header into next pages, so it is sent with every page.
 *
 * With `all`, each page is converted to context rows as it arrives and then dropped: listing a
 * large tenant keeps one copy of each user, not the raw pages as well.
 */
import type { GraphRequest } from '../src/graph/types.js';
import { keyedContextPath } from '../src/command/entries.js';
import type { Handler } from '../src/command/handler.js';
import { boolArg, numberArg, textArg } from './shared/args.js';
import { userContext, type GraphObject } from './shared/outputs.js';
import { ContextRows } from './shared/user-results.js';

const ADVANCED_QUERY = { ConsistencyLevel: 'eventual' };

function listRequest(ctx: Parameters<Handler>[0]): GraphRequest {
  const nextPage = textArg(ctx.args, 'next_page');
  if (nextPage) return { method: 'GET', path: nextPage, headers: ADVANCED_QUERY };
  return {
    method: 'GET',
    path: 'users',
    headers: ADVANCED_QUERY,
    query: {
      $filter: textArg(ctx.args, 'filter') || undefined,
      $select: textArg(ctx.args, 'properties') || undefined,
      $count: 'true',
      $top: numberArg(ctx.args, 'limit'),
    },
  };
}

const listUsers: Handler = async (ctx) => {
  const all = boolArg(ctx.args, 'all');
  const users = new ContextRows();
  // A single page keeps Graph's items as the raw response (Contents), as the reference did.
  const raw: GraphObject[] | undefined = all ? undefined : [];
  let nextLink: string | undefined;
  for await (const page of ctx.graph.pages<GraphObject>(listRequest(ctx), { all })) {
    for (const item of page.items) users.add(item);
    raw?.push(...page.items);
    nextLink = page.nextLink;
  }
  const outputs = users.rows.length > 0 ? userContext(ctx.outputsPrefix, users.rows) : {};
  const metadata = nextLink
    ? `To get further results, enter this to the next_page parameter:\n${nextLink}`
    : undefined;
  if (nextLink) {
    outputs[keyedContextPath(ctx.outputsPrefix, 'ID')] = [{ NextPage: nextLink }, ...users.rows];
  }
  return {
    outputs,
    readable_output: users.table('All Graph Users', metadata),
    // With `all`, Contents would be a third copy of every user (the context holds them).
    raw_response: raw ?? { count: users.rows.length },
  };
};

export default listUsers;
