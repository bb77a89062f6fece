/**
 * Dry runs: a command runs for real up to its first change, which is recorded and not sent.
 *
 * One runtime serves every call of an instance, so whether a request belongs to a dry run is
 * carried by the call itself (AsyncLocalStorage follows it through every await, the $batch flush
 * included). Two decorators read it:
 *  - on the transport (below the retries): GETs and token requests go out as usual; a request
 *    that would change something (src/engine/upstream.ts) is recorded and answered with DryRunHalt,
 *    which ends the handler there, so no made-up answer flows into its output. A $batch is
 *    inspected item by item: only one whose items all read goes out.
 *  - on the instance state handlers see: their writes land in a copy that is never saved.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { UserError } from '../base/errors.js';
import type { ContextData, VersionedContext } from '../base/integration-context.js';
import type { InstanceState } from '../command/handler.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/types.js';
import { changesState, isBatchUrl, type UpstreamOf } from './upstream.js';

/** A request the command would have sent. */
export interface PlannedRequest {
  method: string;
  url: string;
  body?: unknown;
}

export interface DryRunScope {
  readonly requests: PlannedRequest[];
  /** The messages of the halts, so the caller can tell them from real failures. */
  readonly halts: Set<string>;
  /** Top-level keys of the instance state the command would have changed. */
  readonly stateKeys: Set<string>;
  state?: VersionedContext;
}

/** Thrown where a dry run stops: the command would have sent a change here. */
export class DryRunHalt extends UserError {}

function parsedBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

interface BatchItem {
  method?: unknown;
  url?: unknown;
  body?: unknown;
}

function batchItems(body: unknown): BatchItem[] {
  const requests = (parsedBody(body) as { requests?: unknown } | undefined)?.requests;
  return Array.isArray(requests) ? (requests as BatchItem[]) : [];
}

/** The changes a request carries: itself, or the items of a $batch that do not just read. */
function plannedChanges(request: HttpRequest): PlannedRequest[] {
  if (!isBatchUrl(request.url)) {
    const body = parsedBody(request.body);
    return [{ method: request.method, url: request.url, ...(body !== undefined ? { body } : {}) }];
  }
  const root = request.url.replace(/\$batch(\?.*)?$/, '');
  return batchItems(request.body)
    .filter((item) => String(item.method).toUpperCase() !== 'GET')
    .map((item) => ({
      method: String(item.method),
      url: `${root}${String(item.url).replace(/^\//, '')}`,
      ...(item.body !== undefined ? { body: item.body } : {}),
    }));
}

export class DryRuns {
  private readonly storage = new AsyncLocalStorage<DryRunScope>();

  /** Runs `fn` as a dry run; returns its result and what the run would have changed. */
  async run<T>(fn: () => Promise<T>): Promise<{ result: T; scope: DryRunScope }> {
    const scope: DryRunScope = { requests: [], halts: new Set(), stateKeys: new Set() };
    const result = await this.storage.run(scope, fn);
    return { result, scope };
  }

  /** The transport decorator (see the file comment). */
  transport(inner: HttpClient, upstreamOf: UpstreamOf): HttpClient {
    const send = async (request: HttpRequest): Promise<HttpResponse> => {
      const scope = this.storage.getStore();
      if (!scope || !changesState(request, upstreamOf(request.url))) return inner.send(request);
      const changes = plannedChanges(request);
      if (changes.length === 0) return inner.send(request);
      scope.requests.push(...changes);
      const message =
        changes.length === 1
          ? `Dry run: ${changes[0]!.method} ${changes[0]!.url} was not sent; nothing was changed.`
          : `Dry run: ${changes.length} changes in one $batch request were not sent; nothing was changed.`;
      scope.halts.add(message);
      throw new DryRunHalt(message);
    };
    return { send, retryPolicy: inner.retryPolicy };
  }

  /** The state decorator: outside a dry run it is `store` itself. */
  state(store: InstanceState): InstanceState {
    return {
      get: async () => this.storage.getStore()?.state ?? store.get(),
      update: async (mutate) => {
        const scope = this.storage.getStore();
        if (!scope) return store.update(mutate);
        const current = scope.state ?? (await store.get());
        const next: ContextData = await mutate(structuredClone(current.context));
        const keys = new Set([...Object.keys(current.context), ...Object.keys(next)]);
        for (const key of keys) {
          if (JSON.stringify(current.context[key]) !== JSON.stringify(next[key])) {
            scope.stateKeys.add(key);
          }
        }
        scope.state = { version: current.version, context: next };
        return undefined;
      },
    };
  }
}
