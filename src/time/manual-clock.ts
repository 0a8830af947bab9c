/**
 * @module A clock for tests that moves only on simulated time: `advance(ms)` moves it, and with
 * `autoAdvance` it jumps by itself to the next sleeper's deadline once everything else has settled (as
 * Temporal's time-skipping test environment does), so a long wait costs no real time.
 */
import type { Clock } from './clock.js';

interface Sleeper {
  at: number;
  wake: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  private skipping = false;

  constructor(
    start = Date.UTC(2026, 10, 30),
    private readonly autoAdvance = true,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        at: this.time + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        sleeper.wake();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      if (this.autoAdvance) this.skipSoon();
    });
  }

  /** Moves the clock on, waking (in deadline order) every sleeper due by then. */
  advance(ms: number): void {
    this.wakeUntil(this.time + ms);
  }

  private wakeUntil(until: number): void {
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.time = Math.max(this.time, due.at);
      due.wake();
    }
    this.time = Math.max(this.time, until);
  }

  /** After the promise jobs and I/O callbacks of now have run: on to the earliest deadline. */
  private skipSoon(): void {
    if (this.skipping) return;
    this.skipping = true;
    setImmediate(() => {
      this.skipping = false;
      const next = Math.min(...this.sleepers.map((s) => s.at));
      if (Number.isFinite(next)) this.wakeUntil(next);
      if (this.sleepers.length > 0) this.skipSoon();
    });
  }
}
