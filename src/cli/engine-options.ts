/**
 * What `serve` and `mcp` share: which instances the engine serves, read from the command line
 * and the environment.
 *   - the default instance: `--params FILE`, else MSGRAPH_USER_PARAMS, else the AZURE_* variables;
 *   - more instances: `--instances FILE` (a map of name -> parameters) or `--instances DIR` (one
 *     params file per instance, named after the file: `contoso.yml` is instance "contoso");
 *   - where they keep state: `--state redis://…`, else MSGRAPH_USER_STATE, else the state dir.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../base/errors.js';
import type { Clock } from '../base/clock.js';
import type { Redactor } from '../base/redact.js';
import { DEFAULT_INSTANCE } from '../engine/engine.js';
import type { InstanceConfig } from '../engine/instances.js';
import type { EngineLog } from '../engine/log.js';
import { memoryState, redisState, type SharedState } from '../engine/shared-state.js';
import { parseRedisUrl } from '../state/redis-connection.js';
import { parseStateKey, stateCipher } from '../state/state-cipher.js';
import { readParamsFile, resolveParams } from './params-source.js';

export const ENGINE_INSTANCE_OPTIONS = {
  params: { type: 'string' },
  instances: { type: 'string' },
  'state-dir': { type: 'string' },
  state: { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export interface EngineInstanceOptions {
  params?: string;
  instances?: string;
  'state-dir'?: string;
  state?: string;
  debug?: boolean;
}

const PARAMS_FILE = /\.(ya?ml|json)$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function instancesFromDir(dir: string): Promise<[string, string][]> {
  const files = (await readdir(dir)).filter((f) => PARAMS_FILE.test(f)).sort();
  if (files.length === 0) {
    throw new UsageError(`--instances ${dir}: the folder holds no .yml, .yaml or .json file.`);
  }
  return files.map((file) => [basename(file, extname(file)), join(dir, file)]);
}

async function namedInstances(
  path: string,
  stateDir: string | undefined,
): Promise<InstanceConfig[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`Cannot read --instances ${path}: no such file or folder.`);
  if (info.isDirectory()) {
    const configs: InstanceConfig[] = [];
    for (const [name, file] of await instancesFromDir(path)) {
      const params = await readParamsFile(file, 'the instance file');
      if (!isRecord(params)) {
        throw new UsageError(`The instance file ${file} must hold a mapping of parameters.`);
      }
      configs.push({ name, origin: file, runtime: { params, stateDir } });
    }
    return configs;
  }
  const data = await readParamsFile(path, 'the instances file');
  if (!isRecord(data) || !Object.values(data).every(isRecord)) {
    throw new UsageError(
      `The instances file ${path} must map each instance name to its parameters (name: {param: value, ...}).`,
    );
  }
  return Object.entries(data).map(([name, params]) => ({
    name,
    origin: `${path} (${name})`,
    runtime: { params: params as Record<string, unknown>, stateDir },
  }));
}

/** The instances to serve; the default one first when it is configured. */
export async function engineInstances(
  values: EngineInstanceOptions,
  env: NodeJS.ProcessEnv,
): Promise<InstanceConfig[]> {
  const stateDir = values['state-dir'];
  const configs: InstanceConfig[] = [];
  const source = await resolveParams(values.params, env, false);
  if (
    values.params ||
    env.MSGRAPH_USER_PARAMS ||
    (isRecord(source.params) && Object.keys(source.params).length > 0)
  ) {
    configs.push({
      name: DEFAULT_INSTANCE,
      origin: source.origin,
      runtime: { params: source.params as Record<string, unknown>, stateDir },
    });
  }
  if (values.instances) configs.push(...(await namedInstances(values.instances, stateDir)));
  return configs;
}

/**
 * Where the instances keep state: `--state redis://…` (else MSGRAPH_USER_STATE) for replicas on
 * many hosts, sealed with MSGRAPH_USER_STATE_KEY when it is set; else this process (the state dir,
 * gates in memory). The URL and the key are checked before connecting; an unreachable Redis stops
 * the start, naming it.
 */
export async function engineState(
  values: EngineInstanceOptions,
  env: NodeJS.ProcessEnv,
  { clock, log, redactor }: { clock: Clock; log: EngineLog; redactor: Redactor },
): Promise<SharedState> {
  const [url, origin] =
    values.state !== undefined
      ? [values.state, '--state']
      : [env.MSGRAPH_USER_STATE || undefined, 'MSGRAPH_USER_STATE'];
  if (url === undefined) return memoryState(clock);
  const target = parseRedisUrl(url, origin);
  const key = env.MSGRAPH_USER_STATE_KEY || undefined;
  // Neither is ever written; the redactor makes sure of it.
  redactor.add(key);
  redactor.add(decodeURIComponent(new URL(url).password));
  return redisState(target, {
    clock,
    cipher: key === undefined ? undefined : stateCipher(parseStateKey(key)),
    onReconnecting: (display) => log.event('warn', 'state reconnecting', { state: display }),
  });
}
