/**
 * The Cortex XSOAR Azure app: Palo Alto Networks' token exchange ("oproxy") holds the application
 * credentials and trades an encrypted tenant token for a Graph access token (anchor §3.1).
 *
 * encrypted_token = base64(nonce(12) ‖ AES-GCM ciphertext ‖ tag(16)) of "{epoch seconds}:{content}",
 * keyed with the base64 "Key"; content is the refresh token of the previous exchange, else "Token".
 * After a failure, requests wait 2, 4, ... 64 s (next_request_time / delay_request_counter), and a
 * success resets both (the reference lost that reset by rewriting a stale context snapshot).
 */
import { createCipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import type { HttpResponse } from '../http/types.js';
import { ConfigurationError, UserError } from '../base/errors.js';
import type { ContextData } from '../base/integration-context.js';
import type { AcquiredToken, AuthDeps, TokenSource } from './deps.js';
import { describeIdentityError, hintFor } from './errors.js';
import { XSOAR_AUTH_GUIDE } from './flow.js';
import { AUTH_KEYS } from './token-cache.js';

export const XSOAR_APP_NAME = 'ms-graph-user';
const DEFAULT_EXPIRES_IN = 3595;
const MAX_DELAY_EXPONENT = 6;

/** The "Key" as an AES key, or a ConfigurationError that never shows it. */
export function aesKey(key: string): Buffer {
  const compact = key.replace(/\s+/g, '');
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(compact)
    ? Buffer.from(compact, 'base64')
    : Buffer.alloc(0);
  if (![16, 24, 32].includes(bytes.length)) {
    throw new ConfigurationError(
      `"Key" must be the base64 AES key (16, 24 or 32 bytes) from the Cortex XSOAR authorization flow; the configured value ${bytes.length ? `decodes to ${bytes.length} bytes` : 'is not base64'}.`,
      `Copy ID, Token and Key again from ${XSOAR_AUTH_GUIDE}.`,
    );
  }
  return bytes;
}

export function encryptToken(content: string, key: Buffer, epochSeconds: number): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as CipherGCMTypes, key, nonce);
  const ciphertext = Buffer.concat([
    cipher.update(`${epochSeconds}:${content}`, 'utf8'),
    cipher.final(),
  ]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** A request refused because the previous ones failed recently. */
export class BackoffError extends UserError {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The reference looks for the Microsoft error in the first {...} of a non-JSON body.
    const braces = /\{[\s\S]*\}/.exec(text);
    if (!braces) return undefined;
    try {
      return JSON.parse(braces[0]);
    } catch {
      return undefined;
    }
  }
}

function failure(response: HttpResponse, deps: AuthDeps): UserError {
  const parsed = parseJson(response.body);
  const body = isRecord(parsed) ? parsed : undefined;
  const described =
    body && (body.error || body.error_description) ? describeIdentityError(body) : undefined;
  let message = `Error in Microsoft authorization. Status: ${response.status}, body: ${described?.text ?? response.body.slice(0, 500)}`;
  const serverMessage =
    body &&
    (typeof body.message === 'string'
      ? body.message
      : typeof body.title === 'string'
        ? `${body.title}. ${String(body.detail ?? '')}`
        : undefined);
  if (serverMessage) message += ` Server message: ${serverMessage}`;
  const hint =
    hintFor(described?.code) ??
    (response.status === 401 || response.status === 403 || response.status === 400
      ? `Check "ID", "Token" and "Key": copy them again from ${XSOAR_AUTH_GUIDE}, then run msgraph-user-auth-reset.`
      : 'The Cortex XSOAR token exchange is unavailable; try again later.');
  return new UserError(deps.redactor.redact(message), hint);
}

type XsoarAppConfig = NonNullable<AuthDeps['config']['xsoarApp']>;

export function xsoarAppSource(deps: AuthDeps): TokenSource {
  if (!deps.config.xsoarApp) throw new ConfigurationError('Fill in "ID", "Token" and "Key".');
  const app: XsoarAppConfig = deps.config.xsoarApp;
  const now = () => deps.clock.now() / 1000;
  deps.redactor.add(app.tenantToken);
  deps.redactor.add(app.key);

  async function exchange(content: string): Promise<HttpResponse> {
    const encrypted = encryptToken(content, aesKey(app.key), Math.floor(now()));
    deps.redactor.add(encrypted);
    const response = await deps.http.send({
      method: 'POST',
      url: app.tokenUrl,
      body: {
        app_name: XSOAR_APP_NAME,
        registration_id: app.registrationId,
        encrypted_token: encrypted,
        scope: null,
        resource: '',
      },
      retry: 'idempotent',
    });
    if (response.headers['function-execution-id']) {
      deps.log.debug(`token exchange execution id ${response.headers['function-execution-id']}`);
    }
    return response;
  }

  return {
    async acquire(context: ContextData): Promise<AcquiredToken> {
      const notBefore = context[AUTH_KEYS.nextRequestTime];
      if (typeof notBefore === 'number' && now() < notBefore) {
        throw new BackoffError(
          `The Cortex XSOAR token exchange failed recently; retry after ${new Date(notBefore * 1000).toISOString()}.`,
          'After consecutive failures requests wait 2, 4, ... 64 seconds. Run msgraph-user-auth-reset to retry at once.',
        );
      }
      const stored = context[AUTH_KEYS.xsoarRefreshToken];
      const refreshToken = typeof stored === 'string' && stored ? stored : undefined;
      let response = await exchange(refreshToken ?? app.tenantToken);
      if (refreshToken && response.status >= 400 && response.status < 500) {
        // The stored refresh token may have expired; the Token from the parameters still works.
        delete context[AUTH_KEYS.xsoarRefreshToken];
        response = await exchange(app.tenantToken);
      }
      if (response.status < 200 || response.status >= 300) throw failure(response, deps);
      const body = parseJson(response.body);
      if (!isRecord(body) || typeof body.access_token !== 'string' || !body.access_token) {
        throw new UserError(
          'There was a problem in retrieving an updated access token.\nThe response from the Oproxy server did not contain the expected content.',
        );
      }
      deps.redactor.add(body.access_token);
      if (typeof body.refresh_token === 'string' && body.refresh_token) {
        deps.redactor.add(body.refresh_token);
        context[AUTH_KEYS.xsoarRefreshToken] = body.refresh_token;
      }
      delete context[AUTH_KEYS.nextRequestTime];
      delete context[AUTH_KEYS.delayCounter];
      const expiresIn = Number(body.expires_in);
      return {
        token: body.access_token,
        expiresOn: Math.floor(now()) + (expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN),
      };
    },
    recordFailure(context: ContextData, error: unknown): void {
      if (error instanceof BackoffError || error instanceof ConfigurationError) return;
      const stored = Number(context[AUTH_KEYS.delayCounter]);
      const exponent = Math.min(
        Math.max(Number.isFinite(stored) ? stored : 1, 1),
        MAX_DELAY_EXPONENT,
      );
      context[AUTH_KEYS.nextRequestTime] = now() + 2 ** exponent;
      context[AUTH_KEYS.delayCounter] = Math.min(exponent + 1, MAX_DELAY_EXPONENT);
    },
  };
}
