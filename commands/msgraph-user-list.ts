/**
 * msgraph-user-list: one page of users (limit -> $top), the page a previous run's NextPage names,
 * or every page (`all`). As the reference, the first request is an advanced query
 * (ConsistencyLevel: eventual with $count=true) so filters such as endsWith work; Graph does not
 * carry that header into next pages, so it is sent with every page.
 *
 * With `all`, pages are 999 users (Graph's largest) unless `limit` says otherwise, and each page is
 * converted to context rows as it arrives and then dropped: listing a large tenant keeps one copy
 * of each user, not the raw pages as well. When the caller streams (`ctx.stream`: the CLI's json,
 * ndjson and csv output), each page's rows go there instead and none is kept.
 */
import type { GraphRequest } from '../src/graph/types.js';
import { keyedContextPath } from '../src/command/entries.js';
import type { CommandContext, Handler } from '../src/command/handler.js';
import type { Result } from './shared/user-results.js';
import { boolArg, numberArg, textArg } from './shared/args.js';
import { userContext, type GraphObject } from './shared/outputs.js';
import { ContextRows } from './shared/user-results.js';

const ADVANCED_QUERY = { ConsistencyLevel: 'eventual' };
const LARGEST_PAGE = 999;
const PAGE_OPTIONS = { label: 'Listing users' };

function listRequest(ctx: CommandContext): GraphRequest {
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
      $top: numberArg(ctx.args, 'limit') ?? (boolArg(ctx.args, 'all') ? LARGEST_PAGE : undefined),
    },
  };
}

/** Every page's rows to the caller's sink, as they arrive; the result only counts them. */
async function streamUsers(
  ctx: CommandContext,
  stream: NonNullable<CommandContext['stream']>,
): Promise<Result> {
  const users = new ContextRows();
  let count = 0;
  const request = listRequest(ctx);
  for await (const page of ctx.graph.pages<GraphObject>(request, { all: true, ...PAGE_OPTIONS })) {
    count += page.items.length;
    // The reader went away (`… | head`): the pages after this one would be fetched for nothing.
    if (!(await stream(page.items.map((item) => users.row(item))))) break;
  }
  return { readable_output: `### All Graph Users\n${count} users.`, raw_response: { count } };
}

const listUsers: Handler = async (ctx) => {
  const all = boolArg(ctx.args, 'all');
  if (all && ctx.stream) return streamUsers(ctx, ctx.stream);
  const users = new ContextRows();
  // A single page keeps Graph's items as the raw response (Contents), as the reference did.
  const raw: GraphObject[] | undefined = all ? undefined : [];
  let nextLink: string | undefined;
  for await (const page of ctx.graph.pages<GraphObject>(listRequest(ctx), {
    all,
    ...PAGE_OPTIONS,
  })) {
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
