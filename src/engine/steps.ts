/**
 * The engine's checks before a call runs, each a refusal or the next step's input: which instance
 * and command it names (404), whether the key's grant covers them (403), whether its arguments
 * are valid (400), with the manifest's own validators and the CLI's wording.
 */
import { describeArgumentErrors, normaliseArguments } from '../manifest/arguments.js';
import type { ArgumentValidator, CompiledManifest } from '../manifest/compiled.js';
import type { ManifestCommand } from '../manifest/types.js';
import { unknownCommand } from '../runtime/dispatcher.js';
import type { Grant } from './api-keys.js';
import type { EngineInstance } from './instances.js';
import type { EngineMetrics } from './metrics.js';
import { refusal } from './policy.js';
import { refused, type Refusal } from './refusal.js';
import type { CheckedArguments, Target } from './run.js';
import { DRY_RUN } from './schemas.js';

export const DEFAULT_INSTANCE = 'default';

export interface StepContext {
  compiled: CompiledManifest;
  instances: ReadonlyMap<string, EngineInstance>;
  metrics: EngineMetrics;
  /** Every command's argument validator, loaded up front. */
  validators: ReadonlyMap<string, ArgumentValidator>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `dry_run`: true/false as JSON or as a war room writes it; undefined when it is neither. */
function dryRunFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (word === 'true' || word === 'yes') return true;
  if (word === 'false' || word === 'no') return false;
  return undefined;
}

/** Whether raw arguments ask for a dry run (before they are checked: the policy depends on it). */
export const requestedDryRun = (raw: unknown): boolean =>
  isRecord(raw) && dryRunFlag(raw[DRY_RUN]) === true;

function unknownCommandRefusal(ctx: StepContext, name: string): Refusal {
  ctx.metrics.command('unknown', 'not_found');
  // The CLI's message, with where an API client finds the list.
  const message = unknownCommand(name, ctx.compiled).userMessage.replace(
    / Run "msgraph-user --help" to list the commands\.$/,
    ' GET /v1/commands lists the commands.',
  );
  return refused(404, 'unknown_command', message);
}

export function resolveTarget(
  ctx: StepContext,
  instanceName: string | undefined,
  commandName: string,
): Target | Refusal {
  const command = ctx.compiled.commands.get(commandName);
  if (!command) return unknownCommandRefusal(ctx, commandName);
  const instance = ctx.instances.get(instanceName ?? DEFAULT_INSTANCE);
  if (instance) return { instance, command };
  ctx.metrics.command(command.name, 'not_found');
  const names = [...ctx.instances.keys()].join(', ');
  const message =
    instanceName === undefined
      ? `No default instance is configured: start the engine with --params FILE, or call /v1/instances/{name}/commands/${command.name} (instances: ${names}).`
      : `Unknown instance "${instanceName}". Instances: ${names}.`;
  return refused(404, 'unknown_instance', message);
}

export function authorizeCall(
  ctx: StepContext,
  grant: Grant,
  target: Target,
  dryRun: boolean,
): Refusal | undefined {
  const reason = refusal(grant, target.instance.name, target.command, dryRun);
  if (!reason) return undefined;
  ctx.metrics.command(target.command.name, 'forbidden');
  return refused(403, 'forbidden', reason);
}

export function checkCallArguments(
  ctx: StepContext,
  command: ManifestCommand,
  raw: unknown,
): CheckedArguments | Refusal {
  const invalid = (message: string) => {
    ctx.metrics.command(command.name, 'invalid');
    return refused(400, 'invalid_arguments', message);
  };
  const body = raw ?? {};
  if (!isRecord(body)) {
    return invalid(`The arguments of ${command.name} must be a JSON object of name: value.`);
  }
  const { [DRY_RUN]: flag, ...args } = body;
  const dryRun = dryRunFlag(flag);
  if (dryRun === undefined) {
    return invalid(
      `Invalid arguments for ${command.name}: argument "${DRY_RUN}" must be true or false.`,
    );
  }
  const validate = ctx.validators.get(command.name)!;
  const normalised = normaliseArguments(command, args);
  if (!validate(normalised)) {
    return invalid(describeArgumentErrors(command, validate.errors ?? [], normalised));
  }
  return { args, dryRun };
}
