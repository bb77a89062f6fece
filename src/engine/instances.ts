/**
 * The engine's instances: one runtime each, built once by the composition root and kept for the
 * engine's lifetime, so its token, its connections and its throttle gate serve every call. With
 * shared state (Redis) every replica's runtime for the same identity reads the same token and
 * waits at the same gate. The engine's decorators go around each runtime's transport (below the
 * retries):
 *
 *   retries -> dry run -> throttle gate -> metrics -> network
 */
import type { Clock } from '../base/clock.js';
import { UsageError, UserError } from '../base/errors.js';
import { silentProgress } from '../base/progress.js';
import type { Redactor } from '../base/redact.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime/compose.js';
// Names in URLs and key grants follow the rule for instance names.
import { INSTANCE_NAME } from '../state/instance-store.js';
import { AdmissionQueue, type AdmissionLimits } from './admission.js';
import type { DryRuns } from './dry-run.js';
import type { EngineLog } from './log.js';
import type { EngineMetrics } from './metrics.js';
import type { StateBackend } from '../state/instance-store.js';
import type { ThrottleStore } from '../state/throttle-store.js';
import { throttleGate } from './throttle-gate.js';
import { upstreamClassifier } from './upstream.js';

export interface InstanceConfig {
  /** The name in `/v1/instances/{name}/…` and in key grants. */
  name: string;
  /** What configured it (a file), for messages. */
  origin: string;
  /** Parameters, state dir, CA: what differs between instances. */
  runtime: RuntimeOptions;
}

export interface EngineInstance {
  readonly name: string;
  readonly runtime: Runtime;
  readonly queue: AdmissionQueue;
}

export interface InstanceDeps {
  clock: Clock;
  log: EngineLog;
  redactor: Redactor;
  metrics: EngineMetrics;
  dryRuns: DryRuns;
  throttleStore: ThrottleStore;
  /** Where every instance keeps its state when replicas share it (else each its state dir). */
  instanceState?: StateBackend;
  admission: AdmissionLimits;
  /** The longest a request waits at the throttle gate. */
  gateMaxWaitMs: number;
}

async function createInstance(config: InstanceConfig, deps: InstanceDeps): Promise<EngineInstance> {
  const { name } = config;
  try {
    const runtime = await createRuntime({
      ...config.runtime,
      ...(deps.instanceState ? { state: deps.instanceState } : {}),
      clock: deps.clock,
      logger: deps.log,
      redactor: deps.redactor,
      progress: silentProgress,
      transport: (network, { instanceId, cloud }) => {
        const upstreamOf = upstreamClassifier(cloud);
        const gated = throttleGate(deps.metrics.meter(network, name, upstreamOf), {
          // The identity (cloud, app, tenant, flow) Graph throttles, as the shared state names it.
          key: instanceId,
          store: deps.throttleStore,
          clock: deps.clock,
          upstreamOf,
          maxWaitMs: deps.gateMaxWaitMs,
          onThrottled: (count) => deps.metrics.graphThrottled(name, count),
          onWaited: (ms) => deps.metrics.gateWaited(name, ms),
        });
        return deps.dryRuns.transport(gated, upstreamOf);
      },
      handlerState: (state) => deps.dryRuns.state(state),
      // Runs are independent requests: each one's secrets are forgotten with it.
      scopeSecretsPerRun: true,
    });
    return { name, runtime, queue: new AdmissionQueue(name, deps.admission, deps.clock) };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw new UsageError(`Instance "${name}" (${config.origin}): ${err.userMessage}`);
  }
}

/** Every configured instance, by name; a usage error names the first one that cannot run. */
export async function createInstances(
  configs: InstanceConfig[],
  deps: InstanceDeps,
): Promise<Map<string, EngineInstance>> {
  if (configs.length === 0) {
    throw new UsageError(
      'No instance to serve: give --params FILE (the default instance), --instances FILE|DIR, or set MSGRAPH_USER_PARAMS or AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET.',
    );
  }
  const instances = new Map<string, EngineInstance>();
  for (const config of configs) {
    if (!INSTANCE_NAME.test(config.name)) {
      throw new UsageError(
        `Instance name "${config.name}" (${config.origin}) may only use letters, digits, ".", "_" and "-" (at most 64).`,
      );
    }
    if (instances.has(config.name)) {
      throw new UsageError(`Instance "${config.name}" is configured twice (${config.origin}).`);
    }
    instances.set(config.name, await createInstance(config, deps));
  }
  return instances;
}
