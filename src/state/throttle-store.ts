/**
 * Where a throttle gate keeps when it opens again. The gate itself is the engine's
 * (src/engine/throttle-gate.ts); its state lives here, below it, so a shared store (Redis) can
 * serve engine replicas on many hosts while one process keeps it in memory.
 */

export interface ThrottleStore {
  /** Epoch ms (on the caller's clock) when the gate of `key` opens; undefined when it is open. */
  openAt(key: string): Promise<number | undefined>;
  /** Keeps the gate of `key` closed until at least `until` (the later of two closings wins). */
  closeUntil(key: string, until: number): Promise<void>;
}

/** One process's gates. A closing that has passed reads as open, like an expired shared key. */
export function memoryThrottleStore(clock: { now(): number }): ThrottleStore {
  const gates = new Map<string, number>();
  return {
    async openAt(key) {
      const until = gates.get(key);
      if (until === undefined || until > clock.now()) return until;
      gates.delete(key);
      return undefined;
    },
    async closeUntil(key, until) {
      if (until <= clock.now()) return;
      gates.set(key, Math.max(until, gates.get(key) ?? 0));
    },
  };
}
