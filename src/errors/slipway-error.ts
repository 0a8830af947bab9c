/** @module The error taxonomy: every failure a user can meet carries a stable code (errors/codes.ts). */
import { ERROR_CODES, type ErrorCode } from './codes.js';

/** A position in a source file, 1-based as editors show it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** The spec path at this place, e.g. `services.api.replicas`. */
  path?: string;
}

/** A second place that explains an error (the other end of a reference, the first duplicate). */
export interface RelatedLocation extends SourceLocation {
  message: string;
}

/** What kind of failure this is; decides the CLI exit code and, later, the HTTP status. */
export type ErrorCategory = 'user' | 'release' | 'infrastructure' | 'internal';

export interface SlipwayErrorOptions {
  hint?: string;
  location?: SourceLocation;
  related?: RelatedLocation[];
  cause?: unknown;
}

/** Base of every error Slipway means to show to a person. */
export class SlipwayError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly related: RelatedLocation[];
  /** From the code's entry in the table: one code, one category, one exit code, one HTTP status. */
  readonly category: ErrorCategory;

  constructor(code: ErrorCode, message: string, options: SlipwayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.related = options.related ?? [];
    this.category = ERROR_CODES[code].category;
  }
}

/**
 * An error the controller's API answered with: its code and category as the server sent them (a newer
 * server may send a code this client's table does not have).
 */
export class RemoteError extends SlipwayError {
  override readonly code: string;
  override readonly category: ErrorCategory;

  constructor(code: string, category: ErrorCategory, message: string, hint?: string) {
    super('API_ERROR', message, hint ? { hint } : {});
    this.code = code;
    this.category = category;
  }
}

/** Turns anything thrown into a SlipwayError; unknown throws become internal errors. */
export function toSlipwayError(thrown: unknown): SlipwayError {
  if (thrown instanceof SlipwayError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new SlipwayError('INTERNAL', `internal error: ${message}`, {
    cause: thrown,
    hint: 'this is a bug in Slipway; run again with --debug and report the stack trace',
  });
}
