/** @module One table from an error's category to the CLI exit code (see DESIGN.md). */
import type { ErrorCategory } from './slipway-error.js';

export const ExitCode = {
  ok: 0,
  /** A release failed or was rolled back. */
  releaseFailed: 1,
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
