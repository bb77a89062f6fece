/**
 * The canary suite's playbooks: a user's life recorded and replayed in process, MFA credentials
 * recorded and replayed by the CLI, and the context a playbook run prints (a secret input copied
 * by Set, then quoted by a failing VerifyContext), each with canary secrets.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { recordPlaybook, replayPlaybook } from '../../src/playbook/testing.js';
import { CANARIES as C, type CanaryRun } from './canary-scenarios.js';
import { IN_PROCESS_DEADLINE_MS, judge, keepingLogger, underDeadline } from './support.js';

type Json = Record<string, unknown>;

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

/** A user's life with a canary password, recorded and replayed in process. */
export async function playbookInProcess(run: CanaryRun): Promise<void> {
  const upn = `rel-canary-pb@${run.sim.tenantDomain}`;
  const file = join(run.dir, 'canary-onboarding.yml');
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
  const recordings = await run.dirs.make('canary-recordings-main');
  run.recordingDirs.push(recordings);
  const params = JSON.parse(await readFile(run.params, 'utf8')) as Json;
  for (const mode of ['record', 'replay'] as const) {
    const logger = keepingLogger();
    const inputs = { password: C.pbPassword };
    const runtime = { ca: run.sim.caPem, logger };
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
    run.outcomes.push({ label: `playbook in process: ${mode}`, code, expected: 0 });
    run.keep('result', `run result of the playbook (${mode})`, JSON.stringify(outcome.result));
    run.keep('log', `debug log of the playbook (${mode})`, logger.lines.join('\n'));
  }
}

/** A user created with a canary password and MFA credentials, recorded and replayed by the CLI. */
export async function playbookThroughTheCli(run: CanaryRun): Promise<void> {
  const upn = `rel-canary-pb-cli@${run.sim.tenantDomain}`;
  const file = join(run.dir, 'canary-mfa.yml');
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
    ['msgraph-user-request-mfa', { user_mail: run.sim.users.kim!.userPrincipalName }],
    ['msgraph-user-delete', { user: upn }],
  ];
  await writeFile(file, playbookYaml('Canary MFA', ['password'], steps));
  const recordings = await run.dirs.make('canary-recordings-cli');
  run.recordingDirs.push(recordings);
  const input = ['--input', `password=${C.cliPbPassword}`, '--output', 'json'];
  const argv = ['playbook', 'run', file];
  await run.viaProcess(
    'playbook --record',
    [...argv, '--record', recordings, '--params', run.params, ...input],
    0,
  );
  await run.viaProcess('playbook --replay', [...argv, '--replay', recordings, ...input], 0);
}

/**
 * A secret input copied into the context by Set before the command that takes it runs, then
 * quoted by a failing VerifyContext: the task lines, the final "Context:" dump (markdown) and
 * the JSON result must show none of it. Through the CLI, once per output format.
 */
export async function playbookContextDumps(run: CanaryRun): Promise<void> {
  for (const output of ['markdown', 'json'] as const) {
    const upn = `rel-canary-dump-${output}@${run.sim.tenantDomain}`;
    const file = join(run.dir, `canary-dump-${output}.yml`);
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
      ['VerifyContext', { path: 'Copied.Password', expectedValue: 'x' }, { continueonerror: true }],
      ['msgraph-user-delete', { user: upn }],
    ];
    await writeFile(file, playbookYaml(`Canary Dump ${output}`, ['password'], steps));
    const argv = ['playbook', 'run', file, '--params', run.params, '--output', output];
    const result = await run.viaProcess(
      `playbook context dump (${output})`,
      [...argv, '--input', `password=${C.dumpPassword}`],
      0,
    );
    if (!result.stdout.includes('Copied')) throw new Error(`no context dump:\n${result.stdout}`);
  }
}
