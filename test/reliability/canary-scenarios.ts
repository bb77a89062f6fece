/**
 * What the canary suite runs against the simulated tenant, collecting everything that is written
 * (outputs, logs, entries, run results, recordings, state files) for the scan: commands through
 * the real CLI process and the CLI's main in process, the other authentication flows through the
 * runtime API, and two playbooks recorded and replayed (one in process, one by the CLI).
 */
import { request } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Flow, Simulator } from '../../sim/index.js';
import { recordPlaybook, replayPlaybook } from '../../src/playbook/testing.js';
import { isErrorEntry } from '../../src/command/entries.js';
import { createRuntime } from '../../src/runtime/compose.js';
import { canary, Needles, passInZip, scanStateDir, type Haystack } from './canary-scan.js';
import type { TempDirs } from './support.js';
import {
  IN_PROCESS_DEADLINE_MS,
  judge,
  keepingLogger,
  listFiles,
  runCliProcess,
  runInProcess,
  runtimeCase,
  underDeadline,
} from './support.js';

type Json = Record<string, unknown>;

export const CANARIES = {
  legacyKey: canary('legacy-key'),
  password: canary('password'),
  nextPassword: canary('next-password'),
  zip: canary('zip'),
  badZip: canary('bad-zip'),
  mfaSecret: canary('mfa-secret'),
  mfaToken: canary('mfa-token'),
  rejectedPassword: canary('rejected-password'),
  changedPassword: canary('changed-password'),
  cliPassword: canary('cli-password'),
  cliZip: canary('cli-zip'),
  pbPassword: canary('pb-password'),
  pbZip: canary('pb-zip'),
  cliPbPassword: canary('cli-pb-password'),
  dumpPassword: canary('dump-password'),
};
const C = CANARIES;

/** `COMMAND name=value ...` */
const cmd = (command: string, args: Record<string, string> = {}): string[] => [
  command,
  ...Object.entries(args).map(([k, v]) => `${k}=${v}`),
];

const passwordProfile = (password: string) =>
  `passwordProfile={"password":"${password}","forceChangePasswordNextSignIn":true}`;

