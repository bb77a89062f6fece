/**
 * The programmatic API. `createRuntime({ params, stateDir })` -> `run(command, args)` -> entries.
 */
export {
  createRuntime,
  defaultStateDir,
  type Runtime,
  type RuntimeOptions,
} from './runtime/runtime.js';
export type { Entry, CommandResults } from './runtime/entries.js';
export {
  EntryType,
  toEntry,
  errorEntry,
  isErrorEntry,
  keyedContextPath,
} from './runtime/entries.js';
export { tableToMarkdown, stringEscapeMD, type TableOptions } from './runtime/markdown.js';
export { mergeEntryContext, getPath, resolveReferences } from './runtime/incident-context.js';
export { IntegrationContextStore, VersionConflictError } from './runtime/integration-context.js';
export { Redactor, REDACTED } from './runtime/redact.js';
export { UserError, ConfigurationError, UsageError } from './runtime/errors.js';
export { parseManifest, ManifestError } from './manifest/load.js';
export type {
  Manifest,
  ManifestCommand,
  ManifestArgument,
  ManifestParam,
} from './manifest/types.js';
