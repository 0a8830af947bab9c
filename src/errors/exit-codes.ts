/** @module From an error's category to the CLI exit code (see DESIGN.md), and to the API's HTTP status. */
import { httpStatusOf, isErrorCode, STATUS_BY_CATEGORY } from './codes.js';
import type { ErrorCategory } from './slipway-error.js';

export const ExitCode = {
  ok: 0,
  /** A release failed or was rolled back. */
  releaseFailed: 1,
  /** `lint` found errors, `netpol` found dropped calls. */
  findings: 1,
  /** The user's input was wrong: bad spec, bad flag, unknown name. */
  userError: 2,
  /** Something outside Slipway failed: a cluster, a database, Prometheus. */
  infrastructure: 3,
  /** A bug in Slipway. */
  internal: 4,
} as const;

export function exitCodeFor(category: ErrorCategory): number {
  switch (category) {
    case 'user':
      return ExitCode.userError;
    case 'release':
      return ExitCode.releaseFailed;
    case 'infrastructure':
      return ExitCode.infrastructure;
    case 'internal':
      return ExitCode.internal;
  }
}

/** The HTTP status an error maps to in the controller's API: its code's, from the table (errors/codes.ts). */
export function errorHttpStatus(error: { code: string; category: ErrorCategory }): number {
  if (isErrorCode(error.code)) return httpStatusOf(error.code);
  return STATUS_BY_CATEGORY[error.category];
}
