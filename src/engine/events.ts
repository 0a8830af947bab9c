/** @module The release event types. A release's state is the fold of these (see state.ts). */

export const EventType = {
  created: 'release-created',
  stepStarted: 'step-started',
  stepCompleted: 'step-completed',
  gateFailed: 'gate-failed',
  approved: 'approved',
  promoteRequested: 'promote-requested',
  abortRequested: 'abort-requested',
  notificationSent: 'notification-sent',
  rollbackStarted: 'rollback-started',
  rollbackStepStarted: 'rollback-step-started',
  rollbackStepCompleted: 'rollback-step-completed',
  succeeded: 'release-succeeded',
  rolledBack: 'release-rolled-back',
  failed: 'release-failed',
  /** A diagnostics bundle was written (its path), or could not be (why). */
  diagnostics: 'diagnostics-written',
} as const;

export type EventTypeName = (typeof EventType)[keyof typeof EventType];

/** The events that end a release (a notification or diagnostics may still follow them). */
export const TERMINAL_EVENTS: ReadonlySet<string> = new Set([
  EventType.succeeded,
  EventType.rolledBack,
  EventType.failed,
]);

/** What a gate found: the numbers behind a verdict, shown by `status` and kept in the audit log. */
export interface Evidence {
  verdict: 'pass' | 'fail' | 'inconclusive';
  summary: string;
  [detail: string]: unknown;
}

/** The payload fields events use; each event type sets some of them. */
export interface EventPayload {
  step?: string;
  waiting?: 'approval' | 'promotion';
  evidence?: Evidence;
  result?: Record<string, unknown>;
  reason?: string;
  environment?: string;
  key?: string;
  [detail: string]: unknown;
}
