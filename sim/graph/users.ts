import { isoSeconds } from '../clock.js';
import type { Directory } from '../data/directory.js';
import { stableGuid } from '../data/ids.js';
import { USER_SCHEMA } from '../data/schema.js';
import { TENANT } from '../data/tenant.js';
import type { JsonObject, SimResponse } from '../types.js';
import {
  contextUrl,
  countResponse,
  listResponse,
  parseSelect,
  project,
  type EntitySource,
} from './collection.js';
import { graphBase, jsonBody, noContent, ok, userParam, type GraphContext } from './context.js';
import { graphErrors } from './errors.js';
import { evaluateFilter, parseFilter } from './odata-filter.js';
import { storedPasswordProfile, upnConflict, validateUserBody } from './user-validation.js';

const sources = new WeakMap<Directory, EntitySource>();

/** One stable source object per directory, so $orderby can cache its sort. */
export function usersSource(directory: Directory): EntitySource {
  let source = sources.get(directory);
  if (!source) {
    source = {
      get size() {
        return directory.size;
      },
      at: (position) => directory.at(position),
      // id and userPrincipalName are looked up, not scanned (mail can differ from the UPN).
      lookup: (prop, value) => {
        if ((prop !== 'id' && prop !== 'userPrincipalName') || typeof value !== 'string') {
          return undefined;
        }
        const position = directory.positionOf(value);
        return position === undefined ? [] : [position];
      },
    };
    sources.set(directory, source);
  }
  return source;
}

export function listUsers(ctx: GraphContext): SimResponse {
  const directory = ctx.state.directory;
  return listResponse(
    ctx,
    usersSource(directory),
    {
      schema: USER_SCHEMA,
      contextPath: 'users',
      orderBy: ['displayName', 'userPrincipalName'],
      search: true,
      liveCount: () => directory.activeCount,
    },
    directory.changeNumber,
  );
}

export const countUsers = (ctx: GraphContext): SimResponse =>
  countResponse(
    ctx,
    usersSource(ctx.state.directory),
    USER_SCHEMA,
    () => ctx.state.directory.activeCount,
  );

export function getUser(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const select = parseSelect(ctx, USER_SCHEMA);
  return ok({
    '@odata.context': contextUrl(ctx, 'users', select, true),
    ...project(user, select, USER_SCHEMA),
  });
}

export function createUser(ctx: GraphContext): SimResponse {
  const body = jsonBody(ctx);
  validateUserBody(body, 'create');
  const { state } = ctx;
  const upn = String(body.userPrincipalName);
  if (state.directory.upnTaken(upn)) throw upnConflict();
  const now = isoSeconds(state.clock.now());
  const user: JsonObject = {};
  for (const [prop, spec] of Object.entries(USER_SCHEMA.props)) {
    user[prop] = spec.type === 'stringArray' || spec.type === 'objectArray' ? [] : null;
  }
  Object.assign(user, stripAnnotations(body), {
    id: stableGuid('created-user', ++state.createdUsers),
    createdDateTime: now,
    lastPasswordChangeDateTime: now,
    signInSessionsValidFromDateTime: now,
    identities: [{ signInType: 'userPrincipalName', issuer: TENANT.domain, issuerAssignedId: upn }],
    passwordProfile: storedPasswordProfile(undefined, body.passwordProfile as JsonObject),
    userType: body.userType ?? 'Member',
  });
  const created = state.directory.create(user);
  // The documented 201 body: @odata.context, id, then the default property set.
  return ok(
    {
      '@odata.context': `${graphBase(ctx)}/$metadata#users/$entity`,
      ...project(created, ['id', ...(USER_SCHEMA.defaultSelect ?? [])], USER_SCHEMA),
    },
    201,
    {
      location: `${graphBase(ctx)}/users/${String(created.id)}`,
    },
  );
}

function stripAnnotations(body: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !key.startsWith('@odata.')));
}

