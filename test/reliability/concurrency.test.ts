/**
 * Concurrency: 16 CLI processes start cold at once on one state directory, each running 20
 * commands (one `msgraph-user playbook run`, so each process runs all 20), against the simulated
 * tenant. Two of each process's commands write the integration context (a new MFA client secret
 * is stored there), so a lost update would show in the context's write counter.
 */
import { expect } from 'chai';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  linearPlaybook,
  listFiles,
  runCliProcess,
  TempDirs,
  writeJson,
  type CliResult,
  type PlaybookStep,
} from './support.js';

const PROCESSES = 16;
/** Commands that write the integration context, per process. */
const CONTEXT_WRITES = 2;

/** 20 commands: reads of every kind, and two that store a secret in the integration context. */
function playbookYaml(sim: Simulator): string {
  const { kim, sara, patti, adele } = sim.users as Record<string, { userPrincipalName: string }>;
  const writer = ['msgraph-user-create-mfa-client-secret', {}] as const;
  const steps: PlaybookStep[] = [
    writer,
    ['msgraph-user-get', { user: kim!.userPrincipalName }],
    ['msgraph-user-list', { limit: '5' }],
    ['msgraph-user-get-groups', { user: kim!.userPrincipalName }],
    ['msgraph-user-get-manager', { user: sara!.userPrincipalName }],
    ['msgraph-direct-reports', { user: patti!.userPrincipalName }],
    ['msgraph-user-get-auth-methods', { user: kim!.userPrincipalName }],
    ['msgraph-user-owned-devices-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-phone-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-email-method-list', { user: kim!.userPrincipalName }],
    writer,
    ['msgraph-user-get', { user: adele!.userPrincipalName }],
    ['msgraph-user-tap-policy-list', { user_id: kim!.userPrincipalName }],
    ['msgraph-user-fido2-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-authenticator-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-software-oath-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-windows-hello-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-temp-access-pass-method-list', { user: kim!.userPrincipalName }],
    ['msgraph-user-get-user-default-auth-method', { user: kim!.userPrincipalName }],
    ['msgraph-user-test', {}],
  ];
  return linearPlaybook('Concurrency', steps);
}

interface TaskReport {
  command?: string;
  status: string;
  error?: string;
}

describe(`concurrency: ${PROCESSES} CLI processes × 20 commands on one state directory`, function () {
  this.timeout(180_000);
  const dirs = new TempDirs();
  let sim: Simulator;
  let stateDir: string;
  let results: CliResult[];

  before(async () => {
    const dir = await dirs.make('concurrency');
    stateDir = join(dir, 'state');
    sim = await startSimulator({ outDir: join(dir, 'sim') });
    const params = await writeJson(join(dir, 'params.json'), {
      ...sim.paramsFor('client-credentials'),
      allow_secret_generators: true,
    });
    const playbook = join(dir, 'concurrency.yml');
    await writeFile(playbook, playbookYaml(sim));
    const argv = ['playbook', 'run', playbook, '--params', params, '--state-dir', stateDir];
    results = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        runCliProcess([...argv, '--output', 'json'], {
          env: { NODE_EXTRA_CA_CERTS: sim.caFile },
          killAfterMs: 150_000,
        }),
      ),
    );
  });
  after(async () => {
    await sim?.close();
    await dirs.removeAll();
  });

  const instanceDir = async () => {
    const instances = await readdir(join(stateDir, 'instances'));
    expect(instances, 'one instance for one set of parameters').to.have.length(1);
    return join(stateDir, 'instances', instances[0]!);
  };

  it('every command of every process succeeds', () => {
    for (const [i, result] of results.entries()) {
      expect(result.code, `process ${i}: ${result.stderr}`).to.equal(0);
      const report = JSON.parse(result.stdout) as { status: string; tasks: TaskReport[] };
      expect(report.status).to.equal('completed');
      const commands = report.tasks.filter((t) => t.command?.startsWith('msgraph-'));
      expect(commands).to.have.length(20);
      const failed = commands.filter((t) => t.status !== 'completed');
      expect(
        failed.map((t) => `${t.command}: ${t.error}`),
        `process ${i}`,
      ).to.deep.equal([]);
    }
  });

  it('the simulator issued exactly one token', () => {
    expect(sim.stats().tokensIssued).to.deep.equal({ client_credentials: 1 });
  });

  it('the integration context is valid JSON, private, and counts every write (no lost update)', async () => {
    const file = join(await instanceDir(), 'context.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      version: number;
      context: Record<string, unknown>;
    };
    // One write stored the token; every other write is a secret stored by a command.
    expect(saved.version).to.equal(1 + PROCESSES * CONTEXT_WRITES);
    expect(saved.context.access_token).to.be.a('string');
    expect(saved.context.mfa_client_secret).to.have.property('secret').that.is.a('string');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const addPassword = (sim.stats().requests as Record<string, number>)[
      'POST /v1.0/servicePrincipals/{id}/addPassword'
    ];
    expect(addPassword).to.equal(PROCESSES * CONTEXT_WRITES);
  });

  it('leaves no lock, temporary or quarantined file behind', async () => {
    const dir = await instanceDir();
    const names = (await listFiles(dir)).map((f) => f.slice(dir.length + 1));
    expect(names).to.deep.equal(['context.json']);
    expect(await readdir(dir)).to.deep.equal(['context.json']);
  });
});
