/**
 * The dispatcher: from a command name and raw arguments to war-room entries.
 *   validate (manifest) -> gate (parameters, auth flow) -> handler (once, or per value of a bulk
 *   argument through a batching Graph view) -> entries, redacted.
 * Every failure becomes an error entry; nothing reaches the network before validation and gates.
 */
import { FLOW_LABELS, type FlowSelection } from '../auth/flow.js';
import type { GraphClient } from '../graph/types.js';
import {
  describeArgumentErrors,
  normaliseArguments,
  type Args,
  type ArgValue,
} from '../manifest/arguments.js';
import { TEST_MODULE, type CompiledManifest } from '../manifest/compiled.js';
import type { ManifestCommand } from '../manifest/types.js';
import { combineBulkResults, type BulkOutcome } from './bulk.js';
import { entryText, errorEntry, isErrorEntry, type Entry } from '../command/entries.js';
import { UsageError, UserError } from '../base/errors.js';
import type { CommandContext, Handler, SavedFile } from '../command/handler.js';
import type { HandlerSource } from './handlers.js';
import type { Logger } from '../base/log.js';
import { boolParam, type InstanceParams } from '../base/params.js';
import type { Progress } from '../base/progress.js';
import type { Redactor } from '../base/redact.js';
import { handlerEntries, type ResultEntry } from '../command/results.js';
import type { CommandRun, ExecuteOptions, TargetResult } from './command-run.js';
import { countingSink, statusOf, targetContext } from './target-context.js';

export interface DispatcherDeps {
  compiled: CompiledManifest;
  handler: HandlerSource;
  params: InstanceParams;
  flow: FlowSelection;
  redactor: Redactor;
  /** Keep each run's secret arguments and generated secrets in a scope of its own. */
  scopeSecrets?: boolean;
  log: Logger;
  progress: Progress;
  graph: GraphClient;
  /** Builds the handler context for one run (with the Graph view to use). */
  contextFor(
    command: ManifestCommand,
    args: Args,
    graph: GraphClient,
    outputsPrefix: string,
  ): CommandContext;
}

/** Most handler runs in flight for one bulk command; the batching view packs them 20 per $batch. */
const BULK_CONCURRENCY = 100;

export function unknownCommand(name: string, compiled: CompiledManifest): UsageError {
  const near = [...compiled.commands.keys()].find(
    (c) => c.endsWith(name) || name.endsWith(c.replace(/^msgraph-user-/, '')),
  );
  return new UsageError(
    `Unknown command ${JSON.stringify(name)}.${near ? ` Did you mean "${near}"?` : ''} Run "msgraph-user --help" to list the commands.`,
  );
}

/** The war-room text for a failure: user errors as they are, anything else as a bug report. */
export function failureMessage(command: string, error: unknown, log: Logger): string {
  if (error instanceof UserError) return error.userMessage;
  const err = error instanceof Error ? error : new Error(String(error));
  log.debug(err.stack ?? err.message);
  return `Unexpected error while running ${command}: ${err.message}. Re-run with --debug for details, and please report it.`;
}

function gateMessage(command: ManifestCommand, deps: DispatcherDeps): string | undefined {
  const gate = command['x-requires-param'];
  if (gate && !boolParam(deps.params, gate)) {
    const label =
      deps.compiled.manifest.configuration.find((p) => p.name === gate)?.display ?? gate;
    return `${command.name} is disabled: it generates credentials, and the "${label}" parameter is not selected. Select it in the instance configuration to allow this command.`;
  }
  if (command['x-delegated-only']) {
    const { flow } = deps;
    if ('config' in flow && flow.config.flow === 'authorization-code') return undefined;
    const current =
      'config' in flow ? FLOW_LABELS[flow.config.flow] : 'an incomplete configuration';
    return (
      `${command.name} works only with delegated permissions, through the self-deployed authorization code flow, and this instance uses ${current}. ` +
      'To set it up: select "Use a self-deployed Azure application", fill in ID, Token, Key and Redirect URI, then run "msgraph-user login" ' +
      '(or run msgraph-user-generate-login-url and paste the code into "Authorization Code").'
    );
  }
  return undefined;
}

/** The argument whose values a run is about (the users of a bulk command, or its one user). */
export function targetArgument(command: ManifestCommand): string | undefined {
  const args = command.arguments ?? [];
  return (
    args.find((a) => a['x-bulk'])?.name ??
    args.find((a) => a.name === 'user' || a.name === 'user_id')?.name
  );
}

function failedRun(command: ManifestCommand, message: string): CommandRun {
  const entries = [errorEntry(message)];
  return {
    command: command.name,
    targetArgument: targetArgument(command),
    entries,
    results: [{ status: 'error', entries }],
  };
}

async function runOnce(
  deps: DispatcherDeps,
  command: ManifestCommand,
  handler: Handler,
  args: Args,
  options: ExecuteOptions,
): Promise<CommandRun> {
  const argument = targetArgument(command);
  const target = argument && args[argument] !== undefined ? String(args[argument]) : undefined;
  const files: SavedFile[] = [];
  const sink = countingSink(deps, options);
  let results: ResultEntry[];
  let failure: unknown;
  try {
    const context = targetContext(deps, command, args, deps.graph, files, sink?.stream);
    results = handlerEntries(await handler(context));
  } catch (error) {
    failure = error;
    results = [{ entry: errorEntry(failureMessage(command.name, error, deps.log)) }];
  }
  let entries = results.map((r) => r.entry);
  let status = statusOf(results, failure);
  if (command.name === TEST_MODULE.name) {
    entries = testModuleVerdict(entries);
    status = entries.some(isErrorEntry) ? 'error' : 'ok';
  }
  return {
    command: command.name,
    targetArgument: argument,
    entries,
    results: [{ ...(target !== undefined ? { target } : {}), status, entries, files: [...files] }],
    ...(sink?.counted.used ? { streamed: sink.counted.items } : {}),
  };
}

