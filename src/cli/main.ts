/**
 * `msgraph-user`: argv -> runtime -> output. Nothing else lives here: which subcommand, the global
 * options, help, and mapping failures to exit codes (0 done, 1 an error, 2 usage, 3 not found).
 */
import { UsageError } from '../base/errors.js';
import { loadCompiledManifest } from '../manifest/compiled.js';
import { unknownCommand } from '../runtime/dispatcher.js';
import { reportFailure } from './failure.js';
import type { CliIo } from './io.js';
import { INSTANCE_OPTIONS, parseCommandLine, type InstanceOptions } from './options.js';
import { outputChoice } from './output.js';
import { helpText } from './quick.js';
import { runCommand } from './run-command.js';
import type { StartSimulator } from './serve.js';

export type { CliIo } from './io.js';
export { commandArguments } from './run-command.js';
export { guardStdio } from './safe-output.js';
export type { StartSimulator } from './serve.js';

export const GLOBAL_OPTIONS = {
  ...INSTANCE_OPTIONS,
  output: { type: 'string', short: 'o' },
  query: { type: 'string', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Subcommands with their own options and help, loaded only when used. */
const SUBCOMMANDS: Record<string, () => Promise<(argv: string[], io: CliIo) => Promise<number>>> = {
  playbook: async () => (await import('./playbook.js')).runPlaybookCli,
  login: async () => (await import('./login.js')).runLoginCli,
  completion: async () => (await import('./completion.js')).runCompletionCli,
  serve: async () => (await import('./serve.js')).runServeCli,
  mcp: async () => (await import('./mcp.js')).runMcpCli,
  state: async () => (await import('./state.js')).runStateCli,
};

/**
 * `msgraph-user serve --sim ...` (`argv` follows `serve`): bin/msgraph-user.js loads the
 * simulator, a separate program never part of this bundle, and hands over its start function.
 */
export async function serveSimulated(
  argv: string[],
  io: CliIo,
  startSimulator: StartSimulator,
): Promise<number> {
  try {
    const { serveOnSimulator } = await import('./serve.js');
    return await serveOnSimulator(argv, io, startSimulator);
  } catch (err) {
    return reportFailure(err, io.stderr);
  }
}

async function help(topic: string | undefined, io: CliIo): Promise<number> {
  if (topic !== undefined && topic in SUBCOMMANDS) {
    return (await SUBCOMMANDS[topic]!())(['--help'], io);
  }
  const text = await helpText(topic);
  if (text === undefined) throw unknownCommand(topic!, await loadCompiledManifest());
  io.stdout.write(`${text}\n`);
  return 0;
}

/**
 * `--user x` for a command whose argument is `user`: say that arguments are `user=x`, the
 * mistake a user of az or the Graph PowerShell makes first.
 */
async function argumentAsOption(argv: string[], err: unknown): Promise<unknown> {
  const option = /Unknown option '--?([\w-]+)'/.exec((err as Error).message)?.[1];
  const commandName = argv.find((token) => !token.startsWith('-'));
  if (!option || !commandName) return err;
  const command = (await loadCompiledManifest()).commands.get(commandName);
  const argument = (command?.arguments ?? []).find(
    (a) => a.name === option || a.name === option.replace(/-/g, '_'),
  );
  if (!argument) return err;
  const index = argv.findIndex((token) => token.replace(/=.*/, '').endsWith(option));
  const value = argv[index]?.includes('=') ? argv[index]!.replace(/^[^=]*=/, '') : argv[index + 1];
  const example = `${argument.name}=${value && !value.startsWith('-') ? value : 'VALUE'}`;
  return new UsageError(
    `Unknown option '--${option}'. Command arguments are name=value pairs: ${example}. Run "msgraph-user help ${command!.name}".`,
  );
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    // Subcommands with their own options parse their own argv. (`sim` is a separate program:
    // bin/msgraph-user.js starts it, so this command path never loads the simulator.)
    const subcommand = argv[0] !== undefined ? SUBCOMMANDS[argv[0]] : undefined;
    if (subcommand) return await (await subcommand())(argv.slice(1), io);
    let parsed;
    try {
      parsed = parseCommandLine(argv, GLOBAL_OPTIONS, 'msgraph-user --help');
    } catch (err) {
      throw await argumentAsOption(argv, err);
    }
    const { values, positionals } = parsed;
    if (values.version) {
      const { version } = await import('../base/version.js');
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (values.help || name === undefined) return await help(values.help ? name : undefined, io);
    if (name === 'help') return await help(rest[0], io);
    const choice = await outputChoice(values.output, values.query);
    return await runCommand(name, rest, values as InstanceOptions, choice, io);
  } catch (err) {
    return reportFailure(err, io.stderr);
  }
}
