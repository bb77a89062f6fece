/**
 * The composition root: the one place the runtime is wired, in dependency order
 *
 *   params -> redactor -> logger -> clock -> HTTP client -> auth -> Graph -> state store ->
 *   dispatcher
 *
 * The CLI's command path, `login`, `playbook run`, the library's `createRuntime` and tests all
 * build a runtime here; what differs between them is passed in as seams (a clock, a decorator
 * for the HTTP transport that records or replays, a logger, a progress sink), never reached for.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveCloud, type CloudEndpoints } from '../auth/clouds.js';
import {
  chooseFlow,
  configSecrets,
  publicIdentifiers,
  type AuthConfig,
  type FlowSelection,
} from '../auth/flow.js';
import type { AuthSession } from '../auth/types.js';
import { systemClock, type Clock } from '../base/clock.js';
import { UsageError } from '../base/errors.js';
import { checkStateDir } from '../base/private-dir.js';
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
import type { Entry } from '../command/entries.js';
import { directoryFileStore } from '../command/files.js';
import type {
  Handler,
  InstanceApplication,
  InstanceFacts,
  InstanceState,
} from '../command/handler.js';
import { createGraphClient } from '../graph/client.js';
import type { GraphClient } from '../graph/types.js';
import { createHttpClient } from '../http/client.js';
import type { HttpClient } from '../http/types.js';
import { loadCompiledManifest } from '../manifest/compiled.js';
import type { Manifest } from '../manifest/types.js';
import { createMfaService } from '../mfa/service.js';
import { directoryBackend } from '../state/directory-backend.js';
import { INSTANCE_NAME, type InstanceStore, type StateBackend } from '../state/instance-store.js';
import { openRedisBackend } from '../state/open-backend.js';
import type { CommandRun, ExecuteOptions } from './command-run.js';
import { dispatch, execute, type DispatcherDeps } from './dispatcher.js';
import { commandHandlers, handlersFrom } from './handlers.js';

export interface RuntimeOptions {
  /** Instance parameters keyed by manifest name (validated; defaults applied). */
  params?: Record<string, unknown>;
  /** Where instances keep their context: MSGRAPH_USER_STATE_DIR, else ~/.msgraph-user. */
  stateDir?: string;
  /**
   * Keep the instance's state on a shared Redis instead of the state dir: its URL
   * (`redis://[user:password@]host:port/db`, `rediss://` for TLS), which the runtime connects to
   * and `close()` disconnects, or a backend the caller opened and shares between runtimes (it
   * stays open). Files that commands return still go to the state dir.
   */
  state?: string | StateBackend;
  /** With a Redis URL in `state`: the key that encrypts what Redis holds (MSGRAPH_USER_STATE_KEY). */
  stateKey?: string;
  /** Instance name; by default derived from the identity parameters (cloud, app, tenant, flow). */
  instance?: string;
  /** Where files that commands return go (default: the instance's `files` folder). */
  filesDir?: string;
  manifestPath?: string;
  /** Extra trusted CA certificate (PEM), e.g. the simulator's. */
  ca?: string;
  /** Time and waits (default: the system clock). Replays pin it to the recording's time. */
  clock?: Clock;
  /**
   * Wraps the network transport: a recorder around it, a replay in its place, or the engine's
   * per-tenant throttle gate and dry run. Retries stay above it, so they behave as in production.
   */
  transport?: (transport: HttpClient, instance: InstanceEndpoints) => HttpClient;
  /** Wraps the instance state handlers see (the engine's dry run keeps their writes in memory). */
  handlerState?: (state: InstanceState) => InstanceState;
  logger?: Logger;
  progress?: Progress;
  /** Replaces the handlers found from the manifest (tests). */
  handlers?: Record<string, Handler>;
  /** Extra secrets to redact from every output. */
  secrets?: string[];
  /** Share a redactor with the caller (so the caller's logger redacts the instance's secrets). */
  redactor?: Redactor;
  /**
   * Forget each run's secret arguments and generated secrets when it ends (a long-lived engine,
   * whose runs are independent). Off by default: a CLI process, a playbook or a recording is one
   * session, and its output at the end must stay clean of every secret it saw.
   */
  scopeSecretsPerRun?: boolean;
  /** Use this session instead of one built from the parameters (tests; callers with their own token source). */
  authSession?: AuthSession;
}

