import { memberOf, ownedDevices } from '../data/org.js';
import { DEVICE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../data/schema.js';
import type { JsonObject, SimResponse } from '../types.js';
import {
  arraySource,
  contextUrl,
  countResponse,
  listResponse,
  parseSelect,
  project,
} from './collection.js';
import {
  graphBase,
  hasEventualConsistency,
  jsonBody,
  noContent,
  ok,
  userParam,
  type GraphContext,
} from './context.js';
import { GraphError, graphErrors } from './errors.js';

const asDirectoryObject = (user: JsonObject): JsonObject => ({
  '@odata.type': '#microsoft.graph.user',
  ...user,
});

export function getManager(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const manager = ctx.state.org.managerOf(String(user.id));
  if (!manager) throw graphErrors.notFound('manager');
  const select = parseSelect(ctx, USER_SCHEMA);
  return ok({
    '@odata.context': contextUrl(ctx, 'directoryObjects', select, true),
    ...project(asDirectoryObject(manager), select, USER_SCHEMA),
  });
}

/** PUT /users/{id}/manager/$ref with {"@odata.id": ".../users/{managerId}"}. */
export function assignManager(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const body = jsonBody(ctx);
  const ref = body['@odata.id'];
  if (typeof ref !== 'string' || ref === '') {
    throw new GraphError(
      400,
      'BadRequest',
      "The request body must contain an '@odata.id' reference.",
    );
  }
  const match = /\/(?:users|directoryObjects)\/([^/?]+)\/?$/i.exec(ref) ?? /^([^/?]+)$/.exec(ref);
  let key = match?.[1] ?? '';
  try {
    key = decodeURIComponent(key);
  } catch {
    // keep the raw key; the lookup below reports it
  }
  key = key.replace(/^\('(.*)'\)$/, '$1');
  const manager = ctx.state.directory.resolve(key);
  if (!manager) throw graphErrors.notFound(key || ref);
  if (manager.id === user.id) {
    throw graphErrors.badRequest('Invalid manager: a user cannot be their own manager.');
  }
  ctx.state.org.assignManager(String(user.id), String(manager.id));
  ctx.state.directory.update(String(user.id), {});
  return noContent();
}

export function removeManager(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  if (!ctx.state.org.managerOf(String(user.id))) throw graphErrors.notFound('manager');
  ctx.state.org.removeManager(String(user.id));
  return noContent();
}

export function directReports(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const reports = ctx.state.org.directReportsOf(String(user.id)).map(asDirectoryObject);
  return listResponse(ctx, arraySource(reports), {
    schema: USER_SCHEMA,
    contextPath: 'directoryObjects',
  });
}

export function listMemberOf(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const groups = memberOf(ctx.state.directory, String(user.id));
  return listResponse(ctx, arraySource(groups), {
    schema: GROUP_SCHEMA,
    contextPath: 'directoryObjects',
  });
}

export function countMemberOf(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  return countResponse(
    ctx,
    arraySource(memberOf(ctx.state.directory, String(user.id))),
    GROUP_SCHEMA,
  );
}

/** GET /users/{id}/memberOf/microsoft.graph.group: an OData cast, an advanced query in Graph. */
export function memberOfGroups(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const counted = (ctx.query.get('$count') ?? '').toLowerCase() === 'true';
  if (!ctx.query.has('$skiptoken') && !(hasEventualConsistency(ctx) && counted)) {
    throw graphErrors.unsupportedQuery(
      'OData cast on this collection is only supported as an advanced query: add $count=true and the ConsistencyLevel: eventual header.',
    );
  }
  const groups = memberOf(ctx.state.directory, String(user.id))
    .filter((g) => g['@odata.type'] === '#microsoft.graph.group')
    .map(({ ['@odata.type']: _type, ...group }) => group);
  return listResponse(ctx, arraySource(groups), {
    schema: GROUP_SCHEMA,
    contextPath: 'groups',
    orderBy: ['displayName'],
  });
}

export function listOwnedDevices(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const devices = ownedDevices(ctx.state.directory, user);
  return listResponse(ctx, arraySource(devices), {
    schema: DEVICE_SCHEMA,
    contextPath: 'directoryObjects',
  });
}

/** Resets signInSessionsValidFromDateTime; refresh tokens issued before it stop working. */
export function revokeSessions(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  ctx.state.directory.update(String(user.id), {
    signInSessionsValidFromDateTime: new Date(ctx.state.clock.now()).toISOString(),
  });
  return ok({ '@odata.context': `${graphBase(ctx)}/$metadata#Edm.Boolean`, value: true });
}
