/**
 * Argument values that need not be typed on the command line (where /proc/<pid>/cmdline and shell
 * history would keep them): `name=@file` reads the value from a file, `name=@-` from standard
 * input (one trailing newline dropped), `name=@@…` is a value that starts with "@". On a terminal,
 * a required secret argument that is left out is asked for without echo.
 */
import { UsageError } from '../base/errors.js';
import { readUserFile } from '../base/user-files.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { CliIo, Readable } from './io.js';

const withoutFinalNewline = (text: string): string => text.replace(/\r?\n$/, '');

async function readAll(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString();
  return text;
}

/** Reads one line from a terminal without echoing it; Ctrl-C or Ctrl-D gives up. */
export function promptHidden(question: string, io: CliIo): Promise<string> {
  const { stdin } = io;
  if (!stdin?.on || !stdin.off) return Promise.reject(new Error('standard input is not readable'));
  io.stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume?.();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: UsageError) => {
      stdin.off!('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause?.();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') {
          return finish(new UsageError('Cancelled: no value was entered.'));
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on!('data', onData);
  });
}

/** The value `raw` stands for: itself, a file's content, or standard input's. */
async function argumentValue(
  name: string,
  raw: string,
  io: CliIo,
  stdinUsed: { by?: string },
): Promise<string> {
  if (!raw.startsWith('@')) return raw;
  if (raw.startsWith('@@')) return raw.slice(1);
  if (raw === '@-') {
    if (stdinUsed.by) {
      throw new UsageError(
        `Only one argument can be read from standard input ("${stdinUsed.by}" already is); use name=@file for "${name}".`,
      );
    }
    if (!io.stdin) throw new UsageError(`"${name}=@-": standard input is not available.`);
    stdinUsed.by = name;
    return withoutFinalNewline(await readAll(io.stdin));
  }
  const file = raw.slice(1);
  if (!file) throw new UsageError(`"${name}=@" names no file: use ${name}=@FILE or ${name}=@-.`);
  return withoutFinalNewline(await readUserFile(file, `the file for argument "${name}"`));
}

/**
 * The arguments with `@file` and `@-` values read, and, on a terminal, the required secret
 * arguments that were left out asked for.
 */
export async function resolveArgumentInput(
  command: ManifestCommand,
  args: Record<string, string>,
  io: CliIo,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  const stdinUsed: { by?: string } = {};
  for (const [name, raw] of Object.entries(args)) {
    resolved[name] = await argumentValue(name, raw, io, stdinUsed);
  }
  const missingSecrets = (command.arguments ?? []).filter(
    (arg) => arg.secret && arg.required && !arg.hidden && resolved[arg.name] === undefined,
  );
  // Standard input is looked at only when there is something to ask: opening it costs start-up
  // time (Node's file streams) that most commands never need.
  if (missingSecrets.length === 0 || stdinUsed.by || !io.stdin?.isTTY) return resolved;
  for (const arg of missingSecrets) {
    resolved[arg.name] = await promptHidden(`${arg.name} (${command.name}, not shown): `, io);
  }
  return resolved;
}
