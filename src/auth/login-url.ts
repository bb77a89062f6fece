/**
 * Sign-in URLs of the authorization code flow, on the configured cloud's login host (the
 * reference always used the worldwide host and left redirect_uri and scope unencoded).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CloudEndpoints } from './clouds.js';

export interface LoginUrlOptions {
  tenantId: string;
  clientId: string;
  redirectUri: string;
  state: string;
  /** Extra scopes after `offline_access {graph}/.default` (msgraph-user login adds openid profile). */
  extraScopes?: string[];
  /** PKCE S256 challenge (msgraph-user login). */
  codeChallenge?: string;
}

/**
 * RFC 3986 percent-encoding: a space reads %20 (as in the guide, where URLSearchParams would write
 * "+"), and !'()* are encoded too, so the URL survives inside a markdown link.
 */
export const encodeQueryValue = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** Random URL-safe text, e.g. for state and PKCE verifiers (32 bytes give 43 characters). */
export const randomUrlSafe = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export const pkceChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** The scopes a sign-in asks for: a refresh token and the app's Graph permissions. */
export const loginScopes = (cloud: CloudEndpoints, extra: string[] = []): string[] => [
  'offline_access',
  cloud.graphScope,
  ...extra,
];

/**
 * `{login}/{tenant}/oauth2/v2.0/authorize?response_type=code&scope=offline_access%20{graph}/.default
 * &client_id=…&redirect_uri=…&state=…`, every value percent-encoded.
 */
export function buildLoginUrl(cloud: CloudEndpoints, options: LoginUrlOptions): string {
  const parts: [string, string][] = [
    ['response_type', 'code'],
    ['scope', loginScopes(cloud, options.extraScopes).join(' ')],
    ['client_id', options.clientId],
    ['redirect_uri', options.redirectUri],
    ['state', options.state],
  ];
  if (options.codeChallenge) {
    parts.push(['code_challenge', options.codeChallenge], ['code_challenge_method', 'S256']);
  }
  const query = parts.map(([name, value]) => `${name}=${encodeQueryValue(value)}`).join('&');
  return `${cloud.authorizeUrl(options.tenantId)}?${query}`;
}
