/**
 * msgraph-user-get-auth-methods: every authentication method registered to the user.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { textArg } from './shared/args.js';
import { collect } from './shared/collections.js';
import { parseOutputs } from './shared/outputs.js';
import { forUser } from './shared/user-results.js';

const getAuthMethods: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  return forUser(ctx, user, async () => {
    // Graph pages nothing here (the list has no query options), but follow a link if one comes.
    const { items } = await collect(
      ctx.graph,
      graphPath`users/${user}/authentication/methods`,
      true,
    );
    const { readable, context } = parseOutputs(items);
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'ID',
      outputs: { ID: user, Methods: context },
      readable_output: tableToMarkdown(`${user} - auth methods`, readable, { removeNull: true }),
      raw_response: items,
      bulk_row: { User: user, Result: `${items.length} method${items.length === 1 ? '' : 's'}` },
    };
  });
};

export default getAuthMethods;
