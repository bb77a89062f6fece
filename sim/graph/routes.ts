import { routeTable, type Route } from '../router.js';
import { methodRoutes, mfaRequirements, signInPreferences } from './auth-methods.js';
import type { GraphHandler } from './context.js';
import { getOperation, resetPassword } from './password-reset.js';
import {
  assignManager,
  countMemberOf,
  directReports,
  getManager,
  listMemberOf,
  listOwnedDevices,
  memberOfGroups,
  removeManager,
  revokeSessions,
} from './relations.js';
import { addPassword, getServicePrincipal, listServicePrincipals } from './service-principals.js';
import {
  countUsers,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
  usersDelta,
} from './users.js';

/** Every Graph endpoint the sim serves, under both /v1.0 and /beta. */
const COMMON: Record<string, GraphHandler> = {
  'GET /users': listUsers,
  'POST /users': createUser,
  'GET /users/$count': countUsers,
  'GET /users/delta': usersDelta,
  'GET /users/{id}': getUser,
  'PATCH /users/{id}': updateUser,
  'DELETE /users/{id}': deleteUser,
  'GET /users/{id}/manager': getManager,
  'PUT /users/{id}/manager/$ref': assignManager,
  'DELETE /users/{id}/manager/$ref': removeManager,
  'GET /users/{id}/directReports': directReports,
  'GET /users/{id}/memberOf': listMemberOf,
  'GET /users/{id}/memberOf/$count': countMemberOf,
  'GET /users/{id}/memberOf/microsoft.graph.group': memberOfGroups,
  'GET /users/{id}/ownedDevices': listOwnedDevices,
  'POST /users/{id}/revokeSignInSessions': revokeSessions,
  ...methodRoutes(),
  'POST /users/{id}/authentication/methods/{methodId}/resetPassword': resetPassword,
  'GET /users/{id}/authentication/operations/{operationId}': getOperation,
  'GET /servicePrincipals': listServicePrincipals,
  'GET /servicePrincipals/{id}': getServicePrincipal,
  'POST /servicePrincipals/{id}/addPassword': addPassword,
};

/** Served on /beta only, as in Graph. */
const BETA_ONLY: Record<string, GraphHandler> = {
  'GET /users/{id}/authentication/signInPreferences': signInPreferences,
  'GET /users/{id}/authentication/requirements': mfaRequirements,
};

export const GRAPH_ROUTES: Route<GraphHandler>[] = [
  ...routeTable(COMMON, '/v1.0'),
  ...routeTable({ ...COMMON, ...BETA_ONLY }, '/beta'),
];
