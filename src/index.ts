/**
 * The programmatic API. `createRuntime({ params, stateDir })` -> `run(command, args)` -> entries.
 */
export {
  createRuntime,
  defaultStateDir,
  type Runtime,
  type RuntimeOptions,
} from './runtime/compose.js';
export type { Entry, CommandResults } from './command/entries.js';
export {
  EntryType,
  toEntry,
  errorEntry,
  isErrorEntry,
  keyedContextPath,
} from './command/entries.js';
export { tableToMarkdown, stringEscapeMD, type TableOptions } from './command/markdown.js';
export { mergeEntryContext, getPath, resolveReferences } from './command/incident-context.js';
export { IntegrationContextStore, VersionConflictError } from './base/integration-context.js';
export { openStateBackend, type OpenStateOptions } from './state/open-backend.js';
export type { InstanceStore, StateBackend } from './state/instance-store.js';
export { StateKeyMismatchError } from './state/state-cipher.js';
export { Redactor, REDACTED } from './base/redact.js';
export { UserError, ConfigurationError, UsageError } from './base/errors.js';
export { parseManifest, ManifestError } from './manifest/load.js';
export type {
  Manifest,
  ManifestCommand,
  ManifestArgument,
  ManifestParam,
} from './manifest/types.js';
