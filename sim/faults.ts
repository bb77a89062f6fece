/** Fault-injection settings; probabilities are 0..1. */
export interface FaultSettings {
  p429: number;
  p503: number;
  /** Seconds sent in Retry-After with injected 429/503 answers. */
  retryAfter: number;
  /** Delay added to every request, in milliseconds. */
  latencyMs: number;
}

export type Fault = 'throttled' | 'unavailable';

/** Hashes a seed (number or text) to a 32-bit state, so any seed yields a usable stream. */
export function seedToState(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough to make fault sequences reproducible from a seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number | string) {
    this.state = seedToState(seed);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * Decides, request by request, whether to answer with an injected fault. Exactly one random draw
 * is taken per decision whatever the probabilities, so the same seed and the same request order
 * give the same faults even after the probabilities change.
 */
export class FaultInjector {
  private random: SeededRandom;
  settings: FaultSettings;

  constructor(seed: number | string, settings: FaultSettings) {
    this.random = new SeededRandom(seed);
    this.settings = { ...settings };
  }

  update(patch: Partial<FaultSettings> & { seed?: number | string }): void {
    const { seed, ...rest } = patch;
    for (const [key, value] of Object.entries(rest) as [
      keyof FaultSettings,
      number | undefined,
    ][]) {
      if (value !== undefined) this.settings[key] = value;
    }
    if (seed !== undefined) this.random = new SeededRandom(seed);
  }

  decide(): Fault | null {
    const r = this.random.next();
    if (r < this.settings.p429) return 'throttled';
    if (r < this.settings.p429 + this.settings.p503) return 'unavailable';
    return null;
  }
}

/** Validates user-supplied fault settings; returns an error text or null. */
export function checkFaultSettings(patch: Partial<FaultSettings>): string | null {
  for (const key of ['p429', 'p503'] as const) {
    const value = patch[key];
    if (value !== undefined && !(value >= 0 && value <= 1)) return `${key} must be between 0 and 1`;
  }
  for (const key of ['retryAfter', 'latencyMs'] as const) {
    const value = patch[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      return `${key} must be a non-negative number`;
    }
  }
  return null;
}
