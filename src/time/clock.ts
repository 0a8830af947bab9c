/**
 * @module The clock port: what time it is, and waiting that a signal cuts short. The analysis loop reads
 * time only through it, so tests run a 30-second window on simulated time in milliseconds (ManualClock).
 */
import { sleep } from '../io/sleep.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`, or until `signal` aborts (then it resolves early rather than throwing). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };
