/**
 * `msgraph-user login [--open] [options]`:
 * the authorization code flow without copy and paste (src/auth/login.ts does the work).
 */
import { spawn } from 'node:child_process';
import { createRuntime } from '../runtime/compose.js';
import type { CliIo } from './io.js';
import { INSTANCE_OPTIONS, parseCommandLine, runtimeOptions } from './options.js';

/** Opens `url` with the platform's opener; failures are ignored (the URL is printed anyway). */
function openInBrowser(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => resolve());
    child.unref();
    resolve();
  });
}

export const LOGIN_USAGE = `Usage: msgraph-user login [--open] [options]

Signs in for the authorization code flow: listens on the redirect URI's loopback port, prints (and
with --open opens) the sign-in URL, redeems the code and stores the tokens for the instance.

Options:
  --open                open the sign-in URL in the default browser
  --params FILE         instance parameters (YAML or JSON; default: MSGRAPH_USER_PARAMS or AZURE_*)
  --state-dir DIR       where instances keep their state
  --instance NAME       instance name
  --debug               log details on stderr (secrets redacted)`;

const LOGIN_OPTIONS = {
  ...INSTANCE_OPTIONS,
  open: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runLoginCli(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(argv, LOGIN_OPTIONS, 'msgraph-user login --help', false);
  if (values.help) {
    io.stdout.write(`${LOGIN_USAGE}\n`);
    return 0;
  }
  const options = await runtimeOptions(values, io);
  const runtime = await createRuntime(options);
  if ('problem' in runtime.flow) throw runtime.flow.problem;
  const { runLogin } = await import('../auth/login.js');
  return runLogin({
    config: runtime.flow.config,
    cloud: runtime.cloud,
    http: runtime.http,
    store: runtime.integrationContext,
    redactor: runtime.redactor,
    log: options.logger!,
    clock: runtime.clock,
    io,
    openBrowser: values.open ? openInBrowser : undefined,
  });
}
