import { constants, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../types.js';

export const base64UrlJson = (value: JsonObject): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs a compact JWS with RS256. */
export function signJwt(header: JsonObject, payload: JsonObject, privateKeyPem: string): string {
  const input = `${base64UrlJson({ alg: 'RS256', typ: 'JWT', ...header })}.${base64UrlJson(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKeyPem).toString('base64url')}`;
}

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

function parsePart(part: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parsePart(h);
  const payload = parsePart(p);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/** Verifies RS256 or PS256 (what msal-node signs with for SHA-256 thumbprints). */
export function verifyJwtSignature(jwt: DecodedJwt, certificatePem: string): boolean {
  const key: KeyObject = createPublicKey(certificatePem);
  const data = Buffer.from(jwt.signingInput);
  if (jwt.header.alg === 'RS256') return verify('sha256', data, key, jwt.signature);
  if (jwt.header.alg === 'PS256') {
    return verify(
      'sha256',
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
      jwt.signature,
    );
  }
  return false;
}
