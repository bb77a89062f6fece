/**
 * `msgraph-user <command> [name=value ...]`: the arguments (with `@file`, `@-` and prompts for
 * secrets), the runtime, the run (streaming a long listing straight to a data writer), the
 * output, and the exit code.
 */
import { UsageError, UserError } from '../base/errors.js';
import { errorEntry } from '../command/entries.js';
import { loadCompiledManifest } from '../manifest/compiled.js';
import { outputsPrefix } from '../manifest/outputs.js';
import type { CommandRun } from '../runtime/command-run.js';
import { createRuntime, type Runtime } from '../runtime/compose.js';
import { unknownCommand } from '../runtime/dispatcher.js';
import { resolveArgumentInput } from './argument-input.js';
import type { CliIo } from './io.js';
import { runtimeOptions, withProxyDefault, type InstanceOptions } from './options.js';
import { exitCode, openData, writeRun, type OutputChoice } from './output.js';

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

/** A run that failed before the command could (a configuration the runtime refused). */
function refusedRun(command: string, message: string): CommandRun {
  const entries = [errorEntry(message)];
  return { command, entries, results: [{ status: 'error', entries }] };
}

export async function runCommand(
  name: string,
  tokens: string[],
  options: InstanceOptions,
  choice: OutputChoice,
  io: CliIo,
): Promise<number> {
  const compiled = await loadCompiledManifest();
  const command = compiled.commands.get(name);
  if (!command) throw unknownCommand(name, compiled);
  const defaultArgument = (command.arguments ?? []).find((a) => a.default)?.name;
  const secrets = (command.arguments ?? []).some((a) => a.secret);
  const args = commandArguments(tokens, defaultArgument, name, secrets);
  const instance = await runtimeOptions(options, io);
  instance.params = withProxyDefault(instance.params) as Record<string, unknown>;
  const input = await resolveArgumentInput(command, args, io);
  const prefix = outputsPrefix(command);
  // Opened before the run: with no query to apply, a long listing streams into it page by page.
  const writer = await openData(choice, io);
  const sink = writer && !choice.query ? writer.write : undefined;
  let run: CommandRun;
  let runtime: Runtime | undefined;
  try {
    runtime = await createRuntime(instance);
    instance.logger?.debug(
      `instance ${runtime.instanceId} (${runtime.cloud.name} cloud), state in ${runtime.stateBackend.describe}`,
    );
    run = await runtime.execute(name, input, { sink });
  } catch (err) {
    if (err instanceof UsageError || !(err instanceof UserError)) throw err;
    run = refusedRun(name, instance.redactor.redact(err.userMessage));
  } finally {
    // A Redis connection would keep the process alive after its output.
    await runtime?.close();
  }
  await writeRun(run, prefix, choice, io, writer);
  return exitCode(run);
}
