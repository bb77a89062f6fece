/**
 * The engine: the manifest's commands, callable by the faces (HTTP, MCP) on long-lived instances,
 * under an access policy. A call goes through the same steps whatever the face, in this order,
 * and stops at the first refusal, so a refused call never reaches Graph:
 *
 *   target (instance, command: 404) -> authorize (key grant: 403) -> check arguments (400)
 *   -> admission (queue: 503) -> run (entries and data, or a dry run's report)
 *
 * (Authentication, 401, is the face's: it reads the key from its own transport.)
 */
import { createClock, type Clock } from '../base/clock.js';
import { UsageError } from '../base/errors.js';
import { Redactor } from '../base/redact.js';
import { describeArgumentErrors, normaliseArguments } from '../manifest/arguments.js';
import {
  loadCompiledManifest,
  type ArgumentValidator,
  type CompiledManifest,
} from '../manifest/compiled.js';
import { unclassifiedCommands } from '../manifest/consistency.js';
import type { ManifestCommand } from '../manifest/types.js';
import { unknownCommand } from '../runtime/dispatcher.js';
import type { AdmissionLimits } from './admission.js';
import type { Grant, KeyRing } from './api-keys.js';
import { DryRuns } from './dry-run.js';
import { createInstances, type EngineInstance, type InstanceConfig } from './instances.js';
import { jsonLog, type EngineLog } from './log.js';
import { EngineMetrics } from './metrics.js';
import { refusal } from './policy.js';
import { isRefusal, refused, type Refusal } from './refusal.js';
import { runChecked, type Answer, type CheckedArguments, type Target } from './run.js';
import { DRY_RUN } from './schemas.js';
import { memoryThrottleStore, type ThrottleStore } from './throttle-gate.js';

export const DEFAULT_INSTANCE = 'default';

export const DEFAULT_ADMISSION: AdmissionLimits = {
  concurrency: 32,
  depth: 1000,
  maxWaitMs: 60_000,
};

export interface EngineOptions {
  instances: InstanceConfig[];
  keys: KeyRing;
  admission?: Partial<AdmissionLimits>;
  clock?: Clock;
  log?: EngineLog;
  /** Shared by every instance, so the log redacts every instance's secrets. */
  redactor?: Redactor;
  throttleStore?: ThrottleStore;
  manifestPath?: string;
}

export type { Answer, CheckedArguments, Target } from './run.js';
export { isRefusal, type Refusal } from './refusal.js';

