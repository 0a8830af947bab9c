/** @module One table from an error's category to the CLI exit code (see DESIGN.md). */
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

/** The HTTP status an error maps to in the controller's API. */
export function errorHttpStatus(error: { code: string; category: ErrorCategory }): number {
  if (error.code.endsWith('_NOT_FOUND')) return 404;
  if (error.code === 'API_BODY_TOO_LARGE') return 413;
  if (error.code === 'API_NOT_JSON') return 415;
  if (['API_BAD_HOST', 'API_CROSS_ORIGIN', 'API_FORBIDDEN', 'RELEASE_SELF_APPROVAL'].includes(error.code))
    return 403;
  if (['API_UNAUTHENTICATED', 'API_TOKEN_REVOKED', 'API_TOKEN_EXPIRED'].includes(error.code)) return 401;
  if (
    error.code === 'RELEASE_IN_PROGRESS' ||
    error.code === 'RELEASE_FINISHED' ||
    error.code === 'RELEASE_NOT_WAITING' ||
    error.code === 'RELEASE_ALREADY_APPROVED'
  )
    return 409;
  switch (error.category) {
    case 'user':
      return 400;
    case 'release':
      return 409;
    case 'infrastructure':
      return 503;
    case 'internal':
      return 500;
  }
}
