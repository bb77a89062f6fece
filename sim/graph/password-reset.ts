import { randomInt } from 'node:crypto';
import { isoSeconds } from '../clock.js';
import { PASSWORD_METHOD_ID } from '../data/auth-methods.js';
import { stableGuid } from '../data/ids.js';
import type { JsonObject, SimResponse } from '../types.js';
import { authUser } from './auth-methods.js';
import { graphBase, jsonBody, ok, requireDelegated, type GraphContext } from './context.js';
import { GraphError, graphErrors } from './errors.js';
import { checkPasswordComplexity } from './user-validation.js';

/** The polls an operation goes through: notStarted → running → succeeded. */
const STATES = ['notStarted', 'running', 'succeeded'] as const;

function generatedPassword(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const pick = (set: string) => set[randomInt(set.length)] as string;
  return `${pick(letters)}${pick(letters)}${pick(letters).toLowerCase()}${pick(letters)}${randomInt(1000, 9999)}`;
}

/**
 * POST /users/{id}/authentication/methods/{methodId}/resetPassword → 202 with Location and
 * Retry-After. Delegated admins only; not on the caller's own account.
 */
export function resetPassword(ctx: GraphContext): SimResponse {
  requireDelegated(ctx);
  const user = authUser(ctx);
  const methodId = ctx.params.methodId ?? '';
  if (methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw graphErrors.methodNotFound(methodId);
  if (ctx.principal.userId === user.id) {
    throw new GraphError(
      400,
      'badRequest',
      "Admins can't reset their own password with this API; use changePassword instead.",
    );
  }
  const text = ctx.body.toString('utf8').trim();
  const body: JsonObject = text === '' ? {} : jsonBody(ctx);
  const supplied = body.newPassword;
  if (supplied !== undefined && supplied !== null && typeof supplied !== 'string') {
    throw new GraphError(400, 'badRequest', "Invalid value for property 'newPassword'.");
  }
  if (typeof supplied === 'string') checkPasswordComplexity(supplied);
  const { state } = ctx;
  const now = state.clock.now();
  const operationId = stableGuid(`reset:${String(user.id)}`, state.operations.size + now);
  state.operations.set(operationId, {
    id: operationId,
    userId: String(user.id),
    createdMs: now,
    lastActionMs: now,
    polls: 0,
  });
  state.directory.update(String(user.id), { lastPasswordChangeDateTime: isoSeconds(now) });
  const location = `${graphBase(ctx)}/users/${String(user.id)}/authentication/operations/${operationId}?aadgdc=SIM01&aadgsu=ssprprod-sim`;
  const headers = { location, 'retry-after': String(state.operationRetryAfter) };
  if (typeof supplied === 'string') return ok({}, 202, headers);
  return ok(
    {
      '@odata.context': `${graphBase(ctx)}/$metadata#microsoft.graph.passwordResetResponse`,
      newPassword: generatedPassword(),
    },
    202,
    headers,
  );
}

/** GET /users/{id}/authentication/operations/{operationId}: advances one state per poll. */
export function getOperation(ctx: GraphContext): SimResponse {
  const user = authUser(ctx);
  const operation = ctx.state.operations.get((ctx.params.operationId ?? '').toLowerCase());
  if (!operation || operation.userId !== user.id) {
    throw graphErrors.methodNotFound(ctx.params.operationId ?? '');
  }
  const status = STATES[Math.min(operation.polls, STATES.length - 1)] as string;
  operation.polls++;
  if (operation.polls <= STATES.length) operation.lastActionMs = ctx.state.clock.now();
  const headers: Record<string, string> =
    status === 'succeeded' ? {} : { 'retry-after': String(ctx.state.operationRetryAfter) };
  return ok(
    {
      '@odata.context': `${graphBase(ctx)}/$metadata#users('${String(user.id)}')/authentication/operations/$entity`,
      id: operation.id,
      createdDateTime: new Date(operation.createdMs).toISOString(),
      lastActionDateTime: new Date(operation.lastActionMs).toISOString(),
      status,
      resourceLocation:
        status === 'succeeded'
          ? `${graphBase(ctx)}/users/${String(user.id)}/authentication/passwordMethods/${PASSWORD_METHOD_ID}`
          : null,
      statusDetail: null,
    },
    200,
    headers,
  );
}
