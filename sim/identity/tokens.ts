import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock.js';
import { GRAPH_APP_ID, MFA_RESOURCE, TENANT } from '../data/tenant.js';
import type { TokenGrant } from '../stats.js';
import type { JsonObject } from '../types.js';
import { signJwt } from './jwt.js';

export type PrincipalKind = 'application' | 'delegated';
export type Audience = 'graph' | 'mfa';

/** What the sim remembers about an access token it issued. */
export interface AccessTokenRecord {
  kind: PrincipalKind;
  audience: Audience;
  appId: string;
  /** Object id of the signed-in user (delegated tokens). */
  userId?: string;
  scopes: string[];
  grant: TokenGrant;
  expiresAt: number;
}

/** A device code (RFC 8628) waiting for its user to sign in at the verification page. */
export interface DeviceCode {
  clientId: string;
  userCode: string;
  scopes: string[];
  issuedAt: number;
  /** Set when the user signed in at the verification page. */
  userId?: string;
}

export interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  scopes: string[];
  issuedAt: number;
  lastUsedAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  issuedAt: number;
  challenge?: string;
  challengeMethod?: string;
  nonce?: string;
  redeemed: boolean;
}

/** Application permissions every app token carries; delegated tokens get scopes instead. */
export const APP_ROLES = [
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'Application.ReadWrite.All',
  'Device.Read.All',
  'GroupMember.Read.All',
];

export interface SigningKey {
  privateKeyPem: string;
  kid: string;
}

export interface IssueAccessOptions {
  kind: PrincipalKind;
  audience: Audience;
  appId: string;
  appName: string;
  grant: TokenGrant;
  user?: JsonObject;
  scopes?: string[];
  /** 1 = secret, 2 = certificate, 0 = none (managed identity, oproxy). */
  appIdAcr?: '0' | '1' | '2';
}

/**
 * Issues and remembers tokens. Access tokens are real RS256 JWTs (so clients can decode them),
 * but validity is decided by this store: only tokens issued here and not expired are accepted.
 */
export class TokenService {
  private readonly access = new Map<string, AccessTokenRecord>();
  readonly refresh = new Map<string, RefreshTokenRecord>();
  /** Refresh tokens already exchanged; reuse is reported like an unknown token. */
  readonly spentRefresh = new Set<string>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** Device codes by device_code. */
  readonly deviceCodes = new Map<string, DeviceCode>();

  constructor(
    private readonly clock: SimClock,
    private readonly signing: SigningKey,
    public lifetimeSeconds: number,
    public refreshLifetimeSeconds: number,
  ) {}

  issueAccess(options: IssueAccessOptions): {
    token: string;
    expiresIn: number;
    record: AccessTokenRecord;
  } {
    const now = this.clock.nowSeconds();
    const expiresIn = this.lifetimeSeconds;
    const scopes = options.scopes ?? [];
    const user = options.user;
    const claims: JsonObject = {
      aud: options.audience === 'mfa' ? MFA_RESOURCE : 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${TENANT.id}/`,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      app_displayname: options.appName,
      appid: options.appId,
      appidacr: options.appIdAcr ?? '1',
      idp: `https://sts.windows.net/${TENANT.id}/`,
      idtyp: options.kind === 'application' ? 'app' : 'user',
      oid: user ? String(user.id) : options.appId,
      sub: user ? String(user.id) : options.appId,
      tid: TENANT.id,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    if (options.kind === 'application') {
      claims.roles = options.audience === 'graph' ? APP_ROLES : [];
    }
    if (user) {
      Object.assign(claims, {
        name: user.displayName,
        given_name: user.givenName,
        family_name: user.surname,
        upn: user.userPrincipalName,
        unique_name: user.userPrincipalName,
        scp: scopes.join(' '),
        amr: ['pwd', 'mfa'],
      });
    }
    const token = signJwt(
      { kid: this.signing.kid, x5t: this.signing.kid },
      claims,
      this.signing.privateKeyPem,
    );
    const record: AccessTokenRecord = {
      kind: options.kind,
      audience: options.audience,
      appId: options.appId,
      scopes,
      grant: options.grant,
      expiresAt: this.clock.now() + expiresIn * 1000,
      ...(user ? { userId: String(user.id) } : {}),
    };
    this.access.set(token, record);
    return { token, expiresIn, record };
  }

  /** The record of a token, with `expired` telling whether it may still be used. */
  lookup(token: string): { record: AccessTokenRecord; expired: boolean } | undefined {
    const record = this.access.get(token);
    return record ? { record, expired: record.expiresAt <= this.clock.now() } : undefined;
  }

  expireAll(): void {
    const past = this.clock.now() - 1;
    for (const record of this.access.values()) record.expiresAt = past;
  }

  issueRefresh(clientId: string, userId: string, scopes: string[], issuedAt?: number): string {
    const token = `1.ASIM${randomBytes(72).toString('base64url')}`;
    const now = this.clock.now();
    this.refresh.set(token, {
      clientId,
      userId,
      scopes,
      issuedAt: issuedAt ?? now,
      lastUsedAt: now,
    });
    return token;
  }

  /** True when a refresh token has been inactive longer than its lifetime. */
  refreshExpired(record: RefreshTokenRecord): boolean {
    return this.clock.now() - record.lastUsedAt > this.refreshLifetimeSeconds * 1000;
  }

  issueCode(code: Omit<AuthorizationCode, 'issuedAt' | 'redeemed'>): string {
    const value = `1.ASIMcode${randomBytes(48).toString('base64url')}`;
    this.codes.set(value, { ...code, issuedAt: this.clock.now(), redeemed: false });
    return value;
  }

  /** An id_token msal-node can parse; signed with the sim's published key. */
  idToken(clientId: string, user: JsonObject, issuer: string, nonce?: string): string {
    const now = this.clock.nowSeconds();
    const claims: JsonObject = {
      aud: clientId,
      iss: issuer,
      iat: now,
      nbf: now,
      exp: now + this.lifetimeSeconds,
      name: user.displayName ?? null,
      oid: user.id ?? null,
      preferred_username: user.userPrincipalName ?? null,
      rh: `0.ASIM${randomBytes(8).toString('base64url')}`,
      sub: Buffer.from(`${clientId}:${String(user.id)}`)
        .toString('base64url')
        .slice(0, 43),
      tid: TENANT.id,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    };
    if (nonce !== undefined) claims.nonce = nonce;
    return signJwt({ kid: this.signing.kid }, claims, this.signing.privateKeyPem);
  }

  static clientInfo(userId: string): string {
    return Buffer.from(JSON.stringify({ uid: userId, utid: TENANT.id })).toString('base64url');
  }
}

/** Graph resource identifiers accepted in scopes and IMDS resource parameters. */
export function graphResources(simUrl: string): Set<string> {
  const url = new URL(simUrl);
  return new Set([
    'https://graph.microsoft.com',
    GRAPH_APP_ID,
    simUrl.toLowerCase(),
    `https://localhost:${url.port}`,
    `https://127.0.0.1:${url.port}`,
  ]);
}

/** Normalises "https://graph.microsoft.com//.default" or "https://graph.microsoft.com/" to a resource. */
export function resourceOf(value: string): string {
  return value
    .replace(/\/\.default$/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}
