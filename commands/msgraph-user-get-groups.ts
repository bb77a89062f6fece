/**
 * msgraph-user-get-groups: the groups, directory roles and administrative units the user is a
 * direct member of; `all` follows every next page (the reference returned the first page only).
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { boolArg, textArg } from './shared/args.js';
import { collect } from './shared/collections.js';
import { parseOutputs } from './shared/outputs.js';
import { forUser } from './shared/user-results.js';

const getGroups: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    const { items, more } = await collect(
      ctx.graph,
      graphPath`users/${user}/memberOf`,
      boolArg(ctx.args, 'all'),
    );
    const { readable, context } = parseOutputs(items);
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'ID',
      outputs: { ID: user, Groups: context },
      readable_output: tableToMarkdown(`${user} group data`, readable, {
        removeNull: true,
        metadata: more,
      }),
      raw_response: { value: items },
      bulk_row: {
        User: user,
        Result: `${items.length} membership${items.length === 1 ? '' : 's'}`,
      },
    };
  });
};

export default getGroups;
