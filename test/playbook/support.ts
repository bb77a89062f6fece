/**
 * Test support: playbook builders, a fake runtime with canned entries, and a tiny HTTPS tenant
 * (identity token endpoint + a few Graph user routes) to record against through a real
 * createRuntime with test handlers.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { errorEntry, textEntry, toEntry, type Entry } from '../../src/command/entries.js';
import type { Handler } from '../../src/command/handler.js';
import { createRuntime, type RuntimeOptions } from '../../src/runtime/compose.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import type { Playbook, PlaybookRuntime } from '../../src/playbook/types.js';

type Json = Record<string, unknown>;

// ---------- playbooks ----------

export const start = (next: string): Json => ({
  type: 'start',
  task: {},
  nexttasks: { '#none#': [next] },
});
export const title = (name: string, next?: string): Json => ({
  type: 'title',
  task: { name },
  ...(next ? { nexttasks: { '#none#': [next] } } : {}),
});
export const command = (name: string, args: Json = {}, next?: string, extra: Json = {}): Json => ({
  type: 'regular',
  task: { name: `run ${name}`, script: `|||${name}`, iscommand: true },
  scriptarguments: args,
  ...(next ? { nexttasks: { '#none#': [next] } } : {}),
  ...extra,
});
export const script = (name: string, args: Json = {}, next?: string): Json => ({
  type: 'regular',
  task: { name: `script ${name}`, scriptName: name },
  scriptarguments: args,
  ...(next ? { nexttasks: { '#none#': [next] } } : {}),
});
export const condition = (conditions: Json[], nexttasks: Record<string, string[]>): Json => ({
  type: 'condition',
  task: { name: 'check' },
  conditions,
  nexttasks,
});
/** One condition row item reading `path` from the context. */
export const fromContext = (operator: string, path: string, right?: string, extra: Json = {}) => ({
  operator,
  left: { value: { simple: path }, iscontext: true },
  ...(right !== undefined ? { right: { value: { simple: right } } } : {}),
  ...extra,
});

export function playbookData(tasks: Record<string, Json>, extra: Json = {}): Json {
  const withIds = Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, { id, ...t }]));
  return { id: 'Test PB', name: 'Test PB', starttaskid: '0', tasks: withIds, ...extra };
}

export const buildPlaybook = (tasks: Record<string, Json>, extra: Json = {}): Playbook =>
  parsePlaybook(playbookData(tasks, extra), 'test.yml');

// ---------- fake runtime ----------

export interface FakeRuntime extends PlaybookRuntime {
  calls: { command: string; args: Record<string, unknown> }[];
  /** As Runtime's: the CLI ends every runtime it made. */
  close(): Promise<void>;
}

/** Each command answers from `answers` (default: one note with no context). */
export function fakeRuntime(
  answers: Record<string, (args: Record<string, unknown>) => Entry[] | Promise<Entry[]>> = {},
): FakeRuntime {
  const calls: FakeRuntime['calls'] = [];
  return {
    calls,
    async run(cmd, args) {
      calls.push({ command: cmd, args });
      const answer = answers[cmd];
      return answer ? answer(args) : [textEntry(`ran ${cmd}`)];
    },
    close: async () => undefined,
  };
}

export const contextEntry = (prefix: string, outputs: unknown, text = 'done'): Entry =>
  toEntry({ outputs_prefix: prefix, outputs, readable_output: text });
export const failure = (message: string): Entry => errorEntry(message);

// ---------- a tiny HTTPS tenant ----------

export const CANARY = {
  clientSecret: 'canary-client-secret-7f3a9c',
  accessToken: 'canary.access.token-41b8e2d7',
  password: 'canary-P@ssw0rd-d19c',
  generated: 'canary-generated-secret-5e7b',
};
export const TENANT = 'c0ffee00-0000-4000-8000-000000000001';
export const CLIENT = 'c0ffee00-0000-4000-8000-000000000002';

let certificate: { key: string; cert: string } | undefined;
/** One self-signed certificate for 127.0.0.1 per test process (RSA keys are slow to make). */
function selfSigned(): { key: string; cert: string } {
  certificate ??= makeSelfSigned();
  return certificate;
}

function makeSelfSigned(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}

