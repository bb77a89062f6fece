/**
 * `npm start`: the product doing its real job, with no network and no Azure account. A simulated
 * Entra ID tenant starts in this process (HTTPS on 127.0.0.1, its own CA); a client-credentials
 * instance is configured against it; playbooks/offboarding.yml runs through the real path
 * (msal-node over HTTPS, the dispatcher, the Graph layer, the context store in a temporary state
 * directory); and the war room is printed: each task with its human-readable output, then what was
 * done to whom and what it cost the tenant.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlaybook } from '../src/playbook/load.js';
import { runPlaybook } from '../src/playbook/runner.js';
import type { RunResult, TaskResult } from '../src/playbook/types.js';
import { entryText, isErrorEntry } from '../src/command/entries.js';
import { createRuntime } from '../src/runtime/compose.js';
import { markdownText } from '../src/cli/terminal-text.js';
import { startSimulator, type Simulator } from '../sim/index.js';

const PLAYBOOK = fileURLToPath(new URL('../playbooks/offboarding.yml', import.meta.url));
const out = (text = '') => process.stdout.write(`${text}\n`);
const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((l) => (l ? `${by}${l}` : l))
    .join('\n');

/** The CLI's terminal renderer, for the war-room text of each task (indented by 6). */
const style = {
  width: (process.stdout.columns || 100) - 6,
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};
const plain = (markdown: string): string => markdownText(markdown, style);

function printTask(task: TaskResult): void {
  if (task.type === 'start') return;
  if (task.type === 'title' || task.type === 'section') {
    out(`\n== ${task.name} ==`);
    return;
  }
  if (task.type === 'condition') {
    out(`  ? ${task.name} ${task.branch === '#default#' ? 'no' : task.branch}`);
    return;
  }
  out(`  > ${task.name}${task.status === 'completed' ? '' : ` [${task.status}]`}`);
  const text = task.entries
    .filter((e) => !isErrorEntry(e))
    .map((e) => plain(entryText(e)))
    .filter(Boolean)
    .join('\n');
  if (text) out(indent(text, '      '));
  if (task.error) out(indent(`error: ${task.error}`, '      '));
}

const asRecord = (value: unknown): Record<string, unknown> =>
  (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;

function summary(result: RunResult, sim: Simulator, seconds: number): string[] {
  const user = asRecord(result.context.MSGraphUser) ?? {};
  const manager = asRecord(asRecord(result.context.MSGraphUserManager)?.Manager) ?? {};
  const deleted = result.tasks
    .filter((t) => t.status === 'completed' && t.command?.endsWith('-method-delete'))
    .map((t) => t.name.replace(/^Delete the (.*) method$/, '$1'));
  const stats = sim.stats() as {
    totalRequests: number;
    tokensIssued: Record<string, number>;
    throttled: number;
  };
  const tokens = Object.entries(stats.tokensIssued)
    .map(([grant, n]) => `${n} ${grant.replace(/_/g, ' ')}`)
    .join(', ');
  return [
    `Offboarded ${String(user.DisplayName)} <${String(user.UserPrincipalName)}>, ${String(user.JobTitle)}:`,
    `  - account disabled (accountEnabled: ${String(user.AccountEnabled)})`,
    `  - sign-in sessions revoked (valid only from ${String(user.SignInSessionsValidFromDateTime)})`,
    `  - ${deleted.length} authentication method(s) deleted (${deleted.join(', ')}); only the password is left`,
    `  - tell the manager: ${String(manager.DisplayName)} <${String(manager.Mail)}>`,
    `${stats.totalRequests} HTTPS requests to the tenant, ${tokens} token(s) issued, ${stats.throttled} throttled; ${seconds.toFixed(1)} s`,
  ];
}

async function main(): Promise<number> {
  const started = performance.now();
  const sim = await startSimulator({ seed: 1 });
  const stateDir = await mkdtemp(join(tmpdir(), 'msgraph-user-demo-'));
  try {
    const params = sim.paramsFor('client-credentials');
    const runtime = await createRuntime({ params, stateDir, ca: sim.caPem });
    const playbook = await loadPlaybook(PLAYBOOK);
    out('msgraph-user: offboarding a user of a simulated Entra ID tenant');
    out(`  tenant    ${sim.url} (in this process; no network, no Azure account)`);
    out(`  instance  client credentials, app ${sim.apps.clientSecret.clientId}`);
    out(`  playbook  playbooks/offboarding.yml ("${playbook.name}")`);
    const result = await runPlaybook(playbook, runtime, { reporter: printTask });
    out();
    if (result.status !== 'completed') {
      out(`The playbook failed: ${result.error ?? 'unknown reason'}`);
      return 1;
    }
    const seconds = (performance.now() - started) / 1000;
    for (const line of summary(result, sim, seconds)) out(line);
    return 0;
  } finally {
    await sim.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
