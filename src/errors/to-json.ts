/** @module An error as JSON, for `--json` output and the controller's API. */
import type { SlipwayError } from './slipway-error.js';

export function errorToJson(error: SlipwayError): Record<string, unknown> {
  return {
    code: error.code,
    category: error.category,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.location ? { location: error.location } : {}),
    ...(error.related.length ? { related: error.related } : {}),
  };
}
