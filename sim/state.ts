import { createHash } from 'node:crypto';
import { SimClock } from './clock.js';
import { AuthMethodStore } from './data/auth-methods.js';
import { Directory } from './data/directory.js';
import { OrgChart } from './data/org.js';
import { TENANT } from './data/tenant.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { AppRegistry } from './identity/apps.js';
import { TokenService } from './identity/tokens.js';
import { SimStats } from './stats.js';
import type { SimCertificates } from './tls.js';

/** A password-reset long-running operation (POST .../resetPassword → 202 + Location). */
export interface ResetOperation {
  id: string;
  userId: string;
  createdMs: number;
  lastActionMs: number;
  polls: number;
}

export interface StateOptions {
  users: number;
  seed: number | string;
  faults: FaultSettings;
  tokenLifetime: number;
  refreshTokenLifetime: number;
  operationRetryAfter: number;
}

/** Everything the handlers share. `url` and `imdsUrl` are set once the listeners are bound. */
export class SimState {
  url = '';
  imdsUrl = '';
  readonly clock = new SimClock();
  readonly stats = new SimStats();
  readonly faults: FaultInjector;
  readonly directory: Directory;
  readonly org: OrgChart;
  readonly methods: AuthMethodStore;
  readonly apps: AppRegistry;
  readonly tokens: TokenService;
  readonly operations = new Map<string, ResetOperation>();
  /** Refresh tokens issued by the oproxy exchange and not yet used (they rotate). */
  readonly oproxyRefreshTokens = new Set<string>();
  readonly operationRetryAfter: number;
  /** Created users get deterministic ids from this counter. */
  createdUsers = 0;

  constructor(
    readonly certs: SimCertificates,
    options: StateOptions,
  ) {
    this.faults = new FaultInjector(options.seed, options.faults);
    this.directory = new Directory(options.users);
    this.org = new OrgChart(this.directory);
    this.methods = new AuthMethodStore(this.directory);
    this.apps = new AppRegistry(certs.client, this.clock.now());
    this.tokens = new TokenService(
      this.clock,
      { privateKeyPem: certs.signing.keyPem, kid: signingKid(certs) },
      options.tokenLifetime,
      options.refreshTokenLifetime,
    );
    this.operationRetryAfter = options.operationRetryAfter;
  }

  /** Issuer of v2 id tokens and of the OpenID metadata. */
  get issuer(): string {
    return `${this.url}/${this.tenantId}/v2.0`;
  }

  get tenantId(): string {
    return TENANT.id;
  }
}

/** The JWKS key id: base64url SHA-1 of the signing certificate, like Entra's kid/x5t. */
export function signingKid(certs: SimCertificates): string {
  return createHash('sha1').update(certs.signing.der).digest('base64url');
}
