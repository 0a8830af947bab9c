/**
 * @module A release's notifications: each recorded in its log before it is sent (at most once, even across
 * a crash), keyed per release and occasion. The occasions a channel did not ask for and that are not on by
 * default (step-completed) are not even recorded, so a quiet platform's log does not grow with them.
 */
import type { NotificationMessage, Notifier } from './ports.js';
import type { NewEvent } from '../store/store.js';
import { EventType } from './events.js';
import { failpoint } from './failpoints.js';
import type { ReleaseState } from './state.js';

export type NotificationEvent = NotificationMessage['event'];

/** What a channel without `on` receives: every occasion but each step's completion (too many). */
export const DEFAULT_NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'release-started',
  'approval-needed',
  'paused',
  'inconclusive',
  'aborted',
  'gate-failed',
  'rollback',
  'release-succeeded',
  'release-failed',
];

export class ReleaseNotifications {
  constructor(
    private readonly notifier: Notifier,
    private readonly releaseId: string,
    private readonly platform: string,
    private readonly append: (event: NewEvent) => Promise<void>,
  ) {}

  /** `state` may be a getter: an occasion nobody wants then costs no read of the log. */
  async send(
    state: ReleaseState | (() => Promise<ReleaseState>),
    event: NotificationEvent,
    text: string,
    details?: Record<string, unknown>,
    suffix?: string,
  ): Promise<void> {
    if (this.notifier.wants && !this.notifier.wants(event)) return;
    const key = `${this.releaseId}/${suffix ?? event}`;
    const known = typeof state === 'function' ? await state() : state;
    if (known.notifications.has(key)) return;
    await this.append({ type: EventType.notificationSent, payload: { key, event }, actor: 'engine' });
    failpoint(`notify/${suffix ?? event}`);
    this.notifier.send({
      key,
      event,
      releaseId: this.releaseId,
      platform: this.platform,
      text,
      ...(details ? { details } : {}),
    });
  }
}
