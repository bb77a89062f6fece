/**
 * msgraph-user-create: POST /users, then GET the new user (Graph's full object) as
 * msgraph-user-get shows it. accountEnabled and forceChangePasswordNextSignIn are JSON booleans
 * (the reference sent the strings "true"/"false"), and other_properties are typed and split on
 * other_properties_delimiter.
 *
 * A POST that creates is never retried blindly (the HTTP layer retries it only on 429). When it
 * fails ambiguously (5xx, timeout, dropped connection) the user may exist anyway, so the UPN is
 * looked up before reporting the failure.
 */
import { GraphError, isNotFound } from '../src/graph/errors.js';
import type { GraphClient } from '../src/graph/types.js';
import { DEFAULT_RETRY } from '../src/http/retry.js';
import { isTransientTransportError, TransportError } from '../src/http/transport-error.js';
import type { Args } from '../src/manifest/arguments.js';
import type { CommandContext, Handler } from '../src/command/handler.js';
import { boolArg, textArg } from './shared/args.js';
import type { GraphObject } from './shared/outputs.js';
import { fetchUser } from './shared/user-lookup.js';
import { parseUserProperties, registerPasswords } from './shared/user-properties.js';
import { userResult } from './shared/user-results.js';

const isObject = (value: unknown): value is GraphObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The POST body: the required properties, with other_properties layered on top. */
export function createBody(args: Args): GraphObject {
  const other = textArg(args, 'other_properties');
  const extra = other
    ? parseUserProperties(
        other,
        textArg(args, 'other_properties_delimiter') || ',',
        'other_properties',
      )
    : {};
  const immutableId = textArg(args, 'on_premises_immutable_id');
  const passwordProfile = {
    forceChangePasswordNextSignIn: true,
    password: textArg(args, 'password'),
    ...(isObject(extra.passwordProfile) ? extra.passwordProfile : {}),
  };
  return {
    accountEnabled: boolArg(args, 'account_enabled', true),
    displayName: textArg(args, 'display_name'),
    mailNickname: textArg(args, 'mail_nickname'),
    userPrincipalName: textArg(args, 'user_principal_name'),
    ...(immutableId ? { onPremisesImmutableId: immutableId } : {}),
    ...extra,
    passwordProfile,
  };
}

/** A failure after which the request may or may not have been carried out. */
const isAmbiguous = (err: unknown): boolean =>
  (err instanceof GraphError && err.status >= 500) ||
  (err instanceof TransportError && isTransientTransportError(err));

/** The user with this UPN; null when Graph says there is none; undefined when unknown. */
async function existingUser(
  graph: GraphClient,
  upn: string,
): Promise<GraphObject | null | undefined> {
  try {
    return await fetchUser(graph, upn, '*');
  } catch (err) {
    return isNotFound(err) ? null : undefined;
  }
}

/** Creates sent in all while Graph fails ambiguously and the user does not exist: as many as any request gets. */
const CREATE_ATTEMPTS = DEFAULT_RETRY.maxAttempts;

interface Posted {
  /** The POST answer, or the user found by UPN after an ambiguous failure. */
  user: GraphObject;
  /** Set when the user was found after an ambiguous failure: the war room says so. */
  recovered?: string;
}

async function postUser(ctx: CommandContext, body: GraphObject, upn: string): Promise<Posted> {
  // Resends are paced like any retry (backoff with jitter, the runtime's time scale).
  const budget = ctx.graph.retryPolicy.begin();
  for (let attempt = 1; ; attempt++) {
    try {
      return {
        user: (await ctx.graph.request<GraphObject>({ method: 'POST', path: 'users', body })).body,
      };
    } catch (err) {
      // A resent create answered "already exists" may have met its own first attempt.
      const conflict =
        attempt > 1 && err instanceof GraphError && /already exists/i.test(err.graphMessage);
      const existing =
        isAmbiguous(err) || conflict ? await existingUser(ctx.graph, upn) : undefined;
      // Graph says no user has this UPN, so the failed POST created none; UPNs are unique, so
      // sending it again cannot create a second user.
      if (existing === null && attempt < CREATE_ATTEMPTS) {
        const wait = budget.next();
        if (wait === undefined) throw err;
        await ctx.graph.retryPolicy.sleep(wait);
        continue;
      }
      if (!existing) throw err;
      return recoveredPost(ctx, upn, existing, err);
    }
  }
}

function recoveredPost(
  ctx: CommandContext,
  upn: string,
  existing: GraphObject,
  err: unknown,
): Posted {
  const message = (err as Error).message;
  ctx.log.warn(`Creating ${upn} failed ambiguously (${message}); a user with that UPN exists.`);
  return {
    user: existing,
    recovered:
      `\nThe create request ended with an error (${message}), but a user with this user principal name ` +
      'exists: the request created it, or it existed before.\n',
  };
}

const create: Handler = async (ctx) => {
  const body = createBody(ctx.args);
  registerPasswords(body, ctx.addSecret);
  const upn = String(body.userPrincipalName);
  const posted = await postUser(ctx, body, upn);
  let user = posted.user;
  if (!posted.recovered) {
    try {
      user = await fetchUser(ctx.graph, upn, '*');
    } catch (err) {
      // The POST answer is the user Graph created; the GET only adds properties. Replication can
      // hide a new user for a moment, and a throttled GET must not report a created user as failed.
      if (!isObject(posted.user)) throw err;
      if (!isNotFound(err)) {
        ctx.log.warn(`Created ${upn}, but reading it back failed (${(err as Error).message}).`);
      }
    }
  }
  const result = userResult(
    ctx.outputsPrefix,
    `${upn} was created successfully:`,
    user,
    upn,
    'Created',
  );
  return { ...result, readable_output: `${result.readable_output ?? ''}${posted.recovered ?? ''}` };
};

export default create;
