/**
 * The Azure MFA service (anchor-msgraph-user.md §2.5), which is not a Graph API: a client secret
 * of the tenant's "Azure Multi-Factor Auth Client" service principal buys a v1 token for the strong
 * authentication service, whose BeginTwoWayAuthentication call (the NPS extension's protocol)
 * pushes a notification to the user's Authenticator app and holds the call open until the answer.
 *
 * Both calls go to the configured cloud's hosts through the one HTTP layer (proxy, TLS, timeouts,
 * retries, redaction); the reference hard-coded the worldwide hosts and bypassed those settings.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEndpoints } from '../auth/clouds.js';
import { nowSeconds, type Clock } from '../base/clock.js';
import { UserError } from '../base/errors.js';
import { TransportError } from '../http/transport-error.js';
import type { HttpClient } from '../http/types.js';
import {
  parseTwoWayAuthenticationResponse,
  twoWayAuthenticationRequest,
  type TwoWayAuthenticationResult,
} from './two-way-auth.js';

/** The Azure Multi-Factor Auth Client application: the same app ID in every tenant. */
export const MFA_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';

export interface MfaToken {
  token: string;
  /** Epoch seconds. */
  expiresOn: number;
  /** Epoch seconds. */
  obtainedAt: number;
}

export interface MfaService {
  /** A token for the strong authentication service, bought with the MFA app's client secret. */
  requestToken(tenant: string, clientSecret: string): Promise<MfaToken>;
  /**
   * Pushes a request to `userPrincipalName` and waits at most `timeoutSeconds` for the answer.
   * Resolves with the answer, or 'timeout' when none came in time.
   */
  pushRequest(
    token: string,
    userPrincipalName: string,
    timeoutSeconds: number,
  ): Promise<TwoWayAuthenticationResult | 'timeout'>;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_on?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * A field of the answer as text. Entra sends strings, but a proxy or another service in its place
 * may send `{"error": {"code": …, "message": …}}`, which a template literal prints as
 * "[object Object]".
 */
function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const { code, message } = value as { code?: unknown; message?: unknown };
  if (typeof code === 'string' || typeof message === 'string') {
    return [code, message].filter((part) => typeof part === 'string' && part).join(': ');
  }
  return JSON.stringify(value);
}

function parseAnswer(text: string): TokenAnswer {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TokenAnswer) : {};
  } catch {
    return {};
  }
}

/** A response body for an error message: trimmed and bounded. */
export function shortBody(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

/** The token endpoint's failure, with what to do for the usual causes. */
function tokenError(status: number, answer: TokenAnswer, text: string): UserError {
  const error = fieldText(answer.error);
  const what = error
    ? shortBody(`${error}: ${fieldText(answer.error_description)}`.replace(/:\s*$/, ''))
    : shortBody(text);
  const badSecret = error === 'invalid_client' || error === 'unauthorized_client';
  return new UserError(
    `Error obtaining access token: [${status}] ${what}`,
    badSecret
      ? 'The MFA client secret is wrong, expired or not active yet (a new secret takes 30-60 seconds): run msgraph-user-create-mfa-client-secret, wait a minute and try again.'
      : undefined,
  );
}

export function createMfaService(deps: {
  http: HttpClient;
  cloud: CloudEndpoints;
  clock: Clock;
}): MfaService {
  const { http, cloud, clock } = deps;
  return {
    async requestToken(tenant, clientSecret) {
      const form = new URLSearchParams({
        resource: `${cloud.mfaResource}/StrongAuthenticationService.svc/Connector`,
        client_id: MFA_APP_ID,
        client_secret: clientSecret,
        grant_type: 'client_credentials',
        scope: 'openid',
      });
      const response = await http.send({
        method: 'POST',
        url: `${cloud.loginUrl}/${encodeURIComponent(tenant)}/oauth2/token`,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
        // Asking for a token twice is harmless, so 5xx and timeouts may be retried too.
        retry: 'idempotent',
      });
      const answer = parseAnswer(response.body);
      if (
        response.status !== 200 ||
        typeof answer.access_token !== 'string' ||
        !answer.access_token
      ) {
        throw tokenError(response.status, answer, response.body);
      }
      const obtainedAt = nowSeconds(clock);
      const expiresOn =
        Number(answer.expires_on) || obtainedAt + (Number(answer.expires_in) || 3600);
      return { token: answer.access_token, expiresOn, obtainedAt };
    },

    async pushRequest(token, userPrincipalName, timeoutSeconds) {
      const failed = (detail: string, hint?: string) =>
        new UserError(`Failed to pop MFA request for user ${userPrincipalName}: ${detail}`, hint);
      let response;
      try {
        response = await http.send({
          method: 'POST',
          url: `${cloud.mfaServiceUrl}/StrongAuthenticationService.svc/Connector//BeginTwoWayAuthentication`,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/xml' },
          body: twoWayAuthenticationRequest(userPrincipalName, randomUUID()),
          timeoutMs: timeoutSeconds * 1000,
        });
      } catch (err) {
        // The service holds the call open until the user answers: a timeout means no answer.
        if (err instanceof TransportError && err.kind === 'timeout') return 'timeout';
        throw err;
      }
      if (response.status < 200 || response.status >= 300) {
        throw failed(
          `Error sending MFA challenge: [${response.status}] ${shortBody(response.body)}`,
          response.status === 401
            ? 'The MFA access token is invalid or expired: run msgraph-user-create-mfa-client-access-token again.'
            : undefined,
        );
      }
      const result = parseTwoWayAuthenticationResponse(response.body);
      if (!result) {
        throw failed(
          `Error: Could not parse MFA response.\nRaw Response:\n${shortBody(response.body)}`,
        );
      }
      return result;
    },
  };
}
