import { createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import type { SimResponse } from '../types.js';
import { isJsonObject } from '../types.js';
import type { IdentityHandler } from './context.js';
import { json } from './context.js';
import { graphResources, resourceOf } from './tokens.js';

/** Accepted distance between the encrypted timestamp and the sim's clock. */
const MAX_SKEW_SECONDS = 300;

function failure(status: number, title: string, detail: string): SimResponse {
  return json(status, { title, detail, message: `${title}. ${detail}` });
}

/** Decrypts base64(nonce[12] ‖ ciphertext ‖ tag[16]) with AES-GCM; undefined on any failure. */
export function decryptToken(encrypted: string, keyBase64: string): string | undefined {
  try {
    const key = Buffer.from(keyBase64, 'base64');
    const data = Buffer.from(encrypted, 'base64');
    if (![16, 24, 32].includes(key.length) || data.length < 12 + 16 + 1) return undefined;
    const algorithm = `aes-${key.length * 8}-gcm` as CipherGCMTypes;
    const decipher = createDecipheriv(algorithm, key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([
      decipher.update(data.subarray(12, data.length - 16)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * POST /obtain-token: the Cortex XSOAR app token exchange ("oproxy"). The body names the app and
 * registration and carries "{epoch}:{tenant token or refresh token}" encrypted with the
 * registration key; the answer is an application token for Graph and a new refresh token.
 */
export const obtainToken: IdentityHandler = (ctx) => {
  const { state } = ctx;
  let body: unknown;
  try {
    body = JSON.parse(ctx.req.body.toString('utf8'));
  } catch {
    return failure(400, 'Bad request', 'The request body must be JSON.');
  }
  if (!isJsonObject(body)) {
    return failure(400, 'Bad request', 'The request body must be a JSON object.');
  }
  const registration = state.apps.published.xsoar;
  const { app_name: appName, registration_id: registrationId, encrypted_token: encrypted } = body;
  if (
    typeof registrationId !== 'string' ||
    typeof encrypted !== 'string' ||
    typeof appName !== 'string'
  ) {
    return failure(
      400,
      'Bad request',
      'app_name, registration_id and encrypted_token are required.',
    );
  }
  if (appName !== registration.appName) {
    return failure(400, 'Bad request', `Unknown app name '${appName}'.`);
  }
  if (registrationId !== registration.registrationId) {
    return failure(
      401,
      'Unauthorized',
      `Registration '${registrationId}' was not found. Run the authorization flow again.`,
    );
  }
  const resource = body.resource;
  if (
    typeof resource === 'string' &&
    resource !== '' &&
    !graphResources(state.url).has(resourceOf(resource))
  ) {
    return failure(
      400,
      'Bad request',
      `Resource '${resource}' is not supported by app '${appName}'.`,
    );
  }
  const plain = decryptToken(encrypted, registration.key);
  const match = plain === undefined ? null : /^(\d+):(.*)$/s.exec(plain);
  if (!match) {
    return failure(401, 'Unauthorized', 'Failed to decrypt the token. Check the key parameter.');
  }
  const skew = Math.abs(state.clock.nowSeconds() - Number(match[1]));
  if (skew > MAX_SKEW_SECONDS) {
    return failure(
      401,
      'Unauthorized',
      `The token timestamp is ${skew} seconds away from the server time (max ${MAX_SKEW_SECONDS}).`,
    );
  }
  const content = match[2] as string;
  const refresh = state.oproxyRefreshTokens;
  if (content !== registration.tenantToken) {
    if (!refresh.has(content)) {
      return failure(401, 'Unauthorized', 'The token is not valid for this registration.');
    }
    refresh.delete(content);
  }
  const { token, expiresIn } = state.tokens.issueAccess({
    kind: 'application',
    audience: 'graph',
    appId: registrationId,
    appName: 'Cortex XSOAR - Azure Active Directory Users',
    grant: 'xsoar_app',
    appIdAcr: '0',
  });
  const newRefresh = `oproxy.${randomBytes(48).toString('base64url')}`;
  refresh.add(newRefresh);
  state.stats.countToken('xsoar_app');
  return json(200, { access_token: token, expires_in: expiresIn, refresh_token: newRefresh });
};
