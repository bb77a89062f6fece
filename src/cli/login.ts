/**
 * `msgraph-user login [--params FILE] [--state-dir DIR] [--instance NAME] [--open] [--debug]`:
 * the authorization code flow without copy and paste (src/auth/login.ts does the work).
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { selectFlow } from '../auth/flow.js';
import { UsageError } from '../base/errors.js';
import { createLogger } from '../base/log.js';
import { Redactor } from '../base/redact.js';
import { createRuntime } from '../runtime/runtime.js';
import type { CliIo } from './main.js';
import { resolveParams } from './params-source.js';

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

export async function runLoginCli(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        params: { type: 'string' },
        'state-dir': { type: 'string' },
        instance: { type: 'string' },
        open: { type: 'boolean' },
        debug: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.split('\n')[0]} Usage: msgraph-user login [--params FILE] [--open].`,
    );
  }
  const { params } = await resolveParams(values.params, io.env);
  const redactor = new Redactor();
  const log = createLogger(
    (line) => io.stderr.write(line),
    redactor,
    values.debug ? 'debug' : 'warn',
  );
  const runtime = await createRuntime({
    params: params as Record<string, unknown>,
    stateDir: values['state-dir'],
    instance: values.instance,
    logger: log,
    redactor,
  });
  const { runLogin } = await import('../auth/login.js');
  return runLogin({
    config: selectFlow(runtime.params),
    cloud: runtime.cloud,
    http: runtime.http,
    store: runtime.integrationContext,
    redactor,
    log,
    io,
    openBrowser: values.open ? openInBrowser : undefined,
  });
}
