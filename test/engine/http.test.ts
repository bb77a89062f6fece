/**
 * The engine's HTTP API end to end: a real HTTP client against the engine on a simulated tenant.
 */
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Entry } from '../../src/command/entries.js';
import { outputsPrefix } from '../../src/manifest/outputs.js';
import { commandData } from '../../src/runtime/command-run.js';
import { createRuntime } from '../../src/runtime/compose.js';
import { configuredSecrets, TOKEN_SHAPES } from '../e2e/support.js';
import {
  ADMIN_KEY,
  RW_KEY,
  SECOND_READER_KEY,
  startEngineHarness,
  type EngineHarness,
} from './support.js';

interface ErrorBody {
  error: { code: string; message: string };
}
interface CommandBody {
  entries: Entry[];
  data: Record<string, unknown>[];
}

const errorOf = (json: unknown) => (json as ErrorBody).error;

describe('the engine over HTTP', function () {
  this.timeout(60_000);
  let h: EngineHarness;
  let adele: string;
  let sara: string;

  before(async () => {
    h = await startEngineHarness();
    adele = h.sim.users.adele!.userPrincipalName;
    sara = h.sim.users.sara!.userPrincipalName;
  });
  after(() => h?.close());

  /** What the simulator answered while `fn` ran. */
  async function simRequestsDuring(fn: () => Promise<unknown>): Promise<number> {
    const before = h.simRequests();
    await fn();
    return h.simRequests() - before;
  }

  it('answers a command with its entries (as --output entries) and its data (as --output json)', async () => {
    const answer = await h.post('/v1/commands/msgraph-user-get', { user: adele });
    expect(answer.status).to.equal(200);
    const body = answer.json as CommandBody;
    expect(Object.keys(body)).to.deep.equal(['entries', 'data']);

    const stateDir = await mkdtemp(join(tmpdir(), 'msgraph-user-engine-cli-'));
    try {
      const params = h.sim.paramsFor('client-credentials');
      const runtime = await createRuntime({ params, stateDir, ca: h.sim.caPem });
      const run = await runtime.execute('msgraph-user-get', { user: adele });
      const command = runtime.manifest.script.commands.find((c) => c.name === 'msgraph-user-get')!;
      expect(body.entries).to.deep.equal(run.entries);
      expect(body.data).to.deep.equal(commandData(run, outputsPrefix(command)));
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
    expect(body.data[0]).to.include({ UserPrincipalName: adele, DisplayName: 'Adele Vance' });
  });

  it('takes arguments as war-room text or as native JSON alike', async () => {
    const asText = await h.post('/v1/commands/msgraph-user-list', { limit: '2', all: 'false' });
    const asJson = await h.post('/v1/commands/msgraph-user-list', { limit: 2, all: false });
    expect(asText.status).to.equal(200);
    expect((asJson.json as CommandBody).data).to.deep.equal((asText.json as CommandBody).data);
    expect((asJson.json as CommandBody).data).to.have.length(2);
  });

  it('refuses a missing or unknown key with 401, and runs nothing', async () => {
    const requests = await simRequestsDuring(async () => {
      const missing = await h.post('/v1/commands/msgraph-user-get', { user: adele }, null);
      expect(missing.status).to.equal(401);
      expect(missing.headers.get('www-authenticate')).to.equal('Bearer');
      expect(errorOf(missing.json).code).to.equal('unauthorized');
      const wrong = await h.post(
        '/v1/commands/msgraph-user-account-disable',
        { user: adele },
        `${RW_KEY}x`,
      );
      expect(wrong.status).to.equal(401);
      expect(errorOf(wrong.json).message).to.equal('Unknown API key.');
      expect((await h.get('/v1/commands', null)).status).to.equal(401);
      expect((await h.get('/metrics', 'not-a-key-at-all')).status).to.equal(401);
    });
    expect(requests).to.equal(0);
  });

  it('refuses a destructive command to a read/write key with 403, and the user stays enabled', async () => {
    const requests = await simRequestsDuring(async () => {
      const answer = await h.post('/v1/commands/msgraph-user-account-disable', { user: sara });
      expect(answer.status).to.equal(403);
      expect(errorOf(answer.json)).to.deep.equal({
        code: 'forbidden',
        message:
          'msgraph-user-account-disable needs the "destructive" class, and this API key may run only: read, write.',
      });
      const credential = await h.post('/v1/commands/msgraph-user-tap-policy-create', {
        user_id: sara,
        zip_password: 'Zip-Passw0rd!',
      });
      expect(credential.status).to.equal(403);
    });
    expect(requests).to.equal(0);
    const user = await h.post('/v1/commands/msgraph-user-get', { user: sara });
    expect((user.json as CommandBody).data[0]).to.include({ AccountEnabled: true });
  });

  it('refuses an instance the key was not granted with 403', async () => {
    const forbidden = await h.post(
      '/v1/commands/msgraph-user-get',
      { user: adele },
      SECOND_READER_KEY,
    );
    expect(forbidden.status).to.equal(403);
    expect(errorOf(forbidden.json).message).to.equal(
      'This API key may not use instance "default".',
    );
    const allowed = await h.post(
      '/v1/instances/second/commands/msgraph-user-get',
      { user: adele },
      SECOND_READER_KEY,
    );
    expect(allowed.status).to.equal(200);
  });

  it('answers invalid arguments with 400 and the same message as the CLI, sending nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msgraph-user-engine-cli-'));
    let stderr = '';
    try {
      await main(['msgraph-user-list', 'limit=abc', 'colour=blue', '--state-dir', dir], {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        env: {
          AZURE_TENANT_ID: 't',
          AZURE_CLIENT_ID: 'c',
          AZURE_CLIENT_SECRET: 'client-secret-value',
        },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const requests = await simRequestsDuring(async () => {
      const answer = await h.post('/v1/commands/msgraph-user-list', {
        limit: 'abc',
        colour: 'blue',
      });
      expect(answer.status).to.equal(400);
      expect(errorOf(answer.json)).to.deep.equal({
        code: 'invalid_arguments',
        message: stderr.trim(),
      });
      const dryRun = await h.post('/v1/commands/msgraph-user-get', {
        user: adele,
        dry_run: 'maybe',
      });
      expect(errorOf(dryRun.json).message).to.equal(
        'Invalid arguments for msgraph-user-get: argument "dry_run" must be true or false.',
      );
      const notAnObject = await h.post('/v1/commands/msgraph-user-get', [adele]);
      expect(notAnObject.status).to.equal(400);
      const malformed = await fetch(`${h.url}/v1/commands/msgraph-user-get`, {
        method: 'POST',
        headers: { authorization: `Bearer ${RW_KEY}`, 'content-type': 'application/json' },
        body: '{"user": ',
      });
      expect(malformed.status).to.equal(400);
    });
    expect(stderr).to.match(/^Invalid arguments for msgraph-user-list: /);
    expect(requests).to.equal(0);
  });

  it('answers an unknown command or instance with 404, suggesting the command meant', async () => {
    const command = await h.post('/v1/commands/msgraph-user-gte', { user: adele });
    expect(command.status).to.equal(404);
    expect(errorOf(command.json)).to.deep.equal({
      code: 'unknown_command',
      message: 'Unknown command "msgraph-user-gte". GET /v1/commands lists the commands.',
    });
    const near = await h.post('/v1/commands/get-manager', {});
    expect(errorOf(near.json).message).to.contain('Did you mean "msgraph-user-get-manager"?');
    const malformed = await h.post('/v1/commands/msgraph-user-%E0%A4%A', {});
    expect(malformed.status).to.be.oneOf([400, 404]);
    expect(errorOf(malformed.json).code).not.to.equal('internal');
    const instance = await h.post('/v1/instances/third/commands/msgraph-user-get', { user: adele });
    expect(instance.status).to.equal(404);
    expect(errorOf(instance.json).message).to.equal(
      'Unknown instance "third". Instances: default, second.',
    );
  });

  it('runs on a named instance, and no endpoint or log line holds an instance secret or token', async () => {
    const answer = await h.post('/v1/instances/second/commands/msgraph-user-get', { user: adele });
    expect(answer.status).to.equal(200);
    const instances = await h.get('/v1/instances');
    expect(instances.json).to.deep.equal({
      instances: [
        { name: 'default', cloud: 'Custom', graph: h.sim.url, flow: 'client-credentials' },
        { name: 'second', cloud: 'Custom', graph: h.sim.url, flow: 'client-certificate' },
      ],
    });
    const pages = await Promise.all(
      ['/v1/instances', '/v1/commands', '/openapi.json', '/metrics', '/healthz', '/readyz'].map(
        (p) => h.get(p),
      ),
    );
    const everything = [answer.text, ...pages.map((p) => p.text), ...h.logLines].join('\n');
    for (const secret of [...configuredSecrets(h.sim), RW_KEY, ADMIN_KEY]) {
      expect(everything).not.to.contain(secret);
    }
    for (const shape of TOKEN_SHAPES) expect(everything).not.to.match(shape);
  });

  it('runs a destructive command for a key granted it', async () => {
    const grady = h.sim.users.grady!.userPrincipalName;
    const answer = await h.post(
      '/v1/commands/msgraph-user-account-disable',
      { user: grady },
      ADMIN_KEY,
    );
    expect(answer.status).to.equal(200);
    expect((answer.json as CommandBody).data).to.deep.equal([
      {
        user: grady,
        status: 'ok',
        message: `user: "${grady}" account has been disabled successfully.`,
      },
    ]);
  });

  describe('dry runs', () => {
    const patches = () =>
      (h.sim.stats() as { requests: Record<string, number> }).requests['PATCH /v1.0/users/{id}'] ??
      0;

    it('validate, resolve the users and return the changes they would send, sending none', async () => {
      const kim = h.sim.users.kim!.userPrincipalName;
      const before = patches();
      const answer = await h.post('/v1/commands/msgraph-user-account-disable', {
        user: `${kim},nobody@${h.sim.tenantDomain}`,
        dry_run: true,
      });
      expect(answer.status).to.equal(200);
      const report = answer.json as Record<string, unknown>;
      expect(report.requests).to.deep.equal(
        [kim, `nobody@${h.sim.tenantDomain}`].map((u) => ({
          method: 'PATCH',
          url: `${h.sim.url}/v1.0/users/${encodeURIComponent(u)}`,
          body: { accountEnabled: false },
        })),
      );
      expect(report.users).to.deep.equal([
        {
          user: kim,
          found: true,
          id: h.sim.users.kim!.id,
          userPrincipalName: kim,
          displayName: 'Kim Akers',
          accountEnabled: true,
        },
        { user: `nobody@${h.sim.tenantDomain}`, found: false },
      ]);
      expect(report).to.include({ dry_run: true });
      expect(report.errors).to.deep.equal([]);
      expect(patches()).to.equal(before);
      const user = await h.post('/v1/commands/msgraph-user-get', { user: kim });
      expect((user.json as CommandBody).data[0]).to.include({ AccountEnabled: true });
    });

    it('keep the instance state as it was when the command would change it', async () => {
      const instances = join(h.stateDir, 'instances');
      const file = join(
        instances,
        h.engine.instances.get('default')!.runtime.instanceId,
        'context.json',
      );
      const before = await readFile(file, 'utf8');
      const answer = await h.post('/v1/commands/msgraph-user-auth-reset', { dry_run: 'yes' });
      expect(answer.status).to.equal(200);
      expect((answer.json as { state_changes: string[] }).state_changes).to.include('access_token');
      expect(await readFile(file, 'utf8')).to.equal(before);
    });

    it('refuse a credential command to a key without the credential class', async () => {
      const answer = await h.post('/v1/commands/msgraph-user-tap-policy-create', {
        user_id: adele,
        zip_password: 'Zip-Passw0rd!',
        dry_run: true,
      });
      expect(answer.status).to.equal(403);
    });
  });
});
