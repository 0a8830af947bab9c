/** @module Tamper evidence: each event's hash covers its content and the previous event's hash. */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(
  prevHash: string,
  event: { releaseId: string; seq: number; type: string; payload: unknown; actor: string; time: string },
): string {
  const body = canonicalJson({
    releaseId: event.releaseId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actor: event.actor,
    time: event.time,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
