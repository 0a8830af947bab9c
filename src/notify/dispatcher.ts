/**
 * @module Sends notifications in the background: bounded time per attempt, a few retries, a bounded queue.
 * A dead or slow receiver costs the release nothing; failures are logged, never thrown.
 */
import type { NotificationMessage, Notifier } from '../engine/ports.js';
import type { Channel } from './channels.js';
import { DEFAULT_NOTIFICATION_EVENTS } from '../engine/release-notifications.js';
import { redact } from '../security/redact.js';

export interface DispatcherOptions {
  timeoutMs?: number;
  retries?: number;
  maxQueue?: number;
  log?: (line: string) => void;
}

/** A channel takes what its `on` lists, or by default every occasion but each step's completion. */
const takes = (channel: Channel, event: NotificationMessage['event']) =>
  (channel.on ?? DEFAULT_NOTIFICATION_EVENTS).includes(event);

export class NotificationDispatcher implements Notifier {
  private pending = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly channels: Channel[],
    private readonly options: DispatcherOptions = {},
  ) {}

  wants(event: NotificationMessage['event']): boolean {
    return this.channels.some((c) => takes(c, event));
  }

  send(message: NotificationMessage): void {
    for (const channel of this.channels) {
      if (!takes(channel, message.event)) continue;
      if (this.pending >= (this.options.maxQueue ?? 1000)) {
        this.options.log?.(`notify: queue full, dropped ${message.key} for ${channel.name}`);
        continue;
      }
      this.pending++;
      const p = this.deliver(channel, message).finally(() => {
        this.pending--;
        this.inFlight.delete(p);
      });
      this.inFlight.add(p);
    }
  }

  /** Waits (bounded) for messages still being sent, e.g. before the process exits. */
  async flush(timeoutMs = 5000): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }

  private async deliver(channel: Channel, message: NotificationMessage): Promise<void> {
    const attempts = (this.options.retries ?? 2) + 1;
    for (let i = 1; i <= attempts; i++) {
      try {
        const { url, authorization } = splitCredentials(channel.url);
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.key,
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify(channel.body(message)),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await res.arrayBuffer();
        if (res.ok) return;
        // A 4xx will not get better by retrying.
        if (res.status < 500) {
          this.options.log?.(`notify: ${channel.name} refused ${message.key}: HTTP ${res.status}`);
          return;
        }
        this.options.log?.(`notify: ${channel.name} answered ${res.status} for ${message.key}`);
      } catch (error) {
        // The URL is the credential (a Slack webhook, a bot token): it never reaches the log.
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        const reason = redact(`${(error as Error).message}${cause ? ` (${cause})` : ''}`, [channel.url]);
        this.options.log?.(`notify: ${channel.name} unreachable for ${message.key}: ${reason}`);
      }
      if (i < attempts) await new Promise((r) => setTimeout(r, 500 * i));
    }
  }
}

/** fetch refuses a URL with `user:password@`: they travel as a Basic Authorization header instead. */
function splitCredentials(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw };
  const basic = Buffer.from(
    `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
  ).toString('base64');
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${basic}` };
}
