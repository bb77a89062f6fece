/**
 * The programmatic API: `createRuntime({ params, stateDir })` -> `run(command, args)` -> entries.
 * The CLI, the playbook runner and tests are thin shells over it.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveCloud, type CloudEndpoints } from '../auth/clouds.js';
import { configSecrets, publicIdentifiers, selectFlow } from '../auth/flow.js';
import type { AuthSession } from '../auth/types.js';
import { createGraphClient } from '../graph/client.js';
import type { GraphClient } from '../graph/types.js';
import { createHttpClient } from '../http/client.js';
import type { HttpClient } from '../http/types.js';
import { loadCompiledManifest, type CompiledManifest } from '../manifest/compiled.js';
import { checkHandlers } from '../manifest/consistency.js';
import type { Manifest } from '../manifest/types.js';
import {
  handlers as builtInHandlers,
  notImplemented as builtInNotImplemented,
} from '../../commands/index.js';
import { dispatch } from './dispatcher.js';
import type { Entry } from '../command/entries.js';
import { ConfigurationError, UsageError, UserError } from '../base/errors.js';
import { directoryFileStore } from '../command/files.js';
import type { CommandContext, Handler } from '../command/handler.js';
import { IntegrationContextStore } from '../base/integration-context.js';
import { silentLogger, type Logger } from '../base/log.js';
import {
  boolParam,
  credentialSecret,
  parseInstanceParams,
  secretParamValues,
  textParam,
  type InstanceParams,
} from '../base/params.js';
import { silentProgress, type Progress } from '../base/progress.js';
import { Redactor } from '../base/redact.js';

export interface RuntimeOptions {
  /** Instance parameters keyed by manifest name (validated; defaults applied). */
  params?: Record<string, unknown>;
  /** Where instances keep their context: MSGRAPH_USER_STATE_DIR, else ~/.msgraph-user. */
  stateDir?: string;
  /** Instance name; by default derived from the identity parameters (cloud, app, tenant, flow). */
  instance?: string;
  manifestPath?: string;
  /** Extra trusted CA certificate (PEM), e.g. the simulator's. */
  ca?: string;
  /** Multiplies retry waits (tests and benchmarks). */
  timeScale?: number;
  logger?: Logger;
  progress?: Progress;
  /** Replaces the handler registry (tests). */
  handlers?: Record<string, Handler>;
  notImplemented?: readonly string[];
  /** Extra secrets to redact from every output. */
  secrets?: string[];
  /** Share a redactor with the caller (so the caller's logger redacts the instance's secrets). */
  redactor?: Redactor;
  /** Use this session instead of one built from the parameters (tests; callers with their own token source). */
  authSession?: AuthSession;
}

export interface Runtime {
  readonly manifest: Manifest;
  readonly params: InstanceParams;
  readonly instanceId: string;
  readonly stateDir: string;
  readonly cloud: CloudEndpoints;
  readonly integrationContext: IntegrationContextStore;
  readonly redactor: Redactor;
  readonly http: HttpClient;
  /** The instance's authentication (created on first use). */
  auth(): Promise<AuthSession>;
  run(command: string, args?: Record<string, unknown>): Promise<Entry[]>;
}

