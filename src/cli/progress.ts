/** @module Live release progress, rendered from the release's events as they are appended. */
import { EventType, TERMINAL_EVENTS } from '../engine/events.js';
import { SlipwayError } from '../errors/index.js';
import type { StoredEvent } from '../store/store.js';
import { releaseEvents } from './release-events.js';

export function describeEvent(e: StoredEvent, titles: Map<string, string>, t0: number): string | undefined {
  const at = `[${((Date.parse(e.time) - t0) / 1000).toFixed(1).padStart(6)}s]`;
  switch (e.type) {
    case EventType.created:
      return `${at} release ${e.releaseId} created by ${e.actor}`;
    case EventType.stepStarted: {
      const { step, title, waiting } = e.payload;
      titles.set(step, title);
      return waiting
        ? `${at} … ${step} ${title} (${waiting === 'approval' ? `slipway approve ${e.releaseId}` : `slipway promote ${e.releaseId}`})`
        : undefined;
    }
    case EventType.stepCompleted:
      return `${at} ✓ ${e.payload.step} ${e.payload.evidence?.summary ?? titles.get(e.payload.step) ?? ''}`;
    case EventType.gateFailed:
      return `${at} ✗ ${e.payload.step} ${e.payload.reason}`;
    case EventType.approved:
      return `${at} approved by ${e.actor} for ${e.payload.environment}`;
    case EventType.abortRequested:
      return `${at} abort requested by ${e.actor}: ${e.payload.reason}`;
    case EventType.rollbackStarted:
      return `${at} ↩ rolling back: ${e.payload.reason}`;
    case EventType.rollbackStepStarted:
      titles.set(e.payload.step, e.payload.title);
      return undefined;
    case EventType.rollbackStepCompleted:
      return `${at} ↩ ${titles.get(e.payload.step) ?? e.payload.step}`;
    case EventType.succeeded:
      return `${at} release succeeded`;
    case EventType.rolledBack:
      return `${at} release rolled back: ${e.payload.reason}`;
    case EventType.failed:
      return `${at} release failed: ${e.payload.reason}`;
    case EventType.promoteRequested:
    case EventType.notificationSent:
    case EventType.diagnostics:
      return undefined;
  }
}

/** How long `release` waits for a controller that went away (a restart resumes the release). */
export const RECONNECT_MS = 120_000;

/**
 * Follows a release until it ends, over the controller's event stream; returns its final event type.
 * A dropped stream resumes after the last event seen; a controller that went away is waited for.
 */
export async function follow(
  server: string,
  id: string,
  print: (line: string) => void,
  reconnectMs = RECONNECT_MS,
): Promise<string> {
  let after = 0;
  let t0 = 0;
  let lostSince: number | undefined;
  const titles = new Map<string, string>();
  for (;;) {
    try {
      for await (const e of releaseEvents(server, id, after)) {
        if (lostSince !== undefined) {
          print(
            `controller back after ${Math.round((Date.now() - lostSince) / 1000)}s; following release ${id}`,
          );
          lostSince = undefined;
        }
        if (!t0) t0 = Date.parse(e.time);
        after = e.seq;
        const line = describeEvent(e, titles, t0);
        if (line) print(line);
        if (TERMINAL_EVENTS.has(e.type)) return e.type;
      }
    } catch (error) {
      // The release goes on in the controller's log: a restarted controller resumes it, so wait for it.
      if (!(error instanceof SlipwayError) || error.code !== 'CLI_NO_CONTROLLER') throw error;
      const now = Date.now();
      if (lostSince === undefined) {
        lostSince = now;
        print(
          `controller at ${server} is unreachable; waiting up to ${reconnectMs / 1000}s for it (the release goes on)`,
        );
      }
      if (now - lostSince > reconnectMs) throw error;
    }
    await new Promise((r) => setTimeout(r, lostSince === undefined ? 200 : 1000));
  }
}
