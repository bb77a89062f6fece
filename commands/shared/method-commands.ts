/**
 * The list and delete handlers of an authentication-method family (method-families.ts): one
 * factory each. `msgraph-user-<family>-method-list|delete` resolve here (familyHandler), so the
 * fourteen commands need no file of their own.
 */
import { graphPath } from '../../src/graph/path.js';
import type { GraphRequest } from '../../src/graph/types.js';
import type { CommandResults } from '../../src/command/entries.js';
import type { CommandContext, Handler } from '../../src/command/handler.js';
import { tableToMarkdown } from '../../src/command/markdown.js';
import { textArg } from './args.js';
import { METHOD_FAMILIES, type MethodFamily } from './method-families.js';
import {
  collectPages,
  columnRows,
  contextRows,
  nextPageMetadata,
  orMethodNotFound,
  unwrapSingle,
  withoutSecrets,
  type CollectedPages,
} from './method-items.js';
import type { GraphObject } from './outputs.js';

const hasArgument = (ctx: CommandContext, name: string): boolean =>
  (ctx.command.arguments ?? []).some((a) => a.name === name);

/**
 * The collection: the page given as next_page, or the first page. Families whose command has no
 * next_page argument are read to the end, so nothing is silently cut (the reference read one page).
 */
async function listFamily(
  ctx: CommandContext,
  family: MethodFamily,
  user: string,
): Promise<CollectedPages> {
  const nextPage = textArg(ctx.args, 'next_page');
  const limit = typeof ctx.args.limit === 'number' ? ctx.args.limit : undefined;
  const request: GraphRequest = nextPage
    ? { method: 'GET', path: nextPage }
    : {
        method: 'GET',
        path: graphPath`users/${user}/authentication/${family.collection}`,
        query: family.top && limit !== undefined ? { $top: limit } : undefined,
      };
  const all = ctx.args.all === true || !hasArgument(ctx, 'next_page');
  const pages = await collectPages(ctx, request, all);
  // FIDO2 keys have no $top: the documented limit is applied here (the reference ignored it).
  if (!family.top && limit !== undefined) pages.items = pages.items.slice(0, limit);
  return pages;
}

function methodResults(
  prefix: string,
  family: MethodFamily,
  user: string,
  methodId: string | undefined,
  items: GraphObject[],
  nextLink: string | undefined,
): CommandResults {
  const title = methodId
    ? `${family.title} ${methodId} for User ${user}:`
    : `${family.title}s for User ${user}:`;
  const readable = tableToMarkdown(title, columnRows(items, family.columns), {
    headers: Object.values(family.columns),
    removeNull: true,
    metadata: nextLink ? nextPageMetadata(nextLink) : undefined,
  });
  const rows: GraphObject[] = contextRows(items);
  if (nextLink) rows.unshift({ NextPage: nextLink });
  const raw = items.map(withoutSecrets);
  return {
    outputs_prefix: prefix,
    outputs_key_field: 'ID',
    outputs: methodId ? rows[0] : rows,
    readable_output: readable,
    raw_response: methodId ? raw[0] : raw,
  };
}

export function methodListHandler(family: MethodFamily): Handler {
  return async (ctx) => {
    const user = String(ctx.args.user);
    const methodId = textArg(ctx.args, 'method_id') || undefined;
    return orMethodNotFound(ctx, user, methodId, async () => {
      let items: GraphObject[];
      let nextLink: string | undefined;
      if (methodId) {
        const path = graphPath`users/${user}/authentication/${family.collection}/${methodId}`;
        const item = unwrapSingle((await ctx.graph.request({ method: 'GET', path })).body);
        items = Object.keys(item).length > 0 ? [item] : [];
      } else {
        ({ items, nextLink } = await listFamily(ctx, family, user));
      }
      if (items.length === 0) {
        return {
          readable_output: `No ${family.noun} authentication methods found for user ${user}.`,
        };
      }
      return methodResults(ctx.outputsPrefix, family, user, methodId, items, nextLink);
    });
  };
}

export function methodDeleteHandler(family: MethodFamily): Handler {
  return async (ctx) => {
    const user = String(ctx.args.user);
    const methodId = String(ctx.args.method_id);
    return orMethodNotFound(ctx, user, methodId, async () => {
      const path = graphPath`users/${user}/authentication/${family.collection}/${methodId}`;
      await ctx.graph.request({ method: 'DELETE', path });
      return { readable_output: family.deleted(methodId, user) };
    });
  };
}

const FAMILY_COMMAND = /^msgraph-user-(.+)-method-(list|delete)$/;

/** The handler of a `msgraph-user-<family>-method-list|delete` command, if `name` is one. */
export function familyHandler(name: string): Handler | undefined {
  const match = FAMILY_COMMAND.exec(name);
  const family = match ? (METHOD_FAMILIES as Record<string, MethodFamily>)[match[1]!] : undefined;
  if (!match || !family) return undefined;
  return match[2] === 'list' ? methodListHandler(family) : methodDeleteHandler(family);
}
