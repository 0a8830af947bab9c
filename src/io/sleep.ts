/** @module Waiting that a signal cuts short — and leaves no listener behind on the signal when it does not. */
import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms`, or until `signal` aborts (then it resolves early rather than throwing). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}
