/**
 * The engine's Prometheus metrics (prom-client, one registry per engine): commands by name and
 * outcome, their latency, what each instance sends upstream (Graph requests, 429s, token
 * requests), the time spent at the throttle gate, and the admission queues. Label values are
 * known names only (manifest commands, configured instances), so no caller can grow the series.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/types.js';
import type { UpstreamOf } from './upstream.js';

export type CommandOutcome =
  | 'ok'
  | 'error'
  | 'dry_run'
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  | 'overloaded'
  | 'state_unavailable';

export interface QueueState {
  name: string;
  inFlight: number;
  queued: number;
}

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: 'msgraph_user_commands_total',
    help: 'Commands the engine was asked to run, by command and outcome.',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'msgraph_user_command_duration_seconds',
    help: 'Time to run a command (queueing included), by command.',
    labelNames: ['command'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly upstream = new Counter({
    name: 'msgraph_user_upstream_requests_total',
    help: 'HTTP requests sent upstream (retries included), by instance and service: graph, mfa, or token (token requests: logins, token exchanges, IMDS).',
    labelNames: ['instance', 'service'] as const,
    registers: [this.registry],
  });
  private readonly throttled = new Counter({
    name: 'msgraph_user_graph_throttled_total',
    help: 'Graph answers 429 (requests and $batch items), by instance.',
    labelNames: ['instance'] as const,
    registers: [this.registry],
  });
  private readonly gateWait = new Counter({
    name: 'msgraph_user_throttle_gate_wait_seconds_total',
    help: 'Time Graph requests spent waiting at the per-tenant throttle gate, by instance.',
    labelNames: ['instance'] as const,
    registers: [this.registry],
  });

  /** `backend`: "local", or the shared state's Redis URL (without its password). */
  constructor(backend: string, queues: () => QueueState[]) {
    new Gauge({
      name: 'msgraph_user_state_backend_info',
      help: 'Where the instances keep their state and throttle gates: local (this process), or the Redis URL without its password.',
      labelNames: ['backend'] as const,
      registers: [this.registry],
    }).set({ backend }, 1);
    new Gauge({
      name: 'msgraph_user_commands_in_flight',
      help: 'Commands running now, by instance.',
      labelNames: ['instance'] as const,
      registers: [this.registry],
      collect() {
        for (const q of queues()) this.set({ instance: q.name }, q.inFlight);
      },
    });
    new Gauge({
      name: 'msgraph_user_commands_queued',
      help: 'Commands waiting for a slot, by instance.',
      labelNames: ['instance'] as const,
      registers: [this.registry],
      collect() {
        for (const q of queues()) this.set({ instance: q.name }, q.queued);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'msgraph_user_' });
  }

  /** Counts a command turned away before it ran. */
  command(command: string, outcome: CommandOutcome): void {
    this.commands.inc({ command, outcome });
  }

  /**
   * Starts timing a command; the returned function counts it with its outcome and returns how
   * long it took, in seconds (queueing included).
   */
  timeCommand(command: string): (outcome: CommandOutcome) => number {
    const end = this.duration.startTimer({ command });
    return (outcome) => {
      this.commands.inc({ command, outcome });
      if (outcome === 'overloaded') return 0;
      return end();
    };
  }

  graphThrottled(instance: string, count: number): void {
    this.throttled.inc({ instance }, count);
  }

  gateWaited(instance: string, ms: number): void {
    this.gateWait.inc({ instance }, ms / 1000);
  }

  /** A transport decorator counting what goes upstream. */
  meter(inner: HttpClient, instance: string, upstreamOf: UpstreamOf): HttpClient {
    const send = (request: HttpRequest): Promise<HttpResponse> => {
      this.upstream.inc({ instance, service: upstreamOf(request.url) });
      return inner.send(request);
    };
    return { send, retryPolicy: inner.retryPolicy };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
