/**
 * What the canary suite runs against the simulated tenant, collecting everything that is written
 * (outputs, logs, entries, run results, recordings, state files) for the scan: commands through
 * the real CLI process and the CLI's main in process, and the other authentication flows through
 * the runtime API. Its playbooks are in canary-playbooks.ts.
 */
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { Flow, Simulator } from '../../sim/index.js';
import { isErrorEntry } from '../../src/command/entries.js';
import { createRuntime } from '../../src/runtime/compose.js';
import { canary, Needles, passInZip, scanStateDir, type Haystack } from './canary-scan.js';
import type { TempDirs } from './support.js';
import { keepingLogger, listFiles, runCliProcess, runInProcess, runtimeCase } from './support.js';

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
  readonly recordingDirs: string[] = [];

  constructor(
    readonly sim: Simulator,
    readonly dirs: TempDirs,
    readonly dir: string,
    /** Params file (client credentials, a legacy key canary, secret generators allowed). */
    readonly params: string,
    /** The same with "Trust any certificate": main in this process cannot trust the sim's CA. */
    readonly insecureParams: string,
  ) {}

  keep(kind: string, where: string, content: string | Buffer) {
    this.haystacks.push({ kind, where, content });
  }

  /** `msgraph-user ARGV` in process, with --debug; JSON output every other run. */
  private async viaMain(label: string, argv: string[], expected: number, state: string) {
    const json = this.outcomes.length % 2 === 0 ? ['--output', 'entries'] : [];
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
          'entries',
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