export function updateUser(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  const body = jsonBody(ctx);
  validateUserBody(body, 'update');
  const { state } = ctx;
  const patch = stripAnnotations(body);
  const profile = body.passwordProfile;
  if (profile && typeof profile === 'object' && !Array.isArray(profile)) {
    // Setting another user's password needs a delegated admin; app-only tokens are refused.
    if (typeof profile.password === 'string') {
      if (ctx.principal.kind !== 'delegated') throw graphErrors.denied();
      patch.lastPasswordChangeDateTime = isoSeconds(state.clock.now());
    }
    patch.passwordProfile = storedPasswordProfile(user.passwordProfile, profile);
  }
  if (
    typeof patch.userPrincipalName === 'string' &&
    state.directory.upnTaken(patch.userPrincipalName, String(user.id))
  ) {
    throw upnConflict();
  }
  state.directory.update(String(user.id), patch);
  return noContent();
}

export function deleteUser(ctx: GraphContext): SimResponse {
  const user = userParam(ctx);
  ctx.state.directory.remove(String(user.id));
  return noContent();
}

interface DeltaCursor {
  position: number;
  since: number;
}

const DELTA_PAGE = 200;

/** GET /users/delta: an initial paged round ending in a deltaLink, then changes since the token. */
export function usersDelta(ctx: GraphContext): SimResponse {
  const { directory } = ctx.state;
  const select = parseSelect(ctx, USER_SCHEMA);
  const props = select ? ['id', ...select.filter((p) => p !== 'id')] : undefined;
  const rawFilter = ctx.query.get('$filter');
  const filter = rawFilter ? parseFilter(rawFilter, USER_SCHEMA) : undefined;
  const keep = (user: JsonObject) => !filter || evaluateFilter(filter.root, user);
  const link = (param: string, value: string) => {
    const selectPart = ctx.query.get('$select')
      ? `$select=${encodeURIComponent(ctx.query.get('$select') ?? '')}&`
      : '';
    return `${graphBase(ctx)}/users/delta?${selectPart}${param}=${value}`;
  };
  const body: JsonObject = { '@odata.context': contextUrl(ctx, 'users', select) };
  const deltaToken = ctx.query.get('$deltatoken');
  if (deltaToken !== null) {
    const since = Number(Buffer.from(deltaToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(since)) throw graphErrors.badRequest('Invalid delta token.');
    body.value = directory.changedSince(since).flatMap(({ id, user }) => {
      if (!user) return [{ id, '@removed': { reason: 'changed' } }];
      return keep(user) ? [project(user, props, USER_SCHEMA)] : [];
    });
    body['@odata.deltaLink'] = link(
      '$deltatoken',
      Buffer.from(String(directory.changeNumber)).toString('base64url'),
    );
    return ok(body);
  }
  const skip = ctx.query.get('$skiptoken');
  const cursor: DeltaCursor = skip
    ? decodeDeltaCursor(skip)
    : { position: 0, since: directory.changeNumber };
  const items: JsonObject[] = [];
  let position = cursor.position;
  for (; position < directory.size && items.length < DELTA_PAGE; position++) {
    const user = directory.at(position);
    if (user && keep(user)) items.push(project(user, props, USER_SCHEMA));
  }
  body.value = items;
  if (position < directory.size) {
    const next: DeltaCursor = { position, since: cursor.since };
    body['@odata.nextLink'] = link(
      '$skiptoken',
      Buffer.from(JSON.stringify(next)).toString('base64url'),
    );
  } else {
    body['@odata.deltaLink'] = link(
      '$deltatoken',
      Buffer.from(String(cursor.since)).toString('base64url'),
    );
  }
  return ok(body);
}

function decodeDeltaCursor(raw: string): DeltaCursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaCursor;
    if (Number.isInteger(cursor.position) && Number.isInteger(cursor.since)) return cursor;
  } catch {
    // reported below
  }
  throw graphErrors.badRequest(`Invalid skip token '${raw}'.`);
}
