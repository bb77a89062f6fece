/**
 * msgraph-user-get: one user's properties (`properties`, default `*`), as MSGraphUser and Account.
 */
import type { Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import { userLookupResult } from './shared/user-lookup.js';

const getUser: Handler = async (ctx) =>
  userLookupResult(ctx, textArg(ctx.args, 'user'), textArg(ctx.args, 'properties'));

export default getUser;
