/**
 * msgraph-user-update: PATCHes typed `key=value` pairs (shared/user-properties.ts), then shows the
 * user as msgraph-user-get does.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { userLookupResult } from './shared/user-lookup.js';
import { parseUserProperties, registerPasswords } from './shared/user-properties.js';
import { forUser } from './shared/user-results.js';

const update: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  const delimiter = textArg(ctx.args, 'updated_fields_delimiter') || ',';
  const body = parseUserProperties(
    textArg(ctx.args, 'updated_fields'),
    delimiter,
    'updated_fields',
  );
  registerPasswords(body, ctx.addSecret);
  return forUser(ctx, user, async () => {
    await ctx.graph.request({ method: 'PATCH', path: graphPath`users/${user}`, body });
    return userLookupResult(ctx, user, '*');
  });
};

export default update;
