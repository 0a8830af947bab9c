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

/** What each event type carries: the one definition the engine, the state fold, the API, the CLI and the dashboard read. */
export interface EventPayloads {
  'release-created': { kind: 'release' | 'rollback'; changes: { service: string; version: string }[] };
  'step-started': { step: string; kind: string; title: string; waiting?: 'approval' | 'promotion' };
  'step-completed': { step: string; evidence?: Evidence; result?: Record<string, unknown> };
  'gate-failed': { step: string; reason: string; evidence?: Evidence };
  approved: { environment: string };
  'promote-requested': { step: string };
  'abort-requested': { reason: string };
  /** A notification recorded before it is sent (its key makes it once-only across restarts). */
  'notification-sent': { key: string; event: string };
  'rollback-started': { reason: string };
  'rollback-step-started': { step: string; kind: string; title: string };
  'rollback-step-completed': { step: string; evidence?: Evidence; result?: Record<string, unknown> };
  'release-succeeded': Record<string, never>;
  'release-rolled-back': { reason: string };
  'release-failed': { reason: string };
  'diagnostics-written': { path: string } | { error: string };
}

/** An event as it is appended: its type, the payload that type carries, and who caused it. */
export type ReleaseEvent = {
  [T in EventTypeName]: { type: T; payload: EventPayloads[T]; actor: string };
}[EventTypeName];

/** The step an event is about, for the event types that name one. */
export function stepOf(event: ReleaseEvent): string | undefined {
  return 'step' in event.payload ? event.payload.step : undefined;
}
