import { randomInt } from 'node:crypto';
import { isoSeconds } from '../clock.js';
import { METHOD_KINDS, type MethodKind, type StoredMethod } from '../data/auth-methods.js';
import { stableGuid } from '../data/ids.js';
import { AUTH_METHOD_SCHEMA } from '../data/schema.js';
import type { JsonObject, SimResponse } from '../types.js';
import { arraySource, listResponse } from './collection.js';
import {
  graphBase,
  jsonBody,
  noContent,
  ok,
  type GraphContext,
  type GraphHandler,
} from './context.js';
import { GraphError, graphErrors } from './errors.js';

/** The user behind /users/{id}/authentication/...; this API words its 404 differently. */
export function authUser(ctx: GraphContext): JsonObject {
  const user = ctx.state.directory.resolve(ctx.params.id ?? '');
  if (!user) throw graphErrors.authUserNotFound();
  return user;
}

/** A method as served: @odata.type first, and TAP usability computed for "now". */
function view(method: StoredMethod, nowMs: number): JsonObject {
  const out: JsonObject = { '@odata.type': METHOD_KINDS[method.kind].odataType, ...method.data };
  if (method.kind === 'temporaryAccessPass') {
    const start = Date.parse(String(method.data.startDateTime));
    const end = start + Number(method.data.lifetimeInMinutes) * 60_000;
    out.isUsable = nowMs >= start && nowMs < end;
    out.methodUsabilityReason =
      nowMs < start ? 'NotYetValid' : nowMs >= end ? 'Expired' : 'InEffect';
  }
  return out;
}

const contextPath = (user: JsonObject, segment: string) =>
  `users('${String(user.id)}')/authentication/${segment}`;

export function listAllMethods(ctx: GraphContext): SimResponse {
  const user = authUser(ctx);
  const now = ctx.state.clock.now();
  const methods = ctx.state.methods.list(user).map((m) => view(m, now));
  return listResponse(ctx, arraySource(methods), {
    schema: AUTH_METHOD_SCHEMA,
    contextPath: contextPath(user, 'methods'),
    raw: true,
  });
}

function listKind(kind: MethodKind): GraphHandler {
  return (ctx) => {
    const user = authUser(ctx);
    const now = ctx.state.clock.now();
    const methods = ctx.state.methods
      .list(user)
      .filter((m) => m.kind === kind)
      .map((m) => view(m, now));
    return listResponse(ctx, arraySource(methods), {
      schema: AUTH_METHOD_SCHEMA,
      contextPath: contextPath(user, METHOD_KINDS[kind].segment),
      raw: true,
    });
  };
}

function findMethod(
  ctx: GraphContext,
  user: JsonObject,
  kind: MethodKind | undefined,
): StoredMethod {
  const methodId = ctx.params.methodId ?? '';
  const method = ctx.state.methods
    .list(user)
    .find(
      (m) =>
        (kind === undefined || m.kind === kind) &&
        String(m.data.id).toLowerCase() === methodId.toLowerCase(),
    );
  if (!method) throw graphErrors.methodNotFound(methodId);
  return method;
}

function getKind(kind: MethodKind | undefined): GraphHandler {
  return (ctx) => {
    const user = authUser(ctx);
    const method = findMethod(ctx, user, kind);
    const segment = kind ? METHOD_KINDS[kind].segment : 'methods';
    return ok({
      '@odata.context': `${graphBase(ctx)}/$metadata#${contextPath(user, segment)}/$entity`,
      ...view(method, ctx.state.clock.now()),
    });
  };
}

const PHONE_FOR_PREFERENCE: Record<string, string> = {
  sms: 'mobile',
  voiceMobile: 'mobile',
  voiceAlternateMobile: 'alternateMobile',
  voiceOffice: 'office',
};

/** The documented phone rules: not the default MFA method, and no mobile while an alternate exists. */
function checkPhoneDeletion(ctx: GraphContext, user: JsonObject, method: StoredMethod): void {
  const preferred = ctx.state.methods.preferredMethod(user);
  if (preferred && PHONE_FOR_PREFERENCE[preferred] === method.data.phoneType) {
    throw new GraphError(
      400,
      'badRequest',
      "The phone number is the user's default multifactor authentication method and can't be deleted. Change the default method first.",
    );
  }
  const hasAlternate = ctx.state.methods
    .list(user)
    .some((m) => m.kind === 'phone' && m.data.phoneType === 'alternateMobile');
  if (method.data.phoneType === 'mobile' && hasAlternate) {
    throw new GraphError(
      400,
      'badRequest',
      "A user can't have an alternate phone number without a mobile phone number. Delete the alternateMobile phone method first.",
    );
  }
}

function deleteKind(kind: MethodKind): GraphHandler {
  return (ctx) => {
    const user = authUser(ctx);
    const method = findMethod(ctx, user, kind);
    if (kind === 'phone') checkPhoneDeletion(ctx, user, method);
    ctx.state.methods.remove(user, kind, String(method.data.id));
    return noContent();
  };
}

