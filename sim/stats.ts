import type { JsonObject } from './types.js';

export type TokenGrant =
  | 'client_credentials'
  | 'authorization_code'
  | 'refresh_token'
  | 'device_code'
  | 'xsoar_app'
  | 'managed_identity'
  | 'mfa_v1';

/** Counters served by GET /_sim/stats. Keys of the route maps are "METHOD /template". */
export class SimStats {
  readonly requests = new Map<string, number>();
  readonly batchItems = new Map<string, number>();
  readonly tokens = new Map<TokenGrant, number>();
  throttled = 0;
  unavailable = 0;
  totalRequests = 0;
  injectedLatencyMs = 0;
  handlingMs = 0;
  maxHandlingMs = 0;

  countRequest(route: string): void {
    this.totalRequests++;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
  }

  countBatchItem(route: string): void {
    this.batchItems.set(route, (this.batchItems.get(route) ?? 0) + 1);
  }

  countToken(grant: TokenGrant): void {
    this.tokens.set(grant, (this.tokens.get(grant) ?? 0) + 1);
  }

  recordTiming(injectedMs: number, handlingMs: number): void {
    this.injectedLatencyMs += injectedMs;
    this.handlingMs += handlingMs;
    this.maxHandlingMs = Math.max(this.maxHandlingMs, handlingMs);
  }

  toJson(): JsonObject {
    const total = this.totalRequests;
    return {
      totalRequests: total,
      requests: Object.fromEntries(this.requests),
      batchItems: Object.fromEntries(this.batchItems),
      tokensIssued: Object.fromEntries(this.tokens),
      throttled: this.throttled,
      unavailable: this.unavailable,
      latency: {
        injectedTotalMs: this.injectedLatencyMs,
        handlingTotalMs: Math.round(this.handlingMs),
        handlingMeanMs: total ? Math.round((this.handlingMs / total) * 100) / 100 : 0,
        handlingMaxMs: Math.round(this.maxHandlingMs * 100) / 100,
      },
    };
  }
}
