/**
 * A release's Server-Sent Events, read with fetch (EventSource cannot send the bearer token) and
 * eventsource-parser; reconnects after a drop and resumes after the last event it saw (Last-Event-ID).
 */
import { createParser } from 'eventsource-parser';
import { authHeaders, type Evidence, type StoredEvent } from './api';

export interface Sample {
  step: string;
  at: string;
  evidence: Evidence;
}

export interface StreamHandlers {
  onEvent(e: StoredEvent): void;
  onSample(s: Sample): void;
  onEnd(): void;
  onProblem(message: string | undefined): void;
}

export function followRelease(id: string, handlers: StreamHandlers): () => void {
  const stop = new AbortController();
  let last = 0;
  let ended = false;
  const connect = async () => {
    const response = await fetch(`/v1/releases/${encodeURIComponent(id)}/stream`, {
      headers: { ...authHeaders(), accept: 'text/event-stream', 'last-event-id': String(last) },
      signal: stop.signal,
    });
    if (!response.ok || !response.body) throw new Error(`the live stream answered ${response.status}`);
    handlers.onProblem(undefined);
    const parser = createParser({
      onEvent: (message) => {
        const data = JSON.parse(message.data) as unknown;
        if (message.event === 'release-event') {
          const e = data as StoredEvent;
          last = e.seq;
          handlers.onEvent(e);
        } else if (message.event === 'sample') handlers.onSample(data as Sample);
        else if (message.event === 'end') {
          ended = true;
          handlers.onEnd();
        } else if (message.event === 'error')
          handlers.onProblem((data as { message?: string }).message ?? 'the stream failed');
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  };
  void (async () => {
    while (!ended && !stop.signal.aborted) {
      try {
        await connect();
      } catch (error) {
        if (stop.signal.aborted) return;
        handlers.onProblem(`live updates interrupted (${(error as Error).message}); reconnecting`);
      }
      if (!ended) await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return () => stop.abort();
}