const TAP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%+=';

/** POST temporaryAccessPassMethods: the pass is returned once, then only as null. */
export function createTap(ctx: GraphContext): SimResponse {
  const user = authUser(ctx);
  const body = jsonBody(ctx);
  for (const key of Object.keys(body)) {
    if (!['startDateTime', 'lifetimeInMinutes', 'isUsableOnce', '@odata.type'].includes(key)) {
      throw new GraphError(
        400,
        'badRequest',
        `Property '${key}' does not exist on type 'microsoft.graph.temporaryAccessPassAuthenticationMethod'.`,
      );
    }
  }
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (
    typeof lifetime !== 'number' ||
    !Number.isInteger(lifetime) ||
    lifetime < 10 ||
    lifetime > 43200
  ) {
    throw new GraphError(
      400,
      'badRequest',
      'The lifetime of the Temporary Access Pass must be between 10 and 43200 minutes.',
    );
  }
  const once = body.isUsableOnce ?? false;
  if (typeof once !== 'boolean') {
    throw new GraphError(400, 'badRequest', "Invalid value for property 'isUsableOnce'.");
  }
  const now = ctx.state.clock.now();
  const startRaw = body.startDateTime ?? null;
  const start = startRaw === null ? now : typeof startRaw === 'string' ? Date.parse(startRaw) : NaN;
  if (Number.isNaN(start)) {
    throw new GraphError(400, 'badRequest', "Invalid value for property 'startDateTime'.");
  }
  const existing = ctx.state.methods.list(user).filter((m) => m.kind === 'temporaryAccessPass');
  // Creating a pass replaces the user's previous one (a user has at most one).
  for (const old of existing) {
    ctx.state.methods.remove(user, 'temporaryAccessPass', String(old.data.id));
  }
  const secret = Array.from({ length: 8 }, () => TAP_ALPHABET[randomInt(TAP_ALPHABET.length)]).join(
    '',
  );
  const data: JsonObject = {
    id: stableGuid(`tap:${String(user.id)}`, ctx.state.clock.now()),
    temporaryAccessPass: null,
    createdDateTime: new Date(now).toISOString(),
    startDateTime: isoSeconds(start),
    lifetimeInMinutes: lifetime,
    isUsableOnce: once,
  };
  ctx.state.methods.add(user, { kind: 'temporaryAccessPass', data });
  const created = view(
    { kind: 'temporaryAccessPass', data: { ...data, temporaryAccessPass: secret } },
    now,
  );
  return ok(
    {
      '@odata.context': `${graphBase(ctx)}/$metadata#${contextPath(user, 'temporaryAccessPassMethods')}/$entity`,
      ...created,
    },
    201,
  );
}

/** Route entries for every method kind: list, get by id and (except passwords) delete. */
export function methodRoutes(): Record<string, GraphHandler> {
  const table: Record<string, GraphHandler> = {
    'GET /users/{id}/authentication/methods': listAllMethods,
    'GET /users/{id}/authentication/methods/{methodId}': getKind(undefined),
    'POST /users/{id}/authentication/temporaryAccessPassMethods': createTap,
  };
  for (const [kind, { segment }] of Object.entries(METHOD_KINDS) as [
    MethodKind,
    { segment: string },
  ][]) {
    table[`GET /users/{id}/authentication/${segment}`] = listKind(kind);
    table[`GET /users/{id}/authentication/${segment}/{methodId}`] = getKind(kind);
    if (kind !== 'password') {
      table[`DELETE /users/{id}/authentication/${segment}/{methodId}`] = deleteKind(kind);
    }
  }
  return table;
}

/** beta: GET /users/{id}/authentication/signInPreferences */
export function signInPreferences(ctx: GraphContext): SimResponse {
  const user = authUser(ctx);
  const preferred = ctx.state.methods.preferredMethod(user);
  const methods = ctx.state.methods.list(user);
  const system = methods.some((m) => m.kind === 'fido2')
    ? 'Fido2'
    : methods.some((m) => m.kind === 'microsoftAuthenticator')
      ? 'Push'
      : methods.some((m) => m.kind === 'phone')
        ? 'Sms'
        : null;
  return ok({
    '@odata.context': `${graphBase(ctx)}/$metadata#users('${String(user.id)}')/authentication/signInPreferences/$entity`,
    isSystemPreferredAuthenticationMethodEnabled: true,
    userPreferredMethodForSecondaryAuthentication: preferred,
    systemPreferredAuthenticationMethod: system,
  });
}

/** beta: GET /users/{id}/authentication/requirements (per-user MFA state). */
export function mfaRequirements(ctx: GraphContext): SimResponse {
  const user = authUser(ctx);
  const enforced = ctx.state.directory.namedKeyOf(String(user.id)) !== undefined;
  return ok({
    '@odata.context': `${graphBase(ctx)}/$metadata#users('${String(user.id)}')/authentication/requirements/$entity`,
    perUserMfaState: enforced ? 'enforced' : 'disabled',
  });
}
