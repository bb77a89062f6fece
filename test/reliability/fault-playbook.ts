/**
 * The faults suite's playbook, generated: a mix of reads and whole user lifecycles (create with a
 * GenerateUUID name, get, update, disable, unblock, delete), COMMANDS commands in all.
 */
import { parsePlaybook } from '../../src/playbook/load.js';
import type { Playbook } from '../../src/playbook/types.js';

export const COMMANDS = 200;

type Args = Record<string, string>;

/**
 * Blocks of a fresh user's life (GenerateUUID, create, get, update, disable, unblock, delete) and
 * of reads (a seed user, a page of users), alternating, until COMMANDS commands. Every task
 * continues on error, so one exhausted retry budget does not hide the other 199 commands.
 */
export function faultPlaybook(domain: string, reader: string): Playbook {
  const tasks: Record<string, Record<string, unknown>> = {};
  const add = (task: Record<string, unknown>) => {
    const id = String(Object.keys(tasks).length);
    tasks[id] = { id, ...task, nexttasks: { '#none#': [String(Number(id) + 1)] } };
  };
  const script = (name: string, args: Args = {}) =>
    add({ type: 'regular', task: { name, scriptName: name }, scriptarguments: simple(args) });
  const command = (name: string, args: Args) =>
    add({
      type: 'regular',
      task: { name, script: `|||${name}` },
      scriptarguments: simple(args),
      continueonerror: true,
    });
  add({ type: 'start', task: {} });
  const upn = `rel-\${GeneratedUUID}@${domain}`;
  let count = 0;
  for (let block = 0; count < COMMANDS; block++) {
    if (block % 2 === 0 && count + 6 <= COMMANDS) {
      script('DeleteContext', { key: 'GeneratedUUID' });
      script('GenerateUUID');
      command('msgraph-user-create', {
        display_name: 'Reliability ${GeneratedUUID}',
        mail_nickname: 'rel-${GeneratedUUID}',
        password: 'Rel-Passw0rd!faults',
        user_principal_name: upn,
      });
      command('msgraph-user-get', { user: upn });
      command('msgraph-user-update', { user: upn, updated_fields: 'jobTitle=Analyst' });
      command('msgraph-user-account-disable', { user: upn });
      command('msgraph-user-unblock', { user: upn });
      command('msgraph-user-delete', { user: upn });
      count += 6;
    } else {
      command('msgraph-user-get', { user: reader });
      command('msgraph-user-list', { limit: '3' });
      count += 2;
    }
  }
  delete tasks[String(Object.keys(tasks).length - 1)]!.nexttasks;
  return parsePlaybook({ id: 'Faults', name: 'Faults', starttaskid: '0', tasks }, 'faults.yml');
}

const simple = (args: Args) =>
  Object.fromEntries(Object.entries(args).map(([k, v]) => [k, { simple: v }]));
