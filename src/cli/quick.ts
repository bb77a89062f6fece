/**
 * What the CLI answers without loading the runtime (HTTP client, auth, commands): help. The
 * launcher (bin/msgraph-user.js) sends `msgraph-user`, `help [command]` and `--help [command]`
 * here, to a small part of the bundle; anything this does not answer (a subcommand's help, an
 * unknown command) goes on to main.ts, which reuses `helpText` for its own help.
 */
import { loadCompiledManifest } from '../manifest/compiled.js';
import type { CliIo } from './io.js';

export { guardStdio } from './safe-output.js';

const HELP_WORDS = new Set(['help', '--help', '-h']);

/** The command list, or one manifest command's help; undefined for any other topic. */
export async function helpText(topic: string | undefined): Promise<string | undefined> {
  const compiled = await loadCompiledManifest();
  // Help is loaded only for help: it measures and wraps text, which a command does not need.
  const { commandHelp, commandList, USAGE } = await import('./help.js');
  if (topic === undefined) return `${USAGE}\n\n${commandList(compiled.manifest)}`;
  const command = compiled.commands.get(topic);
  return command ? commandHelp(command) : undefined;
}

/** The exit code when the answer was given here, undefined when main.ts must answer. */
export async function answerWithoutRuntime(argv: string[], io: CliIo): Promise<number | undefined> {
  const [first, topic, ...rest] = argv;
  if (rest.length > 0 || (first !== undefined && !HELP_WORDS.has(first))) return undefined;
  if (topic?.startsWith('-')) return undefined;
  const text = await helpText(topic);
  if (text === undefined) return undefined;
  io.stdout.write(`${text}\n`);
  return 0;
}
