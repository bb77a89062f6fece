/**
 * Help text, generated from the manifest: `msgraph-user --help` lists the commands,
 * `msgraph-user help <command>` shows one command's arguments and outputs.
 */
import type { Manifest, ManifestCommand } from '../manifest/types.js';

const firstSentence = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return end > 0 ? flat.slice(0, end + 1) : flat;
};

export const USAGE = `Usage:
  msgraph-user <command> [name=value ...] [options]   run one integration command
  msgraph-user help <command>                         a command's arguments and outputs
  msgraph-user login [--open] [options]               sign in for the authorization-code flow (browser)
  msgraph-user playbook run FILE [options]            run an XSOAR playbook (see --help playbook)
  msgraph-user sim [sim options]                      start the simulated tenant

Options:
  --params FILE          instance parameters (YAML or JSON keyed by parameter name);
                         default: $MSGRAPH_USER_PARAMS, else AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET
  --state-dir DIR        where instance state (tokens, context) lives; default: $MSGRAPH_USER_STATE_DIR or ~/.msgraph-user
  --instance NAME        instance name (default: derived from the parameters)
  --output FORMAT        markdown (default), json (the entries), context (the merged context)
  --debug                log requests and decisions to stderr (secrets redacted)
  -h, --help             this help
  -v, --version          the version

Exit codes: 0 success, 1 the command produced an error entry, 2 usage error.`;

export function commandList(manifest: Manifest): string {
  const commands = manifest.script.commands.filter((c) => !c.hidden);
  const width = Math.max(...commands.map((c) => c.name.length), 'test-module'.length) + 2;
  const line = (name: string, text: string) => `  ${name.padEnd(width)}${text}`;
  return [
    'Commands:',
    line('test-module', 'Checks the configuration: authenticates and makes one Graph call.'),
    ...commands.map((c) =>
      line(c.name, `${c.deprecated ? '[deprecated] ' : ''}${firstSentence(c.description)}`),
    ),
  ].join('\n');
}

function argumentLine(arg: NonNullable<ManifestCommand['arguments']>[number]): string {
  const facts: string[] = [];
  if (arg.required) facts.push('required');
  if (arg.defaultValue !== undefined) facts.push(`default: ${arg.defaultValue}`);
  if (arg.predefined) facts.push(`one of: ${arg.predefined.join(', ')}`);
  if (arg.type && arg.type !== 'string') facts.push(arg.type);
  if (arg['x-minimum'] !== undefined || arg['x-maximum'] !== undefined) {
    facts.push(`${arg['x-minimum'] ?? '…'}..${arg['x-maximum'] ?? '…'}`);
  }
  if (arg.isArray) facts.push('comma-separated list');
  if (arg['x-bulk']) facts.push('several values run in bulk');
  if (arg.secret) facts.push('secret');
  return `  ${arg.name}${facts.length ? ` (${facts.join('; ')})` : ''}\n      ${arg.description.replace(/\s+/g, ' ').trim()}`;
}

export function commandHelp(command: ManifestCommand): string {
  const lines = [
    `${command.name}${command.deprecated ? ' [deprecated]' : ''}`,
    '',
    command.description.replace(/\s+/g, ' ').trim(),
  ];
  if (command['x-delegated-only']) {
    lines.push('', 'Requires the authorization code flow (delegated permissions).');
  }
  if (command['x-requires-param']) {
    lines.push('', `Runs only when the "${command['x-requires-param']}" parameter is selected.`);
  }
  const args = (command.arguments ?? []).filter((a) => !a.hidden);
  lines.push('', 'Arguments:', ...(args.length ? args.map(argumentLine) : ['  (none)']));
  const outputs = command.outputs ?? [];
  if (outputs.length) {
    lines.push(
      '',
      'Context outputs:',
      ...outputs.map((o) => `  ${o.contextPath} (${o.type ?? 'Unknown'})`),
    );
  }
  return lines.join('\n');
}
