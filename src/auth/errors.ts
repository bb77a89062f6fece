/**
 * Identity-platform failures as user errors: `AADSTS<code>: <description>` without the trace and
 * correlation ids Entra appends, plus a hint that says which parameter to fix or what to run.
 * Codes and texts come from the token endpoint's error reference (graph-http-examples.md §10).
 */
import { UserError } from '../base/errors.js';
import type { Redactor } from '../base/redact.js';
import type { NetworkTrace } from './msal-network.js';

const REAUTHORIZE =
  'Run msgraph-user-auth-reset, then authorize again: run "msgraph-user login", or open the URL from msgraph-user-generate-login-url and paste the new code into "Authorization Code".';

/** Hints by AADSTS code. */
const HINTS: Record<number, string> = {
  7000215:
    'Check "Key": it must be the client secret\'s Value (not its Secret ID) of the application in "ID".',
  7000222:
    'The client secret in "Key" has expired: create a new one in the app registration and update "Key".',
  7000218:
    'The request carried no client secret or certificate: fill in "Key", or "Certificate Thumbprint" and "Private Key".',
  700016:
    'Check "ID" (the application (client) ID) and "Token" (the tenant ID): the application must be registered in, or consented to by, that tenant, in the selected Azure cloud.',
  90002:
    'The tenant was not found: check "Token" (the tenant ID or domain) and that "Azure Cloud" is the cloud the tenant lives in.',
  700024:
    "The signed client assertion is outside its valid time range: this host's clock is probably wrong (check NTP), or it took minutes to reach Entra ID.",
  700027:
    'The certificate assertion was rejected: check that "Certificate Thumbprint" matches the certificate uploaded to the app registration, and that "Private Key" is its key.',
  700082: `The refresh token expired after a long period without use. ${REAUTHORIZE}`,
  70008: `The refresh token or authorization code has expired. ${REAUTHORIZE}`,
  50173: `The grant was revoked (a password change or a sign-in session revocation). ${REAUTHORIZE}`,
  54005: `The authorization code was already redeemed; a code works once. ${REAUTHORIZE}`,
  70000: `The authorization code is invalid or has expired (codes last about 10 minutes). ${REAUTHORIZE}`,
  50011:
    'The redirect URI does not match one registered for the application: make "Redirect URI" exactly equal to the registered one.',
  65001:
    'The application has no consent for the requested permissions: grant admin consent in the app registration (API permissions).',
  500011:
    'Microsoft Graph has no service principal in this tenant, or the Azure cloud is wrong: check "Azure Cloud".',
  53003:
    'Conditional Access blocked the sign-in; ask your administrator to allow this application.',
};

export class AuthorizationError extends UserError {
  constructor(
    message: string,
    hint?: string,
    /** The first AADSTS code, when the identity platform gave one. */
    readonly aadsts?: number,
    /** The OAuth error (`invalid_client`, `invalid_grant`, ...). */
    readonly oauthError?: string,
    readonly status?: number,
  ) {
    super(message, hint);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Entra's description without the `Trace ID: / Correlation ID: / Timestamp:` tail. */
export function trimDescription(description: string): string {
  return description
    .split(/\r?\n|\s+(?=(?:Trace ID|Correlation ID|Timestamp):)/)
    .filter((line) => !/^\s*(Trace ID|Correlation ID|Timestamp):/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstCode(body: Record<string, unknown>, description: string): number | undefined {
  const codes = body.error_codes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const match = /AADSTS(\d+)/.exec(description);
  return match ? Number(match[1]) : undefined;
}

/** `AADSTS<code>: <description>` (or the OAuth error) from a token endpoint error body. */
export function describeIdentityError(body: Record<string, unknown>): {
  text: string;
  code?: number;
  error?: string;
} {
  const error =
    typeof body.error === 'string'
      ? body.error
      : isRecord(body.error)
        ? String(body.error.code ?? '')
        : '';
  const rawDescription =
    typeof body.error_description === 'string'
      ? body.error_description
      : isRecord(body.error) && typeof body.error.message === 'string'
        ? body.error.message
        : typeof body.message === 'string'
          ? body.message
          : '';
  const description = trimDescription(rawDescription);
  const code = firstCode(body, description);
  let text = description || error || 'the identity platform gave no error description';
  if (code !== undefined && !text.startsWith(`AADSTS${code}`)) text = `AADSTS${code}: ${text}`;
  return { text, code, error: error || undefined };
}

export function hintFor(code: number | undefined): string | undefined {
  return code === undefined ? undefined : HINTS[code];
}

/** An AuthorizationError for an identity-platform error body, redacted. */
export function identityError(
  body: Record<string, unknown>,
  status: number | undefined,
  redactor: Redactor,
  prefix = 'Error in Microsoft authorization: ',
): AuthorizationError {
  const { text, code, error } = describeIdentityError(body);
  return new AuthorizationError(
    redactor.redact(`${prefix}${text}`),
    hintFor(code),
    code,
    error,
    status,
  );
}

/** The fields of msal-common's AuthError / ServerError this module reads. */
interface MsalLikeError {
  errorCode?: unknown;
  errorMessage?: unknown;
  status?: unknown;
  message?: unknown;
}

/**
 * Turns whatever MSAL threw into a UserError: the transport failure or error body the network
 * module saw first (they are exact), else the AADSTS text inside MSAL's message.
 */
export function fromMsalError(error: unknown, trace: NetworkTrace, redactor: Redactor): UserError {
  if (error instanceof UserError) return error;
  if (trace.failure instanceof UserError) return trace.failure;
  if (trace.errorBody) return identityError(trace.errorBody, trace.errorStatus, redactor);
  const e = (isRecord(error) ? error : {}) as MsalLikeError;
  const message =
    typeof e.errorMessage === 'string' && e.errorMessage
      ? e.errorMessage
      : String(e.message ?? error);
  const aadsts =
    /AADSTS(\d+):[\s\S]*?(?=\s*-\s*Correlation ID:|\s*-\s*Trace ID:|\r?\nTrace ID:|$)/.exec(
      message,
    );
  if (aadsts) {
    const code = Number(aadsts[1]);
    const text = trimDescription(aadsts[0]);
    const status = typeof e.status === 'number' ? e.status : undefined;
    return new AuthorizationError(
      redactor.redact(`Error in Microsoft authorization: ${text}`),
      hintFor(code),
      code,
      String(e.errorCode ?? ''),
      status,
    );
  }
  const code = typeof e.errorCode === 'string' && e.errorCode ? `${e.errorCode}: ` : '';
  if (trace.failure) {
    return new UserError(
      redactor.redact(`Error in Microsoft authorization: ${trace.failure.message}`),
    );
  }
  return new AuthorizationError(
    redactor.redact(`Error in Microsoft authorization: ${code}${message}`),
  );
}