export interface Engine {
  readonly compiled: CompiledManifest;
  readonly instances: ReadonlyMap<string, EngineInstance>;
  readonly keys: KeyRing;
  readonly metrics: EngineMetrics;
  readonly log: EngineLog;
  readonly redactor: Redactor;
  /** Time and deadlines (the runtimes' clock). */
  readonly clock: Clock;
  target(instance: string | undefined, command: string): Target | Refusal;
  authorize(grant: Grant, target: Target, dryRun: boolean): Refusal | undefined;
  checkArguments(command: ManifestCommand, raw: unknown): CheckedArguments | Refusal;
  run(target: Target, checked: CheckedArguments): Promise<Answer | Refusal>;
  /** Every step for one call (the MCP face). */
  call(
    grant: Grant,
    instance: string | undefined,
    command: string,
    raw: unknown,
  ): Promise<Answer | Refusal>;
  /** Stops admitting: waiting calls are turned away; running ones finish. */
  stop(): void;
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

function checkManifest(compiled: CompiledManifest): void {
  const unclassified = unclassifiedCommands(compiled.manifest);
  if (unclassified.length > 0) {
    throw new UsageError(
      `${compiled.file}: every command needs an x-class (read, write, destructive or credential) before the engine can serve it; missing: ${unclassified.join(', ')}.`,
    );
  }
  const clash = [...compiled.commands.values()].find((c) =>
    (c.arguments ?? []).some((a) => a.name === DRY_RUN),
  );
  if (clash) {
    throw new UsageError(
      `${clash.name} has an argument named ${DRY_RUN}, which the engine reserves.`,
    );
  }
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const compiled = await loadCompiledManifest(options.manifestPath);
  checkManifest(compiled);
  const clock = options.clock ?? createClock({ unref: true });
  const redactor = options.redactor ?? new Redactor();
  const log = options.log ?? jsonLog((line) => process.stderr.write(line), redactor, clock);
  const admission = { ...DEFAULT_ADMISSION, ...options.admission };
  let instances = new Map<string, EngineInstance>();
  const metrics = new EngineMetrics(() =>
    [...instances.values()].map((i) => ({
      name: i.name,
      inFlight: i.queue.inFlight,
      queued: i.queue.queued,
    })),
  );
  const dryRuns = new DryRuns();
  instances = await createInstances(options.instances, {
    clock,
    log,
    redactor,
    metrics,
    dryRuns,
    throttleStore: options.throttleStore ?? memoryThrottleStore(),
    admission,
    gateMaxWaitMs: 120_000,
  });
  // Loaded now: a call then validates without waiting on a module or a compile.
  const validators = new Map<string, ArgumentValidator>();
  for (const name of compiled.commands.keys()) {
    const validate = await compiled.validator(name);
    if (validate) validators.set(name, validate);
  }
  let stopping = false;

  const engine: Engine = {
    compiled,
    instances,
    keys: options.keys,
    metrics,
    log,
    redactor,
    clock,
    target(instanceName, commandName) {
      const name = instanceName ?? DEFAULT_INSTANCE;
      const instance = instances.get(name);
      const command = compiled.commands.get(commandName);
      if (!command) {
        metrics.command('unknown', 'not_found');
        // The CLI's message, with where an API client finds the list.
        const message = unknownCommand(commandName, compiled).userMessage.replace(
          / Run "msgraph-user --help" to list the commands\.$/,
          ' GET /v1/commands lists the commands.',
        );
        return refused(404, 'unknown_command', message);
      }
      if (!instance) {
        metrics.command(command.name, 'not_found');
        const message =
          instanceName === undefined
            ? `No default instance is configured: start the engine with --params FILE, or call /v1/instances/{name}/commands/${command.name} (instances: ${[...instances.keys()].join(', ')}).`
            : `Unknown instance "${name}". Instances: ${[...instances.keys()].join(', ')}.`;
        return refused(404, 'unknown_instance', message);
      }
      return { instance, command };
    },
    authorize(grant, target, dryRun) {
      const reason = refusal(grant, target.instance.name, target.command, dryRun);
      if (!reason) return undefined;
      metrics.command(target.command.name, 'forbidden');
      return refused(403, 'forbidden', reason);
    },
    checkArguments(command, raw) {
      const invalid = (message: string) => {
        metrics.command(command.name, 'invalid');
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
      const validate = validators.get(command.name)!;
      const normalised = normaliseArguments(command, args);
      if (!validate(normalised)) {
        return invalid(describeArgumentErrors(command, validate.errors ?? [], normalised));
      }
      return { args, dryRun };
    },
    async run(target, checked) {
      if (stopping) {
        return refused(503, 'overloaded', 'The engine is shutting down; try again.', 1);
      }
      return runChecked(target, checked, { metrics, dryRuns });
    },
    async call(grant, instanceName, commandName, raw) {
      const target = engine.target(instanceName, commandName);
      if (isRefusal(target)) return target;
      const dryRun = requestedDryRun(raw);
      const forbidden = engine.authorize(grant, target, dryRun);
      if (forbidden) return forbidden;
      const checked = engine.checkArguments(target.command, raw);
      if (isRefusal(checked)) return checked;
      return engine.run(target, checked);
    },
    stop() {
      stopping = true;
      for (const instance of instances.values()) {
        instance.queue.drain('The engine is shutting down; try again.');
      }
    },
  };
  return engine;
}
