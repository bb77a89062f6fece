/**
 * msgraph-user-assign-manager: PUT users/{user}/manager/$ref. The manager's reference is built
 * with graphPath, so an odd manager value stays one encoded segment (the reference interpolated
 * it raw). A 404 names which of the two does not exist.
 */
import type { GraphError } from '../src/graph/errors.js';
import { isNotFound } from '../src/graph/errors.js';
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { notFound } from '../src/command/results.js';
import { textArg } from './shared/args.js';
import { managerNotFoundNote, suppressNotFound, userNotFoundNote } from './shared/not-found.js';
import { actionResult, noteResult } from './shared/user-results.js';

/** Graph names the missing object in its message: `Resource '<id>' does not exist ...`. */
const names = (err: GraphError, value: string): boolean =>
  err.graphMessage.toLowerCase().includes(`'${value.toLowerCase()}'`);

const assignManager: Handler = async (ctx) => {
  const user = textArg(ctx.args, 'user');
  const manager = textArg(ctx.args, 'manager');
  const managerRef = ctx.graph.url(graphPath`users/${manager}`);
  try {
    await ctx.graph.request({
      method: 'PUT',
      path: graphPath`users/${user}/manager/$ref`,
      body: { '@odata.id': managerRef },
    });
  } catch (err) {
    if (!isNotFound(err) || !suppressNotFound(ctx)) throw err;
    const managerMissing = names(err as GraphError, manager) && !names(err as GraphError, user);
    return notFound(
      managerMissing
        ? noteResult(user, managerNotFoundNote(manager), 'Manager does not exist')
        : noteResult(user, userNotFoundNote(user)),
    );
  }
  return actionResult(
    user,
    `A manager was assigned to user "${user}". It might take several minutes for the changes to take affect across all applications.`,
    'Manager assigned',
  );
};

export default assignManager;
