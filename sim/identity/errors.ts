import { randomUUID } from 'node:crypto';
import { aadTimestamp } from '../clock.js';
import { TENANT } from '../data/tenant.js';
import type { SimResponse } from '../types.js';

/**
 * An identity-platform error. Thrown by the token/authorize handlers and rendered in the
 * platform's shape: error, "AADSTSnnnn: ..." description with Trace/Correlation/Timestamp lines,
 * error_codes, timestamp, trace_id, correlation_id, error_uri.
 */
export class AadError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly code: number,
    readonly text: string,
  ) {
    super(`AADSTS${code}: ${text}`);
  }
}

export function aadErrorBody(err: AadError, nowMs: number, correlationId: string | undefined) {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = aadTimestamp(nowMs);
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}

export function aadErrorResponse(
  err: AadError,
  nowMs: number,
  correlationId?: string,
): SimResponse {
  const body = aadErrorBody(err, nowMs, correlationId);
  return {
    status: err.status,
    headers: { 'x-ms-request-id': body.trace_id, 'client-request-id': body.correlation_id },
    json: body,
  };
}

/** The catalogue of AADSTS errors the sim produces, with the platform's wording. */
export const aad = {
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  missingCredential: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownClient: (clientId: string, tenantName: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  badSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  unsupportedGrant: (grant: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    ),
  invalidScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  assertionInvalid: (reason: string) => new AadError(401, 'invalid_client', 700027, reason),
  assertionTime: (now: number, nbf: number, exp: number) =>
    new AadError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${new Date(nbf * 1000).toISOString()}, expiry time of assertion ${new Date(exp * 1000).toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  badCode: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code is malformed or was not issued by this tenant.",
    ),
  codeExpired: () =>
    new AadError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  codeRedeemed: () =>
    new AadError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  redirectMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      500112,
      'The reply address does not match the reply address provided when requesting Authorization code.',
    ),
  pkceMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  refreshUnknown: () =>
    new AadError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  refreshExpired: (issued: number, inactiveDays: number) =>
    new AadError(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(issued).toISOString()} and was inactive for ${inactiveDays}.00:00:00.`,
    ),
  refreshRevoked: (issued: number, validFrom: string) =>
    new AadError(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(issued).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom}'.`,
    ),
  grantClientMismatch: () =>
    new AadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  unknownResource: (resource: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${TENANT.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
};