/** An authorization code from the simulator's authorize endpoint (it signs the admin in at once). */
export function authorizationCode(sim: Simulator): Promise<string> {
  const app = sim.apps.clientSecret;
  const query = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: app.redirectUri,
    scope: 'offline_access https://graph.microsoft.com/.default',
    state: 'rel',
  });
  const url = `${sim.url}/${sim.tenantId}/oauth2/v2.0/authorize?${query.toString()}`;
  return new Promise((resolve, reject) => {
    request(url, { ca: sim.caPem }, (res) => {
      res.resume();
      resolve(new URL(res.headers.location ?? 'x:').searchParams.get('code') ?? '');
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A playbook: its tasks in a line, each `[command or built-in script, args, extra task keys]`,
 * inputs required.
 */
export function playbookYaml(id: string, inputs: string[], steps: [string, Json, Json?][]): string {
  const tasks: Json = { '0': { id: '0', type: 'start', task: {}, nexttasks: { '#none#': ['1'] } } };
  steps.forEach(([name, args, extra], i) => {
    const task = name.startsWith('msgraph-')
      ? { name, script: `|||${name}` }
      : { name, scriptName: name };
    tasks[String(i + 1)] = {
      id: String(i + 1),
      type: 'regular',
      task,
      scriptarguments: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, { simple: v }])),
      ...(i + 1 < steps.length ? { nexttasks: { '#none#': [String(i + 2)] } } : {}),
      ...extra,
    };
  });
  const declared = inputs.map((key) => ({ key, required: true }));
  return stringify({ id, name: id, starttaskid: '0', inputs: declared, tasks });
}

export interface Outcome {
  label: string;
  code: number;
  expected: number;
}

export class CanaryRun {
  readonly needles = new Needles();
  readonly haystacks: (Haystack & { kind: string })[] = [];
  readonly outcomes: Outcome[] = [];
  readonly stateDirs: string[] = [];
  /** What `collect` found: secrets in contexts, and passes in zips. */
  readonly issued: { secrets: string[]; passes: string[] } = { secrets: [], passes: [] };
  private readonly recordingDirs: string[] = [];

  constructor(
    readonly sim: Simulator,
    readonly dirs: TempDirs,
    readonly dir: string,
    /** Params file (client credentials, a legacy key canary, secret generators allowed). */
    readonly params: string,
    /** The same with "Trust any certificate": main in this process cannot trust the sim's CA. */
    readonly insecureParams: string,
  ) {}

  private keep(kind: string, where: string, content: string | Buffer) {
    this.haystacks.push({ kind, where, content });
  }

  /** `msgraph-user ARGV` in process, with --debug; JSON output every other run. */
  private async viaMain(label: string, argv: string[], expected: number, state: string) {
    const json = this.outcomes.length % 2 === 0 ? ['--output', 'json'] : [];
    const options = ['--params', this.insecureParams, '--state-dir', state, '--debug', ...json];
    const result = await runInProcess([...argv, ...options]);
    this.outcomes.push({ label: `main: ${label}`, code: result.code, expected });
    this.keep('output', `stdout of main: ${label}`, result.stdout);
    this.keep('output', `stderr (debug log included) of main: ${label}`, result.stderr);
  }

  /** `msgraph-user ARGV` as a real process, with --debug, trusting the simulator's CA. */
  async viaProcess(label: string, argv: string[], expected: number) {
    const result = await runCliProcess([...argv, '--debug'], {
      env: { NODE_EXTRA_CA_CERTS: this.sim.caFile },
    });
    this.outcomes.push({ label: `process: ${label}`, code: result.code, expected });
    this.keep('output', `stdout of the CLI: ${label}`, result.stdout);
    this.keep('output', `stderr (debug log included) of the CLI: ${label}`, result.stderr);
    return result;
  }

  async commands(): Promise<void> {
    const [stateA, stateB] = [
      await this.dirs.make('canary-main'),
      await this.dirs.make('canary-cli'),
    ];
    this.stateDirs.push(stateA, stateB);
    const kim = this.sim.users.kim!.userPrincipalName;
    const a = `rel-canary-main@${this.sim.tenantDomain}`;
    const create = (upn: string, password: string) =>
      cmd('msgraph-user-create', {
        display_name: 'Canary User',
        mail_nickname: upn.split('@')[0]!,
        password,
        user_principal_name: upn,
      });
    const steps: [string, string[], number][] = [
      ['create', create(a, C.password), 0],
      [
        'a password change Graph refuses (app-only)',
        cmd('msgraph-user-update', { user: a, updated_fields: passwordProfile(C.nextPassword) }),
        1,
      ],
      [
        'create a TAP',
        cmd('msgraph-user-tap-policy-create', { user_id: a, zip_password: C.zip }),
        0,
      ],
      ['create an MFA client secret', cmd('msgraph-user-create-mfa-client-secret'), 0],
      ['create an MFA token', cmd('msgraph-user-create-mfa-client-access-token'), 0],
      ['request MFA', cmd('msgraph-user-request-mfa', { user_mail: kim }), 0],
      [
        'a rejected MFA client secret',
        cmd('msgraph-user-create-mfa-client-access-token', { client_secret: C.mfaSecret }),
        1,
      ],
      [
        'a rejected MFA token',
        cmd('msgraph-user-request-mfa', { user_mail: kim, access_token: C.mfaToken }),
        1,
      ],
      [
        'a TAP lifetime out of bounds',
        cmd('msgraph-user-tap-policy-create', {
          user_id: a,
          zip_password: C.badZip,
          lifetime_in_minutes: '5',
        }),
        1,
      ],
      ['a create Graph refuses', create('x@unverified.example', C.rejectedPassword), 1],
      ['delete', cmd('msgraph-user-delete', { user: a }), 0],
    ];
    for (const [label, argv, expected] of steps) await this.viaMain(label, argv, expected, stateA);

    const b = `rel-canary-cli@${this.sim.tenantDomain}`;
    const options = ['--params', this.params, '--state-dir', stateB];
    const cli: [string, string[], number][] = [
      ['create', create(b, C.cliPassword), 0],
      [
        'create a TAP',
        [
          ...cmd('msgraph-user-tap-policy-create', { user_id: b, zip_password: C.cliZip }),
          '--output',
          'json',
        ],
        0,
      ],
      ['create an MFA client secret', cmd('msgraph-user-create-mfa-client-secret'), 0],
      [
        'a rejected MFA client secret',
        cmd('msgraph-user-create-mfa-client-access-token', { client_secret: C.mfaSecret }),
        1,
      ],
      ['delete', cmd('msgraph-user-delete', { user: b }), 0],
    ];
    for (const [label, argv, expected] of cli) {
      await this.viaProcess(label, [...argv, ...options], expected);
    }
  }

  /** The other authentication flows, through the runtime API. */
  async otherFlows(code: string): Promise<void> {
    const { kim, adele } = this.sim.users as Record<string, { userPrincipalName: string }>;
    const flows: [Flow, Json, string, Json][] = [
      [
        'authorization-code',
        { creds_auth_code: { password: code } },
        'msgraph-user-change-password',
        { user: adele!.userPrincipalName, password: C.changedPassword },
      ],
      ['xsoar-app', {}, 'msgraph-user-get', { user: kim!.userPrincipalName }],
      ['certificate', {}, 'msgraph-user-get', { user: kim!.userPrincipalName }],
    ];
    for (const [flow, extra, command, args] of flows) {
      const logger = keepingLogger();
      const stateDir = await this.dirs.make(`canary-${flow}`);
      this.stateDirs.push(stateDir);
      const params = { ...this.sim.paramsFor(flow), ...extra };
      const runtime = await createRuntime({ params, ca: this.sim.caPem, stateDir, logger });
      const entries = await runtimeCase(
        `${command} (${flow}, runtime)`,
        runtime.run(command, args),
      );
      const code = entries.some(isErrorEntry) ? 1 : 0;
      this.outcomes.push({ label: `runtime (${flow}): ${command}`, code, expected: 0 });
      this.keep('entries', `entries of ${command} (${flow})`, JSON.stringify(entries));
      this.keep('log', `debug log of ${command} (${flow})`, logger.lines.join('\n'));
    }
  }

  /** A user's life with a canary password, recorded and replayed in process. */
  async playbookInProcess(): Promise<void> {
    const upn = `rel-canary-pb@${this.sim.tenantDomain}`;
    const file = join(this.dir, 'canary-onboarding.yml');
    const steps: [string, Json][] = [
      [
        'msgraph-user-create',
        {
          display_name: 'Canary Playbook',
          mail_nickname: 'rel-canary-pb',
          password: '${inputs.password}',
          user_principal_name: upn,
        },
      ],
      ['msgraph-user-update', { user: upn, updated_fields: 'jobTitle=Canary tester' }],
      ['msgraph-user-account-disable', { user: upn }],
      ['msgraph-user-get', { user: upn }],
      ['msgraph-user-delete', { user: upn }],
    ];
    await writeFile(file, playbookYaml('Canary Onboarding', ['password'], steps));
    const recordings = await this.dirs.make('canary-recordings-main');
    this.recordingDirs.push(recordings);
    const params = JSON.parse(await readFile(this.params, 'utf8')) as Json;
    for (const mode of ['record', 'replay'] as const) {
      const logger = keepingLogger();
      const inputs = { password: C.pbPassword };
      const runtime = { ca: this.sim.caPem, logger };
      const outcome = await underDeadline(
        `playbook ${mode} of ${file} (in process)`,
        mode === 'record'
          ? recordPlaybook(file, recordings, { params, inputs, runtime })
          : replayPlaybook(file, recordings, { inputs, runtime }),
        IN_PROCESS_DEADLINE_MS,
      );
      const code = outcome.result.status === 'completed' ? 0 : 1;
      judge(`playbook ${mode} (in process)`, {
        code,
        stdout: '',
        stderr: outcome.result.error ?? '',
      });
      this.outcomes.push({ label: `playbook in process: ${mode}`, code, expected: 0 });
      this.keep('result', `run result of the playbook (${mode})`, JSON.stringify(outcome.result));
      this.keep('log', `debug log of the playbook (${mode})`, logger.lines.join('\n'));
    }
  }

  /** A user created with a canary password and MFA credentials, recorded and replayed by the CLI. */
  async playbookThroughTheCli(): Promise<void> {
    const upn = `rel-canary-pb-cli@${this.sim.tenantDomain}`;
    const file = join(this.dir, 'canary-mfa.yml');
    const steps: [string, Json][] = [
      [
        'msgraph-user-create',
        {
          display_name: 'Canary Playbook Cli',
          mail_nickname: 'rel-canary-pb-cli',
          password: '${inputs.password}',
          user_principal_name: upn,
        },
      ],
      ['msgraph-user-create-mfa-client-secret', {}],
      ['msgraph-user-create-mfa-client-access-token', {}],
      ['msgraph-user-request-mfa', { user_mail: this.sim.users.kim!.userPrincipalName }],
      ['msgraph-user-delete', { user: upn }],
    ];
    await writeFile(file, playbookYaml('Canary MFA', ['password'], steps));
    const recordings = await this.dirs.make('canary-recordings-cli');
    this.recordingDirs.push(recordings);
    const input = ['--input', `password=${C.cliPbPassword}`, '--output', 'json'];
    const run = ['playbook', 'run', file];
    await this.viaProcess(
      'playbook --record',
      [...run, '--record', recordings, '--params', this.params, ...input],
      0,
    );
    await this.viaProcess('playbook --replay', [...run, '--replay', recordings, ...input], 0);
  }

  /**
   * A secret input copied into the context by Set before the command that takes it runs, then
   * quoted by a failing VerifyContext: the task lines, the final "Context:" dump (markdown) and
   * the JSON result must show none of it. Through the CLI, once per output format.
   */
  async playbookContextDumps(): Promise<void> {
    for (const output of ['markdown', 'json'] as const) {
      const upn = `rel-canary-dump-${output}@${this.sim.tenantDomain}`;
      const file = join(this.dir, `canary-dump-${output}.yml`);
      const steps: [string, Json, Json?][] = [
        ['Set', { key: 'Copied.Password', value: '${inputs.password}' }],
        [
          'msgraph-user-create',
          {
            display_name: 'Canary Dump',
            mail_nickname: `rel-canary-dump-${output}`,
            password: '${inputs.password}',
            user_principal_name: upn,
          },
        ],
        [
          'VerifyContext',
          { path: 'Copied.Password', expectedValue: 'x' },
          { continueonerror: true },
        ],
        ['msgraph-user-delete', { user: upn }],
      ];
      await writeFile(file, playbookYaml(`Canary Dump ${output}`, ['password'], steps));
      const argv = ['playbook', 'run', file, '--params', this.params, '--output', output];
      const result = await this.viaProcess(
        `playbook context dump (${output})`,
        [...argv, '--input', `password=${C.dumpPassword}`],
        0,
      );
      if (!result.stdout.includes('Copied')) throw new Error(`no context dump:\n${result.stdout}`);
    }
  }

  /**
   * Adds what the simulator issued to the needles (tokens and secrets from the contexts, passes
   * from the zips) and the state files and recordings to the haystacks.
   */
  async collect(zipPasswords: string[]): Promise<void> {
    for (const stateDir of this.stateDirs) {
      const scan = await scanStateDir(stateDir);
      scan.secrets.forEach((s, i) => this.needles.add(`issued secret ${i + 1} (${stateDir})`, s));
      this.issued.secrets.push(...scan.secrets);
      for (const { where, content } of scan.others) {
        this.keep('state', where, content);
        if (!where.endsWith('TAPPolicyInfo.zip (state dir)')) continue;
        for (const password of zipPasswords) {
          const pass = await passInZip(content as Buffer, password).catch(() => '');
          if (pass) this.needles.add(`the TAP in ${where}`, pass);
          if (pass) this.issued.passes.push(pass);
        }
      }
    }
    for (const recordings of this.recordingDirs) {
      for (const file of await listFiles(recordings)) {
        this.keep('recording', file, await readFile(file, 'utf8'));
      }
    }
  }
}
