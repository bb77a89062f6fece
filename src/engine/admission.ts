/**
 * Admission per instance: at most `concurrency` commands run at once, at most `depth` wait for a
 * slot (first come, first served), and none waits longer than `maxWaitMs`. A call that finds the
 * queue full, waits too long, or is still waiting when the engine stops is turned away with
 * Overloaded, which the faces answer as 503 with Retry-After: the caller (or its load balancer)
 * tries again later or elsewhere, instead of piling up work nobody bounded.
 */
import type { Clock, Timer } from '../base/clock.js';
import { UserError } from '../base/errors.js';

export class Overloaded extends UserError {
  constructor(
    message: string,
    /** When to try again, in seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface AdmissionLimits {
  concurrency: number;
  depth: number;
  maxWaitMs: number;
}

interface Waiter {
  start(): void;
  reject(error: Overloaded): void;
  timer: Timer;
}

export class AdmissionQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly name: string,
    private readonly limits: AdmissionLimits,
    private readonly clock: Clock,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; throws Overloaded instead of queueing past the limits. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) await this.slot();
    else this.running += 1;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Turns away every call still waiting (the engine is stopping); running ones finish. */
  drain(message: string): void {
    for (const waiter of this.waiting.splice(0)) {
      waiter.timer.cancel();
      waiter.reject(new Overloaded(message, 1));
    }
  }

  private slot(): Promise<void> {
    if (this.waiting.length >= this.limits.depth) {
      return Promise.reject(
        new Overloaded(
          `Instance "${this.name}" is busy: ${this.running} commands are running and ${this.waiting.length} waiting. Try again shortly.`,
          1,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        reject,
        timer: this.clock.timer(this.limits.maxWaitMs, () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(
            new Overloaded(
              `Instance "${this.name}" did not have a free slot for ${Math.round(this.limits.maxWaitMs / 1000)} s. Try again shortly.`,
              1,
            ),
          );
        }),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      // The slot passes straight to the next caller: `running` stays the same.
      next.timer.cancel();
      next.start();
    } else {
      this.running -= 1;
    }
  }
}