export interface MiniTenant {
  url: string;
  ca: string;
  users: Record<string, Json>;
  requests: string[];
  params(): Record<string, unknown>;
  close(): Promise<void>;
}

async function readBody(req: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startMiniTenant(): Promise<MiniTenant> {
  const { key, cert } = selfSigned();
  const users: Record<string, Json> = {
    kim: {
      id: 'u-kim',
      displayName: 'Kim Akers',
      userPrincipalName: 'kim@contoso.test',
      accountEnabled: true,
    },
    sara: {
      id: 'u-sara',
      displayName: 'Sara Davis',
      userPrincipalName: 'sara@contoso.test',
      accountEnabled: true,
    },
  };
  const requests: string[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? '/', 'https://local');
      requests.push(`${req.method} ${url.pathname}`);
      const send = (status: number, body?: unknown) => {
        if (body === undefined) return res.writeHead(status).end();
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(text);
        if (form.get('client_secret') !== CANARY.clientSecret) {
          return send(401, { error: 'invalid_client' });
        }
        return send(200, {
          token_type: 'Bearer',
          expires_in: 3600,
          access_token: CANARY.accessToken,
        });
      }
      if (req.headers.authorization !== `Bearer ${CANARY.accessToken}`) {
        return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'no token' } });
      }
      if (req.method === 'POST' && url.pathname === '/v1.0/users') {
        const { passwordProfile: _p, ...created } = JSON.parse(text) as Json;
        const key = String(created.mailNickname);
        users[key] = { id: `u-${key}`, accountEnabled: true, ...created };
        return send(201, users[key]);
      }
      const match = /^\/v1\.0\/users\/([^/]+)$/.exec(url.pathname);
      const user = match ? users[decodeURIComponent(match[1]!).split('@')[0]!] : undefined;
      if (!user) {
        return send(404, { error: { code: 'Request_ResourceNotFound', message: 'no such user' } });
      }
      if (req.method === 'GET') return send(200, { '@odata.context': 'users/$entity', ...user });
      if (req.method === 'PATCH') {
        const patch = JSON.parse(text) as Json;
        delete patch.passwordProfile;
        Object.assign(user, patch);
        return send(204);
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: req.method } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: cert,
    users,
    requests,
    params: () => ({
      azure_cloud: 'Custom',
      host: url,
      azure_ad_endpoint: url,
      self_deployed: true,
      creds_auth_id: { identifier: '', password: CLIENT },
      creds_tenant_id: { identifier: '', password: TENANT },
      creds_enc_key: { identifier: '', password: CANARY.clientSecret },
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------- a real runtime with test handlers ----------

const userPath = (ctx: Parameters<Handler>[0]) =>
  `users/${encodeURIComponent(String(ctx.args.user))}`;

const TEST_HANDLERS: Record<string, Handler> = {
  'msgraph-user-get': async (ctx) => {
    const { body } = await ctx.graph.request<Json>({ method: 'GET', path: userPath(ctx) });
    const { '@odata.context': _c, ...user } = body;
    return {
      outputs_prefix: 'MSGraphUser',
      outputs_key_field: 'id',
      outputs: user,
      readable_output: `## ${String(user.displayName)}`,
    };
  },
  'msgraph-user-update': async (ctx) => {
    const [field, value] = String(ctx.args.updated_fields).split('=');
    await ctx.graph.request({ method: 'PATCH', path: userPath(ctx), body: { [field!]: value } });
    return `User ${String(ctx.args.user)} was updated successfully.`;
  },
  'msgraph-user-create': async (ctx) => {
    ctx.addSecret(CANARY.generated);
    const body = {
      displayName: ctx.args.display_name,
      mailNickname: ctx.args.mail_nickname,
      userPrincipalName: ctx.args.user_principal_name,
      passwordProfile: { password: ctx.args.password, note: `previous ${CANARY.generated}` },
    };
    const created = await ctx.graph.request<Json>({ method: 'POST', path: 'users', body });
    return {
      outputs_prefix: 'MSGraphUser',
      outputs_key_field: 'id',
      outputs: created.body,
      readable_output: `Created ${String(created.body.userPrincipalName)}`,
    };
  },
};

/** createRuntime with the test handlers (every other command answers "has no handler"). */
export const testCreateRuntime = (options: RuntimeOptions) =>
  createRuntime({ ...options, handlers: TEST_HANDLERS });
