/**
 * Command-line parsing shared by every CLI face (a command, `login`, `playbook run`), so option
 * errors read the same everywhere, and the options that configure an instance mean the same thing
 * everywhere: they become RuntimeOptions here, and only here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../base/errors.js';
import { createLogger } from '../base/log.js';
import { terminalProgress } from '../base/progress.js';
import { Redactor } from '../base/redact.js';
import { escapeControlCharacters } from '../base/terminal-text.js';
import type { RuntimeOptions } from '../runtime/compose.js';
import type { CliIo } from './io.js';
import { resolveParams } from './params-source.js';

/** The options that say which instance to run as, accepted by every subcommand that runs one. */
export const INSTANCE_OPTIONS = {
  params: { type: 'string' },
  'state-dir': { type: 'string' },
  state: { type: 'string' },
  instance: { type: 'string' },
  'files-dir': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export interface InstanceOptions {
  params?: string;
  'state-dir'?: string;
  state?: string;
  instance?: string;
  'files-dir'?: string;
  debug?: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Escapes what a terminal would act on, in text that quotes the command line. */
export const printable = (text: string): string => escapeControlCharacters(text, true);

/**
 * Parses `argv` against `options`; an unknown option or a missing value is a UsageError that
 * points at `help` (e.g. `msgraph-user login --help`).
 */
export function parseCommandLine<T extends Options>(
  argv: string[],
  options: T,
  help: string,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const message = printable(
      (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/s, '.'),
    );
    throw new UsageError(`${message} Run "${help}".`);
  }
}

/**
 * A terminal honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY as az and the Microsoft 365 CLI do,
 * unless the params file says otherwise (`proxy: false`); XSOAR's checkbox defaults to off.
 */
export function withProxyDefault(params: unknown): unknown {
  const isMapping = typeof params === 'object' && params !== null && !Array.isArray(params);
  return !isMapping || 'proxy' in params ? params : { ...params, proxy: true };
}

/**
 * Where the instance's state lives: `--state`, else MSGRAPH_USER_STATE (a Redis URL), else the
 * state dir. The URL and MSGRAPH_USER_STATE_KEY are checked here, so a mistake in either is a
 * usage error naming where it came from before anything runs.
 */
async function stateOptions(
  values: InstanceOptions,
  env: NodeJS.ProcessEnv,
): Promise<Pick<RuntimeOptions, 'state' | 'stateKey'>> {
  const fromOption = values.state !== undefined;
  const url = fromOption ? values.state : env.MSGRAPH_USER_STATE || undefined;
  if (url === undefined) return {};
  const { parseRedisUrl } = await import('../state/redis-connection.js');
  parseRedisUrl(url, fromOption ? '--state' : 'MSGRAPH_USER_STATE');
  const key = env.MSGRAPH_USER_STATE_KEY || undefined;
  if (key !== undefined) {
    const { parseStateKey } = await import('../state/state-cipher.js');
    parseStateKey(key);
  }
  return { state: url, stateKey: key };
}

/** The runtime options an instance's command-line options describe. */
export async function runtimeOptions(
  values: InstanceOptions,
  io: CliIo,
  paramsRequired = true,
): Promise<RuntimeOptions & { redactor: Redactor }> {
  const { params } = await resolveParams(values.params, io.env, paramsRequired);
  const state = await stateOptions(values, io.env);
  const redactor = new Redactor();
  const logger = createLogger(
    (line) => io.stderr.write(line),
    redactor,
    values.debug ? 'debug' : 'warn',
  );
  return {
    params: params as Record<string, unknown>,
    stateDir: values['state-dir'],
    ...state,
    filesDir: values['files-dir'],
    instance: values.instance,
    logger,
    redactor,
    progress: terminalProgress(io.stderr),
  };
}