export const defaultStateDir = (): string =>
  process.env.MSGRAPH_USER_STATE_DIR || join(homedir(), '.msgraph-user');

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A stable name for the identity the parameters describe, so tokens never cross instances. */
export function deriveInstanceId(params: InstanceParams, cloud: CloudEndpoints): string {
  const identity = [
    cloud.loginUrl,
    cloud.graphUrl,
    boolParam(params, 'use_managed_identities')
      ? 'mi'
      : boolParam(params, 'self_deployed')
        ? 'self'
        : 'xsoar',
    textParam(params, 'redirect_uri') ? 'delegated' : 'app',
    credentialSecret(params, 'creds_auth_id', 'auth_id'),
    credentialSecret(params, 'creds_tenant_id', 'tenant_id'),
    credentialSecret(params, 'managed_identities_client_id'),
  ].join('\n');
  return `instance-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

function registerSecrets(
  redactor: Redactor,
  params: InstanceParams,
  manifest: Manifest,
  extra: string[],
): void {
  const identifiers = publicIdentifiers(params);
  for (const value of secretParamValues(params, manifest)) {
    if (!identifiers.includes(value.trim())) redactor.add(value);
  }
  try {
    // The forms the flows actually send (e.g. a repaired PEM key) are secrets too.
    configSecrets(selectFlow(params)).forEach((s) => redactor.add(s));
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
  }
  extra.forEach((s) => redactor.add(s));
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const compiled: CompiledManifest = await loadCompiledManifest(options.manifestPath);
  const { manifest } = compiled;
  const handlers = options.handlers ?? builtInHandlers;
  const notImplemented = options.notImplemented ?? builtInNotImplemented;
  const registryProblems = checkHandlers(manifest, Object.keys(handlers), notImplemented);
  if (registryProblems.length > 0) {
    throw new Error(`Handler registry and manifest disagree:\n${registryProblems.join('\n')}`);
  }

  const params = parseInstanceParams(options.params ?? {}, manifest, 'params');
  const redactor = options.redactor ?? new Redactor();
  registerSecrets(redactor, params, manifest, options.secrets ?? []);
  const log = options.logger ?? silentLogger;
  const progress = options.progress ?? silentProgress;
  const cloud = resolveCloud({
    azure_cloud: textParam(params, 'azure_cloud'),
    host: textParam(params, 'host'),
    azure_ad_endpoint: textParam(params, 'azure_ad_endpoint'),
  });
  const instanceId = options.instance ?? deriveInstanceId(params, cloud);
  if (!INSTANCE_NAME.test(instanceId)) {
    throw new UserError(
      `Instance name "${instanceId}" may only use letters, digits, ".", "_" and "-" (at most 64).`,
    );
  }
  const stateDir = options.stateDir ?? defaultStateDir();
  const instanceDir = join(stateDir, 'instances', instanceId);
  const integrationContext = new IntegrationContextStore(instanceDir, {}, (m) => log.warn(m));
  if (typeof params.timeout === 'number' && !(params.timeout > 0)) {
    throw new UsageError(
      `params: parameter "timeout" must be a positive number of seconds (got ${params.timeout}).`,
    );
  }
  const timeoutSeconds = typeof params.timeout === 'number' ? params.timeout : 60;
  const http = createHttpClient({
    timeoutMs: timeoutSeconds * 1000,
    proxy: boolParam(params, 'proxy'),
    insecure: boolParam(params, 'insecure'),
    ca: options.ca,
    timeScale: options.timeScale,
    redactor,
    log,
  });
  let session: Promise<AuthSession> | undefined;
  const auth = (): Promise<AuthSession> => {
    if (options.authSession) return Promise.resolve(options.authSession);
    session ??= (async () => {
      const config = selectFlow(params);
      // Loaded on demand: a command that never authenticates never pays for MSAL.
      const { createAuthSession } = await import('../auth/session.js');
      return createAuthSession({ config, cloud, http, store: integrationContext, redactor, log });
    })();
    session.catch(() => (session = undefined));
    return session;
  };
  const graph = createGraphClient({ http, auth, cloud, log, progress });
  const files = directoryFileStore(join(instanceDir, 'files'));
  const contextFor = (
    command: CommandContext['command'],
    args: CommandContext['args'],
    view: GraphClient,
  ): CommandContext => ({
    command,
    args,
    params,
    cloud,
    graph: view,
    http,
    auth,
    integrationContext,
    files,
    log,
    progress,
    addSecret: (value) => redactor.add(value),
  });
  const deps = {
    compiled,
    handlers,
    notImplemented,
    params,
    redactor,
    log,
    progress,
    graph,
    contextFor,
  };
  return {
    manifest,
    params,
    instanceId,
    stateDir,
    cloud,
    integrationContext,
    redactor,
    http,
    auth,
    run: (command, args = {}) => dispatch(deps, command, args),
  };
}
