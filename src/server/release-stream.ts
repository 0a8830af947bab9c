/**
 * @module A release's events as Server-Sent Events: every stored event after the client's last one
 * (`Last-Event-ID`, so a reconnect resumes where it left), the running analysis's latest round as a
 * `sample` (not stored, no id), and `end` once the release is over. The store is polled: a controller
 * standing by for another's release sees its events the same way.
 */
import type { Controller } from '../engine/controller.js';
import { TERMINAL_EVENTS } from '../engine/events.js';
import { sleep } from '../io/sleep.js';

export interface StreamOptions {
  pollMs?: number;
  /** A comment this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
}

/** One SSE message; `data` is JSON on one line (JSON.stringify escapes every newline). */
export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Streams until the release ends or `signal` aborts (the client went away). */
export async function streamRelease(
  controller: Controller,
  id: string,
  after: number,
  write: (chunk: string) => void,
  signal: AbortSignal,
  options: StreamOptions = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  let seq = after;
  let lastSample: unknown;
  let quietSince = Date.now();
  let ended = false;
  write('retry: 1000\n\n');
  while (!signal.aborted) {
    const events = await controller.events(id, seq);
    for (const e of events) {
      write(sseMessage('release-event', e, e.seq));
      seq = e.seq;
    }
    ended ||= events.some((e) => TERMINAL_EVENTS.has(e.type));
    // After the terminal event the runner may still append (notifications, diagnostics): end once it is done.
    if (ended && !controller.isRunning(id)) {
      for (const e of await controller.events(id, seq)) {
        write(sseMessage('release-event', e, e.seq));
        seq = e.seq;
      }
      write(sseMessage('end', { lastEventId: seq }));
      return;
    }
    let wrote = events.length > 0;
    const sample = controller.liveSample(id);
    if (sample && sample !== lastSample) {
      write(sseMessage('sample', sample));
      lastSample = sample;
      wrote = true;
    }
    if (wrote) quietSince = Date.now();
    else if (Date.now() - quietSince >= heartbeatMs) {
      write(': keep-alive\n\n');
      quietSince = Date.now();
    }
    await sleep(pollMs, signal);
  }
}
