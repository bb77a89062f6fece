/**
 * `msgraph-user login [--open | --device-code] [options]`: the authorization code flow without
 * copy and paste (src/auth/login.ts), or the device code flow for a machine with no browser
 * (src/auth/device-code.ts).
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../base/log.js';
import { createRuntime, type Runtime } from '../runtime/compose.js';
import type { CliIo } from './io.js';
import { UsageError } from '../base/errors.js';
import { INSTANCE_OPTIONS, parseCommandLine, runtimeOptions, withProxyDefault } from './options.js';

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

export const LOGIN_USAGE = `Usage: msgraph-user login [--open | --device-code] [options]

Signs in for the delegated commands (the authorization code flow) and stores the tokens for the
instance. By default it listens on the redirect URI's loopback port, prints (and with --open
opens) the sign-in URL and redeems the code. With --device-code it prints a page and a code to
enter there from any device (for SSH sessions and hosts with no browser).

Options:
  --open                open the sign-in URL in the default browser
  --device-code         sign in with a code on another device (the app must allow public client
                        flows)
  --params FILE         instance parameters (YAML or JSON; default: MSGRAPH_USER_PARAMS or AZURE_*)
  --state-dir DIR       where instances keep their state
  --state URL           keep the state on Redis instead (redis://[user:password@]host:port/db,
                        rediss:// for TLS; default: MSGRAPH_USER_STATE)
  --instance NAME       instance name
  --debug               log details on stderr (secrets redacted)`;

const LOGIN_OPTIONS = {
  ...INSTANCE_OPTIONS,
  open: { type: 'boolean' },
  'device-code': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runLoginCli(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(argv, LOGIN_OPTIONS, 'msgraph-user login --help', false);
  if (values.help) {
    io.stdout.write(`${LOGIN_USAGE}\n`);
    return 0;
  }
  if (values.open && values['device-code']) {
    throw new UsageError('Use --open or --device-code, not both.');
  }
  const options = await runtimeOptions(values, io);
  options.params = withProxyDefault(options.params) as Record<string, unknown>;
  const runtime = await createRuntime(options);
  try {
    return await signIn(runtime, values, options.logger!, io);
  } finally {
    await runtime.close();
  }
}

async function signIn(
  runtime: Runtime,
  values: { open?: boolean; 'device-code'?: boolean },
  log: Logger,
  io: CliIo,
): Promise<number> {
  if ('problem' in runtime.flow) throw runtime.flow.problem;
  const deps = {
    config: runtime.flow.config,
    cloud: runtime.cloud,
    http: runtime.http,
    store: runtime.integrationContext,
    redactor: runtime.redactor,
    log,
    clock: runtime.clock,
    io,
  };
  if (values['device-code']) {
    const { runDeviceCodeLogin } = await import('../auth/device-code.js');
    return runDeviceCodeLogin(deps);
  }
  const { runLogin } = await import('../auth/login.js');
  return runLogin({ ...deps, openBrowser: values.open ? openInBrowser : undefined });
}
