/**
 * The contract between the dispatcher and the command handlers in commands/. A handler takes a
 * context (validated arguments, parameters, a Graph client) and returns results; it never prints,
 * exits or reads globals, so it is unit-testable. Errors are thrown as UserError subclasses.
 */
import type { AuthSession } from '../auth/types.js';
import type { CloudEndpoints } from '../auth/clouds.js';
import type { GraphClient } from '../graph/types.js';
import type { HttpClient } from '../http/types.js';
import type { Args } from '../manifest/arguments.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { CommandResults, Entry } from './entries.js';
import type { IntegrationContextStore } from '../base/integration-context.js';
import type { Logger } from '../base/log.js';
import type { InstanceParams } from '../base/params.js';
import type { Progress } from '../base/progress.js';

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

export interface CommandContext {
  readonly command: ManifestCommand;
  readonly args: Args;
  readonly params: InstanceParams;
  readonly cloud: CloudEndpoints;
  /** Authenticates on its first request. */
  readonly graph: GraphClient;
  /** For non-Graph calls (the MFA service); same proxy, TLS, timeouts and redaction. */
  readonly http: HttpClient;
  /** The instance's authentication; throws ConfigurationError when the parameters are incomplete. */
  auth(): Promise<AuthSession>;
  readonly integrationContext: IntegrationContextStore;
  readonly files: FileStore;
  readonly log: Logger;
  readonly progress: Progress;
  /** Registers a value (a generated password, a TAP) that must never appear in any output. */
  addSecret(value: string): void;
}

/**
 * Handler results: CommandResults, a plain note, or a ready entry (file entries). Besides
 * CommonServerPython's fields, `bulk_row` is the row this result contributes when the command runs
 * for several users at once (one war-room table for all).
 */
export type HandlerResult =
  (CommandResults & { bulk_row?: Record<string, unknown> }) | Entry | string;

export type Handler = (context: CommandContext) => Promise<HandlerResult | HandlerResult[]>;
