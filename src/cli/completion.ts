/**
 * `msgraph-user completion bash|zsh|fish`: shell completion generated from the manifest, so it
 * never lists a command, argument or predefined value that the manifest does not have. Commands
 * complete first, then `name=` for the command's arguments, then a predefined argument's values
 * after `name=`, and the global options after `-`.
 */
import { UsageError } from '../base/errors.js';
import { loadCompiledManifest, TEST_MODULE } from '../manifest/compiled.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';

export const COMPLETION_USAGE = `Usage: msgraph-user completion bash|zsh|fish

Prints a shell completion script generated from the integration's commands and arguments.

  bash   source <(msgraph-user completion bash)          (e.g. in ~/.bashrc)
  zsh    source <(msgraph-user completion zsh)           (e.g. in ~/.zshrc)
  fish   msgraph-user completion fish > ~/.config/fish/completions/msgraph-user.fish`;

const SUBCOMMANDS = ['help', 'login', 'playbook', 'sim', 'completion', 'state'];
const OPTIONS = [
  '--params',
  '--state-dir',
  '--state',
  '--instance',
  '--files-dir',
  '--output',
  '--query',
  '--debug',
  '--help',
  '--version',
];
const OUTPUTS = ['text', 'json', 'ndjson', 'csv', 'markdown', 'entries', 'context'];

interface Completable {
  name: string;
  description: string;
  args: { name: string; values: string[] }[];
}

/** Shell words only: values with spaces or quotes are left out rather than mangled. */
const wordsOnly = (values: readonly string[]): string[] =>
  values.filter((value) => /^[\w@%+=:,./-]+$/.test(value));

function completable(commands: ManifestCommand[]): Completable[] {
  return [TEST_MODULE, ...commands]
    .filter((command) => !command.hidden)
    .map((command) => ({
      name: command.name,
      description: command.description.replace(/\s+/g, ' ').split('. ')[0]!.slice(0, 80),
      args: (command.arguments ?? [])
        .filter((arg) => !arg.hidden)
        .map((arg) => ({ name: arg.name, values: wordsOnly(arg.predefined ?? []) })),
    }));
}

function bashScript(commands: Completable[]): string {
  const argumentCases = commands
    .filter((c) => c.args.length > 0)
    .map((c) => `    ${c.name}) words="${c.args.map((a) => `${a.name}=`).join(' ')}" ;;`);
  const valueCases = commands.flatMap((c) =>
    c.args
      .filter((a) => a.values.length > 0)
      .map((a) => `      "${c.name} ${a.name}") words="${a.values.join(' ')}" ;;`),
  );
  return `# msgraph-user completion for bash (generated from the manifest by msgraph-user completion bash)
_msgraph_user_completion() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local command=\${COMP_WORDS[1]} name="" words=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    words="${[...SUBCOMMANDS, ...commands.map((c) => c.name)].join(' ')}"
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  # bash splits name=value at "=": the value being typed follows an "=" word.
  if [[ $cur == "=" ]]; then name=$prev; cur=""
  elif [[ $prev == "=" ]]; then name=\${COMP_WORDS[COMP_CWORD-2]}
  fi
  if [[ $prev == --output || $prev == -o ]]; then
    COMPREPLY=($(compgen -W "${OUTPUTS.join(' ')}" -- "$cur"))
    return
  fi
  if [[ -n $name ]]; then
    case "$command $name" in
${valueCases.join('\n')}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    words="${OPTIONS.join(' ')}"
  else
    case $command in
${argumentCases.join('\n')}
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [[ \${COMPREPLY[0]} == *= ]]; then compopt -o nospace 2>/dev/null; fi
  return 0
}
complete -F _msgraph_user_completion msgraph-user
`;
}

/** zsh runs the bash completion through its bashcompinit layer, as az's completion does. */
const zshScript = (commands: Completable[]): string =>
  `# msgraph-user completion for zsh (generated from the manifest by msgraph-user completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(commands).split('\n').slice(1).join('\n')}`;

const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(commands: Completable[]): string {
  const lines = [
    '# msgraph-user completion for fish (generated from the manifest by msgraph-user completion fish)',
    'complete -c msgraph-user -f',
    ...SUBCOMMANDS.map((s) => `complete -c msgraph-user -n __fish_use_subcommand -a ${s}`),
    ...commands.map(
      (c) =>
        `complete -c msgraph-user -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.description)}`,
    ),
    ...OPTIONS.map((o) => `complete -c msgraph-user -l ${o.slice(2)}`),
    `complete -c msgraph-user -s o -l output -x -a ${fishQuote(OUTPUTS.join(' '))}`,
  ];
  for (const command of commands) {
    const seen = `-n '__fish_seen_subcommand_from ${command.name}'`;
    for (const arg of command.args) {
      const words = [`${arg.name}=`, ...arg.values.map((v) => `${arg.name}=${v}`)];
      lines.push(`complete -c msgraph-user ${seen} -a ${fishQuote(words.join(' '))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };

export async function runCompletionCli(argv: string[], io: CliIo): Promise<number> {
  const options = { help: { type: 'boolean', short: 'h' } } as const;
  const { values, positionals } = parseCommandLine(argv, options, 'msgraph-user completion --help');
  if (values.help) {
    io.stdout.write(`${COMPLETION_USAGE}\n`);
    return 0;
  }
  const [shell, ...extra] = positionals;
  if (!shell || extra.length > 0 || !(shell in SCRIPTS)) {
    throw new UsageError(
      `completion takes one shell: bash, zsh or fish${shell ? ` (got ${JSON.stringify(shell)})` : ''}. Run "msgraph-user completion --help".`,
    );
  }
  const { manifest } = await loadCompiledManifest();
  io.stdout.write(SCRIPTS[shell as keyof typeof SCRIPTS](completable(manifest.script.commands)));
  return 0;
}
