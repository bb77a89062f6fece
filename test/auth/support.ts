/**
 * Shared pieces of the authorization suites: deps on a temporary state directory, nock hygiene
 * (no real network, every interceptor used, no unmatched request), a throwaway client certificate
 * and HTTPS server certificate, and small parsers for the requests the flows send.
 */
import { testClock } from '../helpers/clock.js';
import { expect } from 'chai';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import forge from 'node-forge';
import { resolveCloud, type CloudParams } from '../../src/auth/clouds.js';
import type { AuthDeps } from '../../src/auth/deps.js';
import type { AuthConfig } from '../../src/auth/flow.js';
import { createHttpClient } from '../../src/http/client.js';
import { IntegrationContextStore } from '../../src/base/integration-context.js';
import { silentLogger } from '../../src/base/log.js';
import { Redactor } from '../../src/base/redact.js';

export const TENANT = 'contoso.onmicrosoft.com';
export const CLIENT_ID = '535fb089-9ff3-47b6-9bfb-4f1264799865';
export const SECRET = 'Xy18Q~sampleCredentials.abcDEF123456789';
export const LOGIN = 'https://login.microsoftonline.com';
export const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;

const dirs: string[] = [];

export function tempDir(prefix = 'msgraph-auth-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface TestDeps extends AuthDeps {
  store: IntegrationContextStore;
  redactor: Redactor;
  /** Moves the session's clock (seconds). */
  advance(seconds: number): void;
}

/** Deps for `config` on a fresh (or the given) state directory; the clock starts at real time and skips waits. */
export function testDeps(
  config: AuthConfig,
  options: { dir?: string; cloud?: CloudParams; ca?: string } = {},
): TestDeps {
  const redactor = new Redactor();
  const clock = testClock(Date.now());
  return {
    config,
    cloud: resolveCloud(options.cloud ?? {}),
    http: createHttpClient({
      timeoutMs: 5_000,
      proxy: false,
      insecure: false,
      ca: options.ca,
      log: silentLogger,
      clock,
    }),
    store: new IntegrationContextStore(options.dir ?? tempDir()),
    redactor,
    log: silentLogger,
    clock,
    advance(seconds: number) {
      clock.advance(seconds * 1000);
    },
  };
}

export const secretConfig = (overrides: Partial<AuthConfig> = {}): AuthConfig => ({
  flow: 'client-credentials',
  clientId: CLIENT_ID,
  tenantId: TENANT,
  clientSecret: SECRET,
  ...overrides,
});

/** nock with no real network; after each passing test every interceptor must have been used and no request gone unmatched. */
export function useNock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) =>
    state.unmatched.push(`${req.method} ${req.href ?? req.path}`);
  beforeEach(() => {
    state.unmatched.length = 0;
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(function () {
    nock.emitter.off('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    if (this.currentTest?.state === 'passed') {
      expect(pending, 'unused nock interceptors').to.deep.equal([]);
      expect(state.unmatched, 'requests no interceptor matched').to.deep.equal([]);
    }
  });
  return state;
}

export const form = (body: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(body));

export function decodeJwt(jwt: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signed: string;
  signature: Buffer;
} {
  const [header, payload, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
    signed: `${header}.${payload}`,
    signature: Buffer.from(signature ?? '', 'base64url'),
  };
}

/** A token response as Entra sends it (graph-http-examples.md §10). */
export const tokenResponse = (accessToken: string, extra: Record<string, unknown> = {}) => ({
  token_type: 'Bearer',
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: accessToken,
  ...extra,
});

const USER_ID = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** What Entra returns for an authorization code or refresh grant with offline_access and openid. */
export function delegatedResponse(accessToken: string, refreshToken: string) {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const idToken = `${part({ alg: 'none', typ: 'JWT' })}.${part({
    aud: CLIENT_ID,
    iss: `${LOGIN}/${TENANT_ID}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    oid: USER_ID,
    tid: TENANT_ID,
    sub: 'subject',
    preferred_username: 'admin@contoso.onmicrosoft.com',
    name: 'Admin',
  })}.`;
  return tokenResponse(accessToken, {
    scope: 'https://graph.microsoft.com/.default',
    refresh_token: refreshToken,
    id_token: idToken,
    client_info: part({ uid: USER_ID, utid: TENANT_ID }),
  });
}

/** An AADSTS error body with the trace and correlation ids Entra appends. */
export const aadError = (error: string, code: number, text: string) => ({
  error,
  error_description: `AADSTS${code}: ${text}\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2024-01-09 02:02:12Z`,
  error_codes: [code],
  timestamp: '2024-01-09 02:02:12Z',
  trace_id: '255d1aef-8c98-452f-ac51-23d051240864',
  correlation_id: 'fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7',
});

export interface TestCertificate {
  privateKeyPem: string;
  publicKeyPem: string;
  certificatePem: string;
  sha1: string;
  sha256: string;
}

function selfSigned(commonName: string, altIp?: string): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '0a';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    ...(altIp ? [{ name: 'subjectAltName', altNames: [{ type: 7, ip: altIp }] }] : []),
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    certificatePem: forge.pki.certificateToPem(cert),
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

/** An application's certificate (key + thumbprints). */
export const clientCertificate = (): TestCertificate => selfSigned('msgraph-user test app');

/** A self-signed server certificate for https://127.0.0.1 (it is its own CA). */
export const loopbackServerCertificate = (): TestCertificate =>
  selfSigned('127.0.0.1', '127.0.0.1');
