/**
 * `msgraph-user`: argv -> runtime -> output. Nothing else lives here: parsing options, choosing
 * the output format, and mapping outcomes to exit codes (0 ok, 1 error entry, 2 usage error).
 */
import { UsageError, UserError } from '../base/errors.js';
import { entryText, errorEntry, isErrorEntry, type Entry } from '../command/entries.js';
import { mergeEntryContext } from '../command/incident-context.js';
import { loadCompiledManifest } from '../manifest/compiled.js';
import { createRuntime } from '../runtime/compose.js';
import { unknownCommand } from '../runtime/dispatcher.js';
import { reportFailure } from './failure.js';
import { commandHelp, commandList, USAGE } from './help.js';
import type { CliIo } from './io.js';
import {
  INSTANCE_OPTIONS,
  parseCommandLine,
  runtimeOptions,
  type InstanceOptions,
} from './options.js';

export type { CliIo } from './io.js';
export { guardStdio } from './safe-output.js';

export type OutputFormat = 'markdown' | 'json' | 'context';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['markdown', 'json', 'context'];

export const GLOBAL_OPTIONS = {
  ...INSTANCE_OPTIONS,
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export interface GlobalOptions extends InstanceOptions {
  output: OutputFormat;
}

function globalOptions(values: InstanceOptions & { output?: string }): GlobalOptions {
  const output = (values.output ?? 'markdown') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output)) {
    throw new UsageError(
      `--output must be one of: ${OUTPUT_FORMATS.join(', ')} (got "${values.output}").`,
    );
  }
  return { ...values, output };
}

/**
 * `name=value` tokens; a bare token is the value of the command's default argument. A bare token
 * that cannot be placed is quoted in the error, unless `secretArguments`: it may be a password
 * typed without its `name=`.
 */
export function commandArguments(
  tokens: string[],
  defaultArgument: string | undefined,
  command: string,
  secretArguments = false,
): Record<string, string> {
  const args: Record<string, string> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    let name: string;
    let value: string;
    if (eq > 0) {
      name = token.slice(0, eq);
      value = token.slice(eq + 1);
    } else if (defaultArgument) {
      name = defaultArgument;
      value = token;
    } else {
      const shown = secretArguments
        ? `value ${tokens.indexOf(token) + 1} (not shown: ${command} takes secrets)`
        : JSON.stringify(token);
      throw new UsageError(
        `Arguments are name=value pairs; ${shown} has no "=" and ${command} has no default argument.`,
      );
    }
    if (name in args) throw new UsageError(`Argument ${JSON.stringify(name)} is given twice.`);
    args[name] = value;
  }
  return args;
}

function render(entries: Entry[], format: OutputFormat, io: CliIo): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  for (const entry of entries) {
    if (isErrorEntry(entry)) io.stderr.write(`${entryText(entry)}\n`);
    else if (format === 'markdown') io.stdout.write(`${entryText(entry).replace(/\n?$/, '\n')}`);
  }
  if (format === 'context') {
    const context = entries.reduce(
      (ctx, e) => mergeEntryContext(ctx, e.EntryContext),
      {} as Record<string, unknown>,
    );
    io.stdout.write(`${JSON.stringify(context, null, 2)}\n`);
  }
}

async function runCommand(
  name: string,
  tokens: string[],
  options: GlobalOptions,
  io: CliIo,
): Promise<number> {
  const compiled = await loadCompiledManifest();
  const command = compiled.commands.get(name);
  if (!command) throw unknownCommand(name, compiled);
  const defaultArgument = (command.arguments ?? []).find((a) => a.default)?.name;
  const secrets = (command.arguments ?? []).some((a) => a.secret);
  const args = commandArguments(tokens, defaultArgument, name, secrets);
  const instance = await runtimeOptions(options, io);
  const { redactor } = instance;
  let entries: Entry[];
  try {
    const runtime = await createRuntime(instance);
    instance.logger?.debug(`instance ${runtime.instanceId} (${runtime.cloud.name} cloud)`);
    entries = await runtime.run(name, args);
  } catch (err) {
    if (err instanceof UsageError || !(err instanceof UserError)) throw err;
    entries = [errorEntry(redactor.redact(err.userMessage))];
  }
  render(entries, options.output, io);
  return entries.some(isErrorEntry) ? 1 : 0;
}

async function help(topic: string | undefined, io: CliIo): Promise<number> {
  const { manifest, commands } = await loadCompiledManifest();
  if (!topic) {
    io.stdout.write(`${USAGE}\n\n${commandList(manifest)}\n`);
    return 0;
  }
  const command = commands.get(topic);
  if (!command) throw unknownCommand(topic, await loadCompiledManifest());
  io.stdout.write(`${commandHelp(command)}\n`);
  return 0;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    // Subcommands with their own options parse their own argv. (`sim` is a separate program:
    // bin/msgraph-user.js starts it, so this command path never loads the simulator.)
    if (argv[0] === 'playbook') {
      const { runPlaybookCli } = await import('./playbook.js');
      return await runPlaybookCli(argv.slice(1), io);
    }
    if (argv[0] === 'login') {
      const { runLoginCli } = await import('./login.js');
      return await runLoginCli(argv.slice(1), io);
    }
    const { values, positionals } = parseCommandLine(argv, GLOBAL_OPTIONS, 'msgraph-user --help');
    if (values.version) {
      const { version } = await import('../base/version.js');
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (values.help || name === undefined) return await help(values.help ? name : undefined, io);
    if (name === 'help') return await help(rest[0], io);
    const options = globalOptions(values);
    return await runCommand(name, rest, options, io);
  } catch (err) {
    return reportFailure(err, io.stderr);
  }
}