/** Which instance a transport decorator serves, and where its requests go. */
export interface InstanceEndpoints {
  readonly instanceId: string;
  readonly cloud: CloudEndpoints;
}

export interface Runtime {
  readonly manifest: Manifest;
  readonly params: InstanceParams;
  readonly instanceId: string;
  readonly stateDir: string;
  readonly cloud: CloudEndpoints;
  readonly clock: Clock;
  /** The instance's state (its integration context), in the state dir or on Redis. */
  readonly integrationContext: InstanceStore;
  /** Where the state is kept. */
  readonly stateBackend: StateBackend;
  readonly redactor: Redactor;
  readonly http: HttpClient;
  /** The instance's Graph client (authenticates on its first request). */
  readonly graph: GraphClient;
  /** The flow the parameters select (decided once), or why they select none. */
  readonly flow: FlowSelection;
  /** The instance's authentication (created on first use). */
  auth(): Promise<AuthSession>;
  /** Runs a command: its entries, as a war room gets them. */
  run(command: string, args?: Record<string, unknown>): Promise<Entry[]>;
  /** Runs a command: its entries and per-target results (for `commandData`). */
  execute(
    command: string,
    args?: Record<string, unknown>,
    options?: ExecuteOptions,
  ): Promise<CommandRun>;
  /**
   * Ends the runtime: disconnects the Redis it connected to (a shared backend handed in stays
   * open). A process that opened state on Redis must call it, or the connection keeps it alive.
   */
  close(): Promise<void>;
}

export const defaultStateDir = (): string =>
  process.env.MSGRAPH_USER_STATE_DIR || join(homedir(), '.msgraph-user');

/**
 * The longest `timeout` a request may have: an hour is already far beyond any Graph answer, and a
 * longer one lets a server that never answers hold a command (and the instance's lock) for days.
 */
export const MAX_TIMEOUT_SECONDS = 3600;

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
  flow: FlowSelection,
  extra: string[],
): void {
  const identifiers = publicIdentifiers(params);
  for (const value of secretParamValues(params, manifest)) {
    if (!identifiers.includes(value.trim())) redactor.add(value);
  }
  // The forms the flows actually send (e.g. a repaired PEM key) are secrets too.
  if ('config' in flow) configSecrets(flow.config).forEach((s) => redactor.add(s));
  extra.forEach((s) => redactor.add(s));
}

function instanceApplication(params: InstanceParams): InstanceApplication {
  return {
    kind: boolParam(params, 'use_managed_identities')
      ? 'managed-identity'
      : boolParam(params, 'self_deployed')
        ? 'self-deployed'
        : 'xsoar-app',
    clientId: credentialSecret(params, 'creds_auth_id', 'auth_id'),
    tenantId: credentialSecret(params, 'creds_tenant_id', 'tenant_id'),
    redirectUri: textParam(params, 'redirect_uri'),
  };
}

