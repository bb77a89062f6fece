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
import {
  loadCompiledManifest,
  type ArgumentValidator,
  type CompiledManifest,
} from '../manifest/compiled.js';
import { unclassifiedCommands } from '../manifest/consistency.js';
import type { ManifestCommand } from '../manifest/types.js';
import type { AdmissionLimits } from './admission.js';
import type { Grant, KeyRing } from './api-keys.js';
import { DryRuns } from './dry-run.js';
import { createInstances, type EngineInstance, type InstanceConfig } from './instances.js';
import { jsonLog, type EngineLog } from './log.js';
import { EngineMetrics } from './metrics.js';
import { isRefusal, refused, type Refusal } from './refusal.js';
import { runChecked, type Answer, type CheckedArguments, type Target } from './run.js';
import { RESERVED_ARGUMENTS } from './schemas.js';
import { memoryState, type SharedState } from './shared-state.js';
import {
  authorizeCall,
  checkCallArguments,
  requestedDryRun,
  resolveTarget,
  type StepContext,
} from './steps.js';

export { DEFAULT_INSTANCE, requestedDryRun } from './steps.js';

/** The longest a Graph request waits at its instance's throttle gate: the retries' total budget. */
const GATE_MAX_WAIT_MS = 120_000;
const STOPPING = 'The engine is shutting down; try again.';

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
  /** What the instances share with other replicas (default: this process's memory). */
  state?: SharedState;
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
  /** Where the throttle gates (and, on Redis, the instances' state) live. */
  readonly state: SharedState;
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
  /** Lets go of the shared state (its connection), once the calls have ended. */
  close(): Promise<void>;
}

function checkManifest(compiled: CompiledManifest): void {
  const unclassified = unclassifiedCommands(compiled.manifest);
  if (unclassified.length > 0) {
    throw new UsageError(
      `${compiled.file}: every command needs an x-class (read, write, destructive or credential) before the engine can serve it; missing: ${unclassified.join(', ')}.`,
    );
  }
  const clash = [...compiled.commands.values()].find((c) =>
    (c.arguments ?? []).some((a) => RESERVED_ARGUMENTS.includes(a.name)),
  );
  if (clash) {
    throw new UsageError(
      `${clash.name} has an argument the engine reserves (${RESERVED_ARGUMENTS.join(', ')}).`,
    );
  }
}

/** Every validator, loaded now: a call then validates without waiting on a module or a compile. */
async function loadValidators(compiled: CompiledManifest): Promise<Map<string, ArgumentValidator>> {
  const validators = new Map<string, ArgumentValidator>();
  for (const name of compiled.commands.keys()) {
    const validate = await compiled.validator(name);
    if (validate) validators.set(name, validate);
  }
  return validators;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const compiled = await loadCompiledManifest(options.manifestPath);
  checkManifest(compiled);
  const clock = options.clock ?? createClock({ unref: true });
  const redactor = options.redactor ?? new Redactor();
  const log = options.log ?? jsonLog((line) => process.stderr.write(line), redactor, clock);
  const state = options.state ?? memoryState(clock);
  const metrics = new EngineMetrics(state.describe, () =>
    [...instances.values()].map((i) => ({
      name: i.name,
      inFlight: i.queue.inFlight,
      queued: i.queue.queued,
    })),
  );
  const dryRuns = new DryRuns();
  const instances = await createInstances(options.instances, {
    clock,
    log,
    redactor,
    metrics,
    dryRuns,
    throttleStore: state.throttleStore,
    instanceState: state.instances,
    admission: { ...DEFAULT_ADMISSION, ...options.admission },
    gateMaxWaitMs: GATE_MAX_WAIT_MS,
  });
  const validators = await loadValidators(compiled);
  const steps: StepContext = { compiled, instances, metrics, validators };
  let stopping = false;
  const engine: Engine = {
    compiled,
    instances,
    keys: options.keys,
    metrics,
    log,
    redactor,
    clock,
    state,
    target: (instance, command) => resolveTarget(steps, instance, command),
    authorize: (grant, target, dryRun) => authorizeCall(steps, grant, target, dryRun),
    checkArguments: (command, raw) => checkCallArguments(steps, command, raw),
    run: async (target, checked) =>
      stopping
        ? refused(503, 'overloaded', STOPPING, 1)
        : runChecked(target, checked, { metrics, dryRuns, state }),
    async call(grant, instanceName, commandName, raw) {
      const target = engine.target(instanceName, commandName);
      if (isRefusal(target)) return target;
      const forbidden = engine.authorize(grant, target, requestedDryRun(raw));
      if (forbidden) return forbidden;
      const checked = engine.checkArguments(target.command, raw);
      return isRefusal(checked) ? checked : engine.run(target, checked);
    },
    stop() {
      stopping = true;
      for (const instance of instances.values()) instance.queue.drain(STOPPING);
    },
    close: () => state.close(),
  };
  return engine;
}
