/**
 * `msgraph-user serve` as a real process: SIGTERM stops it cleanly (what is in flight finishes,
 * within a bound), `serve --sim` starts the engine on a simulated tenant, TLS works, and bad
 * options are usage errors before anything listens.
 */
import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { createCertificates } from '../../sim/tls.js';
import { ensureBuilt } from '../e2e/support.js';
import { KEY, startServe } from './serve-process.js';

const post = (url: string, body: unknown, key = KEY) =>
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const logLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('msgraph-user serve, as a process', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let dir: string;
  let params: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-serve-'));
    sim = await startSimulator({ outDir: join(dir, 'sim') });
    params = join(dir, 'params.json');
    await writeFile(params, JSON.stringify(sim.paramsFor('client-credentials')), { mode: 0o600 });
    env = { NODE_EXTRA_CA_CERTS: sim.caFile };
  });
  after(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => sim.setFaults({ latencyMs: 0 }));

  it('on SIGTERM stops accepting, finishes the command in flight, and exits 0 (the token lock’s signal-exit loaded)', async () => {
    const serve = await startServe(['--params', params, '--state-dir', join(dir, 'state')], env);
    sim.setFaults({ latencyMs: 1500 });
    const inFlight = post(`${serve.url}/v1/commands/msgraph-user-get`, {
      user: sim.users.adele!.userPrincipalName,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    serve.child.kill('SIGTERM');
    const answer = await inFlight.catch((e: Error) => {
      throw new Error(
        `${e.message}\n${serve.stderr()}\nexit: ${serve.child.exitCode} ${serve.child.signalCode}`,
      );
    });
    expect(answer.status).to.equal(200);
    expect(
      ((await answer.json()) as { data: { UserPrincipalName: string }[] }).data[0]!
        .UserPrincipalName,
    ).to.equal(sim.users.adele!.userPrincipalName);
    expect(await serve.exited).to.equal(0);
    const after = await post(`${serve.url}/v1/commands/msgraph-user-get`, { user: 'x' }).catch(
      () => 'refused',
    );
    expect(after).to.equal('refused');
    const events = logLines(serve.stderr()).map((l) => l.msg);
    expect(events).to.include.members(['signal', 'stopping', 'stopped']);
    expect(logLines(serve.stderr()).find((l) => l.msg === 'stopping')).to.include({ in_flight: 1 });
  });

  it('stops within --shutdown-timeout when a command outlasts it, and says so (exit 1)', async () => {
    const serve = await startServe(
      ['--params', params, '--state-dir', join(dir, 'state'), '--shutdown-timeout', '1'],
      env,
    );
    sim.setFaults({ latencyMs: 5000 });
    const stuck = post(`${serve.url}/v1/commands/msgraph-user-get`, { user: 'x@y' }).catch(
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    serve.child.kill('SIGTERM');
    expect(await serve.exited).to.equal(1);
    expect(await stuck).to.equal('cut');
    expect(logLines(serve.stderr()).map((l) => l.msg)).to.include(
      'stopped before every command ended',
    );
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const certs = await createCertificates();
    const cert = join(dir, 'server.pem');
    const key = join(dir, 'server.key');
    await writeFile(cert, certs.server.pem);
    await writeFile(key, certs.server.keyPem, { mode: 0o600 });
    const serve = await startServe(
      ['--params', params, '--state-dir', join(dir, 'state'), '--tls-cert', cert, '--tls-key', key],
      env,
    );
    expect(serve.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${serve.url}/healthz`, { ca: certs.ca.pem }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(status).to.equal(200);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).to.equal(0);
  });

  it('serve --sim starts the engine on a simulated tenant, with a private demo key', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'msgraph-user-serve-sim-'));
    try {
      const serve = await startServe(['--sim'], { MSGRAPH_USER_API_KEYS: '' }, cwd);
      const keyFile = join(cwd, '.msgraph-user-sim', 'api-key');
      expect(serve.stdout()).to.contain(`API key in ${keyFile}`);
      expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
      const key = (await readFile(keyFile, 'utf8')).trim();
      const answer = await post(
        `${serve.url}/v1/commands/msgraph-user-get`,
        { user: `AdeleV@msgraphsim.onmicrosoft.com` },
        key,
      );
      expect(answer.status).to.equal(200);
      expect(serve.stdout() + serve.stderr()).not.to.contain(key);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).to.equal(0);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('msgraph-user serve, bad options', () => {
  async function serve(argv: string[], env: NodeJS.ProcessEnv = {}) {
    let stderr = '';
    const code = await main(['serve', ...argv], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env,
    });
    return { code, stderr: stderr.trim() };
  }
  const paramsEnv = {
    AZURE_TENANT_ID: 't',
    AZURE_CLIENT_ID: 'c',
    AZURE_CLIENT_SECRET: 's3cret-value',
  };

  it('refuses to start without API keys, saying how to give them', async () => {
    expect(await serve([], paramsEnv)).to.deep.equal({
      code: 2,
      stderr:
        'msgraph-user: No API keys: set MSGRAPH_USER_API_KEYS=<key>[,<key>...] (read and write commands on every instance) or give --api-keys FILE.',
    });
  });

  it('refuses to start without an instance', async () => {
    const { code, stderr } = await serve([], { MSGRAPH_USER_API_KEYS: KEY });
    expect(code).to.equal(2);
    expect(stderr).to.match(/^msgraph-user: No instance to serve: give --params FILE/);
  });

  it('names the option that is wrong', async () => {
    const env = { ...paramsEnv, MSGRAPH_USER_API_KEYS: KEY };
    expect(await serve(['--listen', 'localhost'], env)).to.deep.equal({
      code: 2,
      stderr: 'msgraph-user: --listen must be HOST:PORT, e.g. 127.0.0.1:8787 (got "localhost").',
    });
    expect((await serve(['--tls-cert', 'c.pem'], env)).stderr).to.equal(
      'msgraph-user: --tls-cert and --tls-key go together: give both, or neither.',
    );
    expect((await serve(['--concurrency', '0'], env)).stderr).to.equal(
      'msgraph-user: --concurrency must be a whole number of at least 1 (got "0").',
    );
    expect((await serve(['--sim'], env)).code).to.equal(2);
    expect((await serve(['--api-keys', '/nonexistent/keys.yml'], env)).stderr).to.equal(
      'msgraph-user: Cannot read the API keys file /nonexistent/keys.yml: no such file or directory.',
    );
    expect((await serve([], { ...paramsEnv, MSGRAPH_USER_API_KEYS: 'short' })).code).to.equal(2);
  });

  it('answers serve --help and mcp --help with their usage, and checks --allow', async () => {
    let stdout = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => true },
      env: {},
    };
    expect(await main(['serve', '--help'], io)).to.equal(0);
    expect(stdout).to.match(/^usage: msgraph-user serve \[--listen HOST:PORT\]/);
    stdout = '';
    expect(await main(['mcp', '--help'], io)).to.equal(0);
    expect(stdout).to.match(/^usage: msgraph-user mcp /);
    let stderr = '';
    const code = await main(['mcp', '--allow', 'read,admin'], {
      ...io,
      stderr: { write: (t: string) => (stderr += t) },
    });
    expect(code).to.equal(2);
    expect(stderr.trim()).to.equal(
      'msgraph-user: --allow takes classes separated by commas, from: read, write, destructive, credential (got "read,admin").',
    );
  });

  it('names the instance whose parameters are wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msgraph-user-serve-bad-'));
    try {
      await writeFile(join(dir, 'contoso.yml'), 'azure_cloud: Mars\n');
      const { code, stderr } = await serve(['--instances', dir], { MSGRAPH_USER_API_KEYS: KEY });
      expect(code).to.equal(2);
      expect(stderr).to.match(
        new RegExp(`^msgraph-user: Instance "contoso" \\(${join(dir, 'contoso.yml')}\\): `),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
