/**
 * Help text, generated from the manifest: `msgraph-user --help` lists the commands,
 * `msgraph-user help <command>` shows one command's arguments and outputs.
 */
import type { Manifest, ManifestCommand } from '../manifest/types.js';
import { truncate, wrap } from './terminal-text.js';

const firstSentence = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return end > 0 ? flat.slice(0, end + 1) : flat;
};

export const USAGE = `Usage:
  msgraph-user <command> [name=value ...] [options]   run one integration command
  msgraph-user help <command>                         a command's arguments and outputs
  msgraph-user login [--device-code] [options]        sign in for the delegated commands
  msgraph-user playbook run FILE [options]            run an XSOAR playbook
  msgraph-user sim [sim options]                      start the simulated tenant
  msgraph-user completion bash|zsh|fish               print a shell completion script
  msgraph-user serve [options]                        serve the commands over HTTP and MCP
  msgraph-user mcp [options]                          the commands as MCP tools on stdio
  msgraph-user state migrate --from LOC --to LOC      copy instance state between a folder and Redis

Options:
  --params FILE       instance parameters (YAML or JSON keyed by parameter name); default:
                      $MSGRAPH_USER_PARAMS, else AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET
  --state-dir DIR     where instance state (tokens, context) lives;
                      default: $MSGRAPH_USER_STATE_DIR or ~/.msgraph-user
  --state URL         keep it on Redis instead, shared by every process pointed at it:
                      redis://[user:password@]host:port/db (rediss:// for TLS); default:
                      $MSGRAPH_USER_STATE. $MSGRAPH_USER_STATE_KEY encrypts it (AES-256-GCM)
  --instance NAME     instance name (default: derived from the parameters)
  --files-dir DIR     where files that commands return are saved (default: the instance's folder)
  -o, --output FMT    text (default, for people), json, ndjson or csv (the data, for scripts),
                      markdown (the war-room text), entries (the XSOAR entries), context
  -q, --query EXPR    a JMESPath expression over the data (implies --output json)
  --debug             log requests and decisions to stderr (secrets redacted)
  -h, --help          this help; <command> --help for a command's
  -v, --version       the version

Arguments are name=value; name=@FILE reads the value from a file, name=@- from standard input.

Exit codes: 0 done, 1 an error (for bulk commands: any user failed), 2 usage error,
3 the user, manager or method does not exist.`;

const HELP_WIDTH = 100;

/** `text` wrapped to the help width, every line starting with `indent`. */
const wrapped = (text: string, indent: string): string =>
  wrap(text.replace(/\s+/g, ' ').trim(), HELP_WIDTH - indent.length)
    .map((line) => `${indent}${line}`)
    .join('\n');

export function commandList(manifest: Manifest): string {
  const commands = manifest.script.commands.filter((c) => !c.hidden);
  const width = Math.max(...commands.map((c) => c.name.length), 'test-module'.length) + 2;
  const line = (name: string, text: string) =>
    truncate(`  ${name.padEnd(width)}${text}`, HELP_WIDTH);
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
  const title = `  ${arg.name}${facts.length ? ` (${facts.join('; ')})` : ''}`;
  return `${truncate(title, HELP_WIDTH)}\n${wrapped(arg.description, '      ')}`;
}

export function commandHelp(command: ManifestCommand): string {
  const lines = [
    `${command.name}${command.deprecated ? ' [deprecated]' : ''}`,
    '',
    wrapped(command.description, ''),
    '',
    `Usage: msgraph-user ${command.name} [name=value ...] [options]`,
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
      ...outputs.map((o) => truncate(`  ${o.contextPath} (${o.type ?? 'Unknown'})`, HELP_WIDTH)),
    );
  }
  return lines.join('\n');
}
