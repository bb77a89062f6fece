/**
 * msgraph-direct-reports: the users and contacts who report to the user; `all` follows every
 * next page (the reference returned the first page only).
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { boolArg, textArg } from './shared/args.js';
import { collect } from './shared/collections.js';
import { parseOutputs } from './shared/outputs.js';
import { forUser } from './shared/user-results.js';

const directReports: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    const { items, more } = await collect(
      ctx.graph,
      graphPath`users/${user}/directReports`,
      boolArg(ctx.args, 'all'),
    );
    const { readable, context } = parseOutputs(items);
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'Manager',
      outputs: { Manager: user, Reports: context },
      readable_output: tableToMarkdown(`${user} - direct reports`, readable, {
        removeNull: true,
        metadata: more,
      }),
      raw_response: items,
      bulk_row: {
        User: user,
        Result: `${items.length} direct report${items.length === 1 ? '' : 's'}`,
      },
    };
  });
};

export default directReports;
