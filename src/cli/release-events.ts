/**
 * @module A release's events from the controller's Server-Sent Events stream, as an async iterator: it
 * ends at the stream's `end` (or when the connection drops — the caller reconnects after the last event
 * it saw, which the stream resumes from).
 */
import { createParser } from 'eventsource-parser';
import type { StoredEvent } from '../store/store.js';
import { apiError, authorization, fetchController } from './client.js';

export async function* releaseEvents(server: string, id: string, after: number): AsyncGenerator<StoredEvent> {
  const response = await fetchController(server, `/v1/releases/${encodeURIComponent(id)}/stream`, {
    headers: { accept: 'text/event-stream', 'last-event-id': String(after), ...authorization() },
  });
  if (!response.ok || !response.body) {
    throw apiError(response.status, await response.json().catch(() => ({})));
  }
  const queue: StoredEvent[] = [];
  let ended = false;
  const parser = createParser({
    onEvent: (m) => {
      if (m.event === 'release-event') queue.push(JSON.parse(m.data) as StoredEvent);
      else if (m.event === 'end') ended = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
      if (ended) return;
    }
  } catch {
    // The connection dropped mid-stream: the caller reconnects from the last event it saw.
  }
}
