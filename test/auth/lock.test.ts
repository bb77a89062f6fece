import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthConfig } from '../../src/auth/flow.js';
import { createAuthSession } from '../../src/auth/session.js';
import { AUTH_KEYS } from '../../src/auth/token-cache.js';
import { CLIENT_ID, loopbackServerCertificate, SECRET, tempDir, testDeps } from './support.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/acquire-token.ts', import.meta.url));
const TENANT = 'lock-test-tenant';
const CHILDREN = 8;

interface TokenServer {
  url: string;
  caFile: string;
  requests: Record<string, string>[];
  close(): Promise<void>;
}

/**
 * A token endpoint that answers slowly (so racing clients overlap), issues at-N, and rotates
 * refresh tokens strictly: a refresh token works once, as a lost rotation would then fail.
 */
async function startTokenServer(dir: string): Promise<TokenServer> {
  const certificate = loopbackServerCertificate();
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificate.certificatePem);
  const requests: Record<string, string>[] = [];
  let issued = 0;
  let liveRefreshToken = '';
  const server: Server = createServer(
    { key: certificate.privateKeyPem, cert: certificate.certificatePem },
    (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const fields = Object.fromEntries(new URLSearchParams(body));
        requests.push(fields);
        setTimeout(() => {
          res.setHeader('Content-Type', 'application/json');
          if (fields.grant_type === 'refresh_token' && fields.refresh_token !== liveRefreshToken) {
            res.statusCode = 400;
            res.end(
              JSON.stringify({
                error: 'invalid_grant',
                error_description: 'AADSTS70008: refresh token already used.',
                error_codes: [70008],
              }),
            );
            return;
          }
          issued += 1;
          const answer: Record<string, unknown> = {
            token_type: 'Bearer',
            access_token: `at-${issued}`,
            expires_in: 3599,
          };
          if (fields.grant_type !== 'client_credentials') {
            liveRefreshToken = `rt-${issued}`;
            answer.refresh_token = liveRefreshToken;
            // The redeemed token expires at once, so the children must refresh.
            if (fields.grant_type === 'authorization_code') answer.expires_in = 1;
          }
          res.end(JSON.stringify(answer));
        }, 300);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Child {
  ready: Promise<void>;
  go(): void;
  result: Promise<string>;
}

/** Starts the fixture; it reports "ready" at its start line and requests its token on go(). */
function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const result = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      markReady();
      resolve(out.replace(/^ready\n/, '').trim() || `error: ${err.trim()}`);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), result };
}

/** Runs the children from a common start line; resolves to what each printed. */
async function race(server: TokenServer, dir: string, config: AuthConfig): Promise<string[]> {
  const env = {
    AUTH_CONFIG: JSON.stringify(config),
    CA_FILE: server.caFile,
    LOGIN_ENDPOINT: server.url,
    STATE_DIR: dir,
  };
  const children = Array.from({ length: CHILDREN }, () => startChild(env));
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  return Promise.all(children.map((c) => c.result));
}

describe('cross-process token lock', function () {
  this.timeout(60_000);
  let server: TokenServer;
  let dir: string;
  beforeEach(async () => {
    dir = tempDir();
    server = await startTokenServer(dir);
  });
  afterEach(() => server.close());

  it(`${CHILDREN} processes on a cold cache make exactly one token request and share its token`, async () => {
    const config: AuthConfig = {
      flow: 'client-credentials',
      clientId: CLIENT_ID,
      tenantId: TENANT,
      clientSecret: SECRET,
    };
    const tokens = await race(server, join(dir, 'state'), config);
    expect(tokens).to.deep.equal(Array.from({ length: CHILDREN }, () => 'at-1'));
    expect(server.requests.map((r) => r.grant_type)).to.deep.equal(['client_credentials']);
  });

  it(`${CHILDREN} processes with an expired token refresh once and keep the rotated refresh token`, async () => {
    const state = join(dir, 'state');
    const config: AuthConfig = {
      flow: 'authorization-code',
      clientId: CLIENT_ID,
      tenantId: TENANT,
      clientSecret: SECRET,
      redirectUri: 'http://localhost:8765/callback',
      authCode: '0.code',
    };
    const cloud = {
      azure_cloud: 'Custom',
      azure_ad_endpoint: server.url,
      host: 'https://graph.example.test',
    };
    const { readFileSync } = await import('node:fs');
    const seeded = testDeps(config, { dir: state, cloud, ca: readFileSync(server.caFile, 'utf8') });
    expect(await (await createAuthSession(seeded)).getAccessToken()).to.equal('at-1');
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const tokens = await race(server, state, config);
    expect(tokens).to.deep.equal(Array.from({ length: CHILDREN }, () => 'at-2'));
    expect(server.requests.map((r) => r.grant_type)).to.deep.equal([
      'authorization_code',
      'refresh_token',
    ]);
    const cache = JSON.stringify((await seeded.store.get()).context[AUTH_KEYS.msalCache]);
    expect(cache).to.contain('"secret":"rt-2"').and.not.contain('"secret":"rt-1"');
  });
});