/**
 * XSOAR's contract for test-module: the exact answer "ok" passes; any other text is the reason it
 * failed, shown as an error (so the CLI exits 1 and a caller can rely on the entry type).
 */
function testModuleVerdict(entries: Entry[]): Entry[] {
  const [only] = entries;
  if (entries.length === 1 && only!.Contents === 'ok') return entries;
  if (entries.some(isErrorEntry)) return entries;
  return [errorEntry(entries.map(entryText).join('\n'))];
}

async function runBulk(
  deps: DispatcherDeps,
  command: ManifestCommand,
  handler: Handler,
  args: Args,
  argName: string,
): Promise<CommandRun> {
  const values = args[argName] as string[];
  const graph = deps.graph.batching();
  const task = deps.progress.begin(command.name, values.length);
  const outcomes: BulkOutcome[] = new Array(values.length);
  const files: SavedFile[][] = values.map(() => []);
  const failures: unknown[] = new Array(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      const value = values[index]!;
      try {
        const targetArgs = { ...args, [argName]: value };
        const result = await handler(
          targetContext(deps, command, targetArgs, graph, files[index]!),
        );
        outcomes[index] = { value, result };
      } catch (error) {
        failures[index] = error;
        outcomes[index] = { value, error: failureMessage(command.name, error, deps.log) };
      }
      task.advance();
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, values.length) }, worker));
  task.end();
  const results: TargetResult[] = outcomes.map((outcome, index) => {
    const resultEntries: ResultEntry[] =
      'error' in outcome ? [{ entry: errorEntry(outcome.error) }] : handlerEntries(outcome.result);
    const entries = resultEntries.map((r) => r.entry);
    const status = statusOf(resultEntries, 'error' in outcome ? failures[index] : undefined);
    return { target: outcome.value, status, entries, files: files[index]! };
  });
  return {
    command: command.name,
    targetArgument: argName,
    entries: combineBulkResults(command, argName, outcomes),
    results,
  };
}

/**
 * Runs one command: its entries and per-target results, redacted. Throws UsageError for an
 * unknown command.
 */
export async function execute(
  deps: DispatcherDeps,
  name: string,
  rawArgs: Record<string, unknown>,
  options: ExecuteOptions = {},
): Promise<CommandRun> {
  const command = deps.compiled.commands.get(name);
  if (!command) throw unknownCommand(name, deps.compiled);
  // Secrets are registered before anything can echo them; with scoped secrets (a long-lived
  // engine), in a scope of their own that is forgotten when the run ends.
  const redactor = deps.scopeSecrets ? deps.redactor.scope() : deps.redactor;
  for (const arg of command.arguments ?? []) {
    if (arg.secret) for (const v of [rawArgs[arg.name]].flat()) redactor.add(v);
  }
  const run = await dispatchValidated({ ...deps, redactor }, command, rawArgs, options);
  // A one-target run's result holds the very entries of the run: each is redacted once and both
  // lists share it (a 100,000-user listing's entry was walked twice).
  const redacted = new Map<Entry, Entry>();
  const redactEntry = (entry: Entry) => {
    let done = redacted.get(entry);
    if (done === undefined) {
      done = redactor.redactValue(entry);
      redacted.set(entry, done);
    }
    return done;
  };
  const redact = (entries: Entry[]) => entries.map(redactEntry);
  return {
    ...run,
    entries: redact(run.entries),
    results: run.results.map((result) => ({ ...result, entries: redact(result.entries) })),
  };
}

/** Runs one command; returns its entries, redacted. Throws UsageError for an unknown command. */
export async function dispatch(
  deps: DispatcherDeps,
  name: string,
  rawArgs: Record<string, unknown>,
): Promise<Entry[]> {
  return (await execute(deps, name, rawArgs)).entries;
}

async function dispatchValidated(
  deps: DispatcherDeps,
  command: ManifestCommand,
  rawArgs: Record<string, unknown>,
  options: ExecuteOptions,
): Promise<CommandRun> {
  const args = normaliseArguments(command, rawArgs);
  const validate = await deps.compiled.validator(command.name);
  if (!validate) {
    return failedRun(
      command,
      `${command.name} has no argument validator; rebuild with "npm run build".`,
    );
  }
  if (!validate(args)) {
    return failedRun(command, describeArgumentErrors(command, validate.errors ?? [], args));
  }
  const handler = await deps.handler(command.name);
  if (!handler) {
    return failedRun(command, `${command.name} has no handler in this build of msgraph-user.`);
  }
  const refusal = gateMessage(command, deps);
  if (refusal) return failedRun(command, refusal);
  const typed = args as Args;
  const bulk = (command.arguments ?? []).find((a) => a['x-bulk']);
  const bulkValues = bulk ? (typed[bulk.name] as ArgValue[] | undefined) : undefined;
  if (bulk && bulkValues && bulkValues.length > 1) {
    return runBulk(deps, command, handler, typed, bulk.name);
  }
  const single = bulk && bulkValues ? { ...typed, [bulk.name]: bulkValues[0]! } : typed;
  return runOnce(deps, command, handler, single as Args, options);
}