function timeoutMs(params: InstanceParams): number {
  if (typeof params.timeout === 'number' && !(params.timeout > 0)) {
    throw new UsageError(
      `params: parameter "timeout" must be a positive number of seconds (got ${params.timeout}).`,
    );
  }
  if (typeof params.timeout === 'number' && params.timeout > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `params: parameter "timeout" must be at most ${MAX_TIMEOUT_SECONDS} seconds (got ${params.timeout}).`,
    );
  }
  return (typeof params.timeout === 'number' ? params.timeout : 60) * 1000;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const compiled = await loadCompiledManifest(options.manifestPath);
  const { manifest } = compiled;
  const params = parseInstanceParams(options.params ?? {}, manifest, 'params');
  const flow = chooseFlow(params);
  const redactor = options.redactor ?? new Redactor();
  registerSecrets(redactor, params, manifest, flow, options.secrets ?? []);
  const log = options.logger ?? silentLogger;
  const progress = options.progress ?? silentProgress;
  const clock = options.clock ?? systemClock;
  const cloud = resolveCloud({
    azure_cloud: textParam(params, 'azure_cloud'),
    host: textParam(params, 'host'),
    azure_ad_endpoint: textParam(params, 'azure_ad_endpoint'),
  });
  const instanceId = options.instance ?? deriveInstanceId(params, cloud);
  if (!INSTANCE_NAME.test(instanceId)) {
    throw new UsageError(
      `Instance name "${instanceId}" may only use letters, digits, ".", "_" and "-" (at most 64).`,
    );
  }

  const http = createHttpClient(
    {
      timeoutMs: timeoutMs(params),
      proxy: boolParam(params, 'proxy'),
      insecure: boolParam(params, 'insecure'),
      ca: options.ca,
      clock,
      log,
    },
    options.transport && ((transport) => options.transport!(transport, { instanceId, cloud })),
  );
  const stateDir = checkStateDir(options.stateDir ?? defaultStateDir());
  const instanceDir = join(stateDir, 'instances', instanceId);
  // Opened last of all that can fail, so a refused configuration never leaves a connection open.
  const stateBackend = await openBackend(options, stateDir, clock);
  const integrationContext = stateBackend.store(instanceId, { warn: (m) => log.warn(m) });
  const handlerState = options.handlerState?.(integrationContext) ?? integrationContext;
  let session: Promise<AuthSession> | undefined;
  const auth = (): Promise<AuthSession> => {
    if (options.authSession) return Promise.resolve(options.authSession);
    session ??= (async () => {
      if ('problem' in flow) throw flow.problem;
      const config: AuthConfig = flow.config;
      // Loaded on demand: a command that never authenticates never pays for MSAL.
      const { createAuthSession } = await import('../auth/session.js');
      return createAuthSession({
        config,
        cloud,
        http,
        store: integrationContext,
        redactor,
        log,
        clock,
      });
    })();
    session.catch(() => (session = undefined));
    return session;
  };
  const graph = createGraphClient({ http, auth, cloud, log, progress });
  const instance: InstanceFacts = {
    cloud,
    application: instanceApplication(params),
    suppressNotFound: boolParam(params, 'handle_error'),
  };
  const deps: DispatcherDeps = {
    compiled,
    handler: options.handlers ? handlersFrom(options.handlers) : commandHandlers,
    params,
    flow,
    redactor,
    scopeSecrets: options.scopeSecretsPerRun ?? false,
    log,
    progress,
    graph,
    contextFor: (command, args, view, outputsPrefix) => ({
      command,
      args,
      outputsPrefix,
      graph: view,
      mfa: createMfaService({ http, cloud, clock }),
      clock,
      files: directoryFileStore(options.filesDir ?? join(instanceDir, 'files')),
      state: handlerState,
      instance,
      auth,
      log,
      progress,
      addSecret: (value) => redactor.add(value),
    }),
  };
  return {
    manifest,
    params,
    instanceId,
    stateDir,
    cloud,
    clock,
    integrationContext,
    stateBackend,
    redactor,
    http,
    graph,
    flow,
    auth,
    run: (command, args = {}) => dispatch(deps, command, args),
    execute: (command, args = {}, executeOptions = {}) =>
      execute(deps, command, args, executeOptions),
    close: async () => {
      if (typeof options.state === 'string') await stateBackend.close();
    },
  };
}

/** The backend `options.state` names: a shared one as is, a URL opened, else the state dir. */
async function openBackend(
  options: RuntimeOptions,
  stateDir: string,
  clock: Clock,
): Promise<StateBackend> {
  const { state } = options;
  if (state === undefined) return directoryBackend(stateDir, { clock });
  if (typeof state !== 'string') return state;
  // Lock waits on a shared server are real time, whatever the runtime's clock (a replay's).
  return openRedisBackend(state, { origin: 'state', key: options.stateKey, keyOrigin: 'stateKey' });
}
