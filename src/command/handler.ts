/**
 * The contract between the dispatcher and the command handlers in commands/. A handler takes a
 * narrow context (its validated arguments, a Graph client, the clock, a file store, the instance's
 * state and a few facts about the instance) and returns results; it never prints, exits, reads
 * globals or reaches for the HTTP client, so it is unit-testable. Errors are thrown as UserError
 * subclasses.
 */
import type { AuthSession } from '../auth/types.js';
import type { CloudEndpoints } from '../auth/clouds.js';
import type { Clock } from '../base/clock.js';
import type { ContextData, VersionedContext } from '../base/integration-context.js';
import type { Logger } from '../base/log.js';
import type { Progress } from '../base/progress.js';
import type { GraphClient } from '../graph/types.js';
import type { MfaService } from '../mfa/service.js';
import type { Args } from '../manifest/arguments.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { CommandResults, Entry } from './entries.js';

/** A file a command returns (XSOAR file entry), written to the instance's files directory. */
export interface SavedFile {
  name: string;
  path: string;
  fileId: string;
}

export interface FileStore {
  /** Writes `data` privately (0600) and returns where it went. */
  save(name: string, data: Buffer): Promise<SavedFile>;
}

/** The instance's persistent state (XSOAR's integration context), shared by its processes. */
export interface InstanceState {
  get(): Promise<VersionedContext>;
  /** Read-modify-write under the instance's lock. */
  update(mutate: (context: ContextData) => ContextData | Promise<ContextData>): Promise<unknown>;
}

/**
 * The application the instance signs in as, as far as its parameters say (complete or not): what
 * the sign-in URL of the authorization code flow is built from.
 */
export interface InstanceApplication {
  readonly kind: 'xsoar-app' | 'self-deployed' | 'managed-identity';
  readonly clientId: string;
  readonly tenantId: string;
  readonly redirectUri: string;
}

/** What a handler may know about the instance it runs for. */
export interface InstanceFacts {
  readonly cloud: CloudEndpoints;
  readonly application: InstanceApplication;
  /** "Suppress Errors for Non Found Users" (handle_error). */
  readonly suppressNotFound: boolean;
}

export interface CommandContext {
  readonly command: ManifestCommand;
  readonly args: Args;
  /** Where the command's context outputs go: the common prefix of its manifest output paths. */
  readonly outputsPrefix: string;
  /** Authenticates on its first request. */
  readonly graph: GraphClient;
  /** The Azure MFA service (not Graph); same proxy, TLS, timeouts, retries and redaction. */
  readonly mfa: MfaService;
  readonly clock: Clock;
  readonly files: FileStore;
  readonly state: InstanceState;
  readonly instance: InstanceFacts;
  /** The instance's authentication; throws ConfigurationError when the parameters are incomplete. */
  auth(): Promise<AuthSession>;
  readonly log: Logger;
  readonly progress: Progress;
  /** Registers a value (a generated password, a TAP) that must never appear in any output. */
  addSecret(value: string): void;
  /**
   * Set when the caller takes a long listing's items as they arrive (the CLI's json, ndjson and
   * csv output of `all=true`): a handler that streams hands each page's context rows here,
   * awaits it (backpressure), keeps none of them, and returns only a summary. It resolves `false`
   * when the caller wants no more (its reader went away: `… | head`): the handler then stops
   * fetching pages.
   */
  readonly stream?: (items: Record<string, unknown>[]) => Promise<boolean>;
}

/**
 * Handler results: CommandResults, a plain note, or a ready entry (file entries). Besides
 * CommonServerPython's fields, `bulk_row` is the row this result contributes when the command runs
 * for several users at once (one war-room table for all).
 */
export type HandlerResult =
  (CommandResults & { bulk_row?: Record<string, unknown> }) | Entry | string;

export type Handler = (context: CommandContext) => Promise<HandlerResult | HandlerResult[]>;
