/** @module How an error looks in a terminal and in JSON. */
import type { SlipwayError, SourceLocation } from '../errors/index.js';

const place = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;

/** `FILE:LINE:COL: error CODE: message (at services.api.replicas)`, then hint and related places. */
export function formatError(error: SlipwayError, debug = false): string {
  const where = error.location ? `${place(error.location)}: ` : '';
  const at = error.location?.path ? ` (at ${error.location.path})` : '';
  const lines = [`${where}error ${error.code}: ${error.message}${at}`];
  for (const r of error.related)
    lines.push(`${place(r)}: note: ${r.message}${r.path ? ` (at ${r.path})` : ''}`);
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  if (debug && error.stack) lines.push(error.stack);
  if (debug && error.cause instanceof Error && error.cause.stack)
    lines.push(`caused by: ${error.cause.stack}`);
  return lines.join('\n');
}
