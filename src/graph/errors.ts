/**
 * Graph's error envelope as a UserError with a war-room message and a hint on what to do.
 *
 * Envelope (docs: concepts/errors.md): `{"error": {"code", "message", "innerError": {"date",
 * "request-id", "client-request-id"}}}`. Directory APIs use codes such as Request_BadRequest and
 * Authorization_RequestDenied; the message is developer text and may change, so hints key on
 * the code and the status, never on the message.
 */
import { STATUS_CODES } from 'node:http';
import { UserError } from '../base/errors.js';

export interface GraphErrorDetails {
  status: number;
  /** Graph's error code ('' when the body had none). */
  code: string;
  graphMessage: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
  innerError?: Record<string, unknown>;
  /** Retries the HTTP layer made before this answer (throttling, 5xx). */
  retries?: number;
  /** The answer's Retry-After header, when Graph sent one. */
  retryAfter?: string;
}

export class GraphError extends UserError {
  readonly status: number;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly date?: string;
  readonly innerError?: Record<string, unknown>;

  constructor(details: GraphErrorDetails, hint = graphErrorHint(details)) {
    const what = details.code ? `${details.code}: ${details.graphMessage}` : details.graphMessage;
    const id = details.requestId ? ` (request-id: ${details.requestId})` : '';
    super(`Error in API call [${details.status}] - ${what}${id}`, hint);
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.date = details.date;
    this.innerError = details.innerError;
  }
}

const PERMISSIONS_HINT =
  'The app lacks the Microsoft Graph permission this command needs, or admin consent was not granted. ' +
  'In the app registration add the application permission the command documents (User.ReadWrite.All for most user commands, ' +
  'UserAuthenticationMethod.ReadWrite.All for authentication methods, User.EnableDisableAccount.All + User.Read.All to enable or disable accounts) ' +
  'and grant admin consent. Acting on an administrator may also need a privileged role (Privileged Authentication Administrator), ' +
  'and with delegated permissions the signed-in user needs a suitable Entra role.';

const HINTS: Record<string, string> = {
  Authorization_RequestDenied: PERMISSIONS_HINT,
  InvalidAuthenticationToken:
    'Graph rejected the access token, also after a fresh one was acquired. Check that the Azure cloud (or Server URL) matches the ' +
    "tenant's cloud and that the app is registered in this tenant; with the authorization code flow run msgraph-user-auth-reset and sign in again.",
  Request_ResourceNotFound:
    'Check the id or userPrincipalName. Guest UPNs contain #EXT#, and deleted users are only listed under directory/deletedItems.',
  Request_BadRequest:
    'Graph rejected a value in the request. Check the arguments: property names are case-sensitive, dates are ISO 8601, ' +
    'and user ids are GUIDs or userPrincipalNames.',
  Request_UnsupportedQuery:
    'This query needs Graph advanced query mode: the ConsistencyLevel: eventual header with $count=true (for $search, endsWith, ' +
    'ne/not, and $filter with $orderby). Some properties cannot be filtered at all; advanced queries do not exist in B2C tenants.',
};

export function graphErrorHint(details: GraphErrorDetails): string | undefined {
  const byCode = HINTS[details.code];
  if (byCode) return byCode;
  const retried = details.retries ? ` (retried ${details.retries} times)` : '';
  if (details.status === 429) {
    const wait = details.retryAfter
      ? `Graph asked to wait ${details.retryAfter} s; wait`
      : 'Wait a minute';
    return `Microsoft Graph is throttling this app${retried}. ${wait} and run the command again, or act on fewer users at once.`;
  }
  if (details.status >= 500) {
    return `Microsoft Graph had a server-side problem${retried}. Run the command again later; if it persists, give Microsoft support the request-id.`;
  }
  if (details.status === 401) return HINTS.InvalidAuthenticationToken;
  if (details.status === 403) return PERMISSIONS_HINT;
  if (details.status === 404) return HINTS.Request_ResourceNotFound;
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

/** The envelope's `error`, if `body` (parsed JSON or raw text) is one. */
export function graphErrorBody(body: unknown): Record<string, unknown> | undefined {
  let parsed = body;
  if (typeof body === 'string' && body.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
}

/** The Graph error code of a response body ('' when it is not an envelope). */
export const graphErrorCode = (body: unknown): string => text(graphErrorBody(body)?.code) ?? '';

const MAX_TEXT = 500;

/**
 * A GraphError from a response: `body` is the parsed JSON or the raw text. Non-JSON answers (a
 * gateway's HTML page) keep their text, shortened, or the status phrase when empty.
 */
export function graphErrorFrom(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  retries = 0,
): GraphError {
  const envelope = graphErrorBody(body);
  const inner = isRecord(envelope?.innerError)
    ? envelope.innerError
    : isRecord(envelope?.innererror)
      ? envelope.innererror
      : undefined;
  let graphMessage = text(envelope?.message);
  if (!graphMessage) {
    const raw = typeof body === 'string' ? body.trim() : envelope ? '' : JSON.stringify(body ?? '');
    const shown = raw && raw !== '""' ? raw : '';
    graphMessage =
      shown.length > MAX_TEXT
        ? `${shown.slice(0, MAX_TEXT)}…`
        : shown || (STATUS_CODES[status] ?? 'Error');
  }
  return new GraphError({
    status,
    code: text(envelope?.code) ?? '',
    graphMessage,
    requestId: text(inner?.['request-id']) ?? headers['request-id'],
    clientRequestId: text(inner?.['client-request-id']) ?? headers['client-request-id'],
    date: text(inner?.date) ?? headers.date,
    innerError: inner,
    retries,
    retryAfter: headers['retry-after'],
  });
}

const NOT_FOUND_CODES = new Set(['Request_ResourceNotFound', 'ResourceNotFound', 'itemNotFound']);

/** Whether `err` is Graph saying the object does not exist. */
export const isNotFound = (err: unknown): boolean =>
  err instanceof GraphError && (err.status === 404 || NOT_FOUND_CODES.has(err.code));
