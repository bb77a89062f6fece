/**
 * The reference integration's "Suppress Errors for Non Found Users" (`handle_error`, on by
 * default): a user-scoped command whose object does not exist answers a note instead of failing.
 * Unlike the reference, which matched the user's name anywhere in the error text, we decide on the
 * Graph answer itself: a 404 / Request_ResourceNotFound for the request that names the object.
 */
import { isNotFound } from '../../src/graph/errors.js';
import type { CommandContext } from '../../src/command/handler.js';

/** Whether not-found answers become notes (handle_error; the manifest defaults it to true). */
export const suppressNotFound = (ctx: CommandContext): boolean => ctx.instance.suppressNotFound;

export const userNotFoundNote = (user: string): string => `#### User -> ${user} does not exist`;
export const managerNotFoundNote = (manager: string): string =>
  `#### Manager -> ${manager} does not exist`;
export const methodNotFoundNote = (methodId: string, user: string): string =>
  `#### Did not find the method_id ${methodId} for user ${user}`;

/**
 * Runs `action`; when it fails because Graph says the object does not exist and handle_error is
 * on, returns `note` instead. Any other failure (or handle_error off) propagates as an error.
 */
export async function orNotFoundNote<T>(
  ctx: CommandContext,
  note: string,
  action: () => Promise<T>,
): Promise<T | string> {
  try {
    return await action();
  } catch (err) {
    if (isNotFound(err) && suppressNotFound(ctx)) return note;
    throw err;
  }
}
