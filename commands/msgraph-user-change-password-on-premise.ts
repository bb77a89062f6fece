/**
 * msgraph-user-change-password-on-premise: resets the password through the user's password
 * authentication method (written back to on-premises AD), a long-running operation:
 *   GET passwordMethods -> POST methods/{id}/resetPassword (202 + Location) -> poll Location.
 * One run polls within a bounded budget (shared/polling.ts); if the operation is still running it
 * returns the status with a scheduled re-run that carries `user` and `polling_url` (the reference
 * renamed `user` to `user_id` for re-runs and lost it). A run given `polling_url` only checks that
 * operation. The password never leaves this run: re-runs do not carry it, and a password Graph
 * generates is registered as a secret and never shown.
 */
import { graphPath } from '../src/graph/path.js';
import type { GraphResponse } from '../src/graph/types.js';
import type { Args } from '../src/manifest/arguments.js';
import { UserError } from '../src/base/errors.js';
import type { CommandContext, Handler } from '../src/command/handler.js';
import { textArg } from './shared/args.js';
import type { GraphObject } from './shared/outputs.js';
import { defaultPollClock, pollWait, type PollClock } from './shared/polling.js';
import { forUser, type Result } from './shared/user-results.js';

export const COMMAND = 'msgraph-user-change-password-on-premise';
/** Seconds before a scheduled re-run checks the operation again. */
export const RERUN_SECONDS = 30;

interface Operation {
  status?: string;
  statusDetail?: string;
  error?: { message?: string };
}

/** The reference's rule: one of password / nonsensitive_password, or both with the same value. */
export function passwordArg(args: Args): string {
  const sensitive = textArg(args, 'password');
  const nonsensitive = textArg(args, 'nonsensitive_password');
  if (!sensitive && !nonsensitive) {
    throw new UserError(
      "Password is required. Please provide either 'password' (sensitive) or 'nonsensitive_password' argument.",
    );
  }
  if (sensitive && nonsensitive && sensitive !== nonsensitive) {
    throw new UserError(
      "Conflicting passwords provided. The 'password' and 'nonsensitive_password' arguments must have the same value, or use only one of them.",
    );
  }
  return sensitive || nonsensitive;
}

async function passwordMethodId(ctx: CommandContext, user: string): Promise<string> {
  const { body } = await ctx.graph.request<{ value?: GraphObject[] }>({
    method: 'GET',
    path: graphPath`users/${user}/authentication/passwordMethods`,
  });
  const id = body?.value?.[0]?.id;
  if (typeof id !== 'string' || !id) {
    throw new UserError(
      `Failed getting passwordMethod id: Graph listed no password method for user ${user}.`,
    );
  }
  return id;
}

const checkOperation = (
  ctx: CommandContext,
  url: string,
): Promise<GraphResponse<Operation | undefined>> =>
  ctx.graph.request<Operation | undefined>({ method: 'GET', path: url });

const statusOf = (operation: Operation): string => String(operation.status ?? 'unknown');

function operationResult(prefix: string, user: string, url: string, operation: Operation): Result {
  const status = statusOf(operation);
  const outputs = { user, status, polling_url: url };
  const base = {
    outputs_prefix: prefix,
    outputs_key_field: 'polling_url',
    outputs,
    raw_response: operation,
    bulk_row: { User: user, Result: status },
  };
  switch (status.toLowerCase()) {
    case 'succeeded':
      return { ...base, readable_output: `Password reset **succeeded** for user **${user}**.` };
    case 'failed':
    case 'canceled': {
      const details =
        operation.error?.message || operation.statusDetail || 'No specific error message.';
      throw new UserError(`Password reset **failed** for user **${user}**. Details: ${details}`);
    }
    default:
      return {
        ...base,
        readable_output: `Password reset status for **${user}** is **${status}**. Still waiting...`,
        scheduled_command: {
          command: COMMAND,
          nextRunInSeconds: RERUN_SECONDS,
          args: { user, polling_url: url },
          timeoutInSeconds: 600,
        },
      };
  }
}

const isTerminal = (operation: Operation): boolean =>
  ['succeeded', 'failed', 'canceled'].includes(statusOf(operation).toLowerCase());

/** Polls until the operation ends or the clock's budget is spent. */
async function pollOperation(
  ctx: CommandContext,
  clock: PollClock,
  url: string,
  retryAfter: string | undefined,
): Promise<Operation> {
  const task = ctx.progress.begin('Waiting for the password reset');
  let operation: Operation = { status: 'notStarted' };
  let spent = 0;
  let wait = pollWait(clock, retryAfter);
  try {
    while (spent + wait <= clock.budgetMs) {
      await clock.sleep(wait);
      spent += wait;
      const response = await checkOperation(ctx, url);
      operation = response.body ?? {};
      task.advance(1, statusOf(operation));
      if (isTerminal(operation)) break;
      wait = pollWait(clock, response.headers['retry-after']);
    }
  } finally {
    task.end();
  }
  return operation;
}

async function startReset(
  ctx: CommandContext,
  user: string,
  password: string,
): Promise<GraphResponse<GraphObject | undefined>> {
  const methodId = textArg(ctx.args, 'password_method_id') || (await passwordMethodId(ctx, user));
  const started = await ctx.graph.request<GraphObject | undefined>({
    method: 'POST',
    path: graphPath`users/${user}/authentication/methods/${methodId}/resetPassword`,
    body: { newPassword: password },
  });
  // Graph generates a password when none is sent; it must never reach any output.
  if (typeof started.body?.newPassword === 'string') ctx.addSecret(started.body.newPassword);
  return started;
}

export function changePasswordOnPremise(
  clockFor: (ctx: CommandContext) => PollClock = defaultPollClock,
): Handler {
  return async (ctx) => {
    const user = textArg(ctx.args, 'user');
    const pollingUrl = textArg(ctx.args, 'polling_url');
    if (pollingUrl) {
      return operationResult(
        ctx.outputsPrefix,
        user,
        pollingUrl,
        (await checkOperation(ctx, pollingUrl)).body ?? {},
      );
    }
    const password = passwordArg(ctx.args);
    ctx.addSecret(password);
    return forUser(ctx, user, async () => {
      const started = await startReset(ctx, user, password);
      const url = started.headers.location;
      if (!url) {
        throw new UserError(
          `Failed to get polling URL (Location header) from the API response for user ${user}.`,
        );
      }
      const operation = await pollOperation(
        ctx,
        clockFor(ctx),
        url,
        started.headers['retry-after'],
      );
      return operationResult(ctx.outputsPrefix, user, url, operation);
    });
  };
}

export default changePasswordOnPremise();
