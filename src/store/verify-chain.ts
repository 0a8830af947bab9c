/**
 * @module Where a release's hash chain breaks, and why — over the store's events or an exported file alike:
 * a missing or repeated sequence number, a link to the wrong previous hash, or content changed after it was
 * written (its hash no longer matches).
 */
import { eventHash, GENESIS_HASH } from './hash-chain.js';
import type { StoredEvent } from './store.js';

export interface BrokenLink {
  seq: number;
  type: string;
  time: string;
  reason: string;
}

export function firstBrokenLink(events: readonly StoredEvent[]): BrokenLink | undefined {
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const e of events) {
    const at = (reason: string) => ({ seq: e.seq, type: e.type, time: e.time, reason });
    if (e.seq !== expected)
      return at(
        e.seq > expected ? `events ${expected}–${e.seq - 1} are missing` : `event ${e.seq} appears twice`,
      );
    if (e.prevHash !== prev)
      return at(
        expected === 1 ? 'the first event does not start the chain' : `it does not follow event ${e.seq - 1}`,
      );
    if (eventHash(prev, e) !== e.hash)
      return at('its content does not match its hash: changed after it was written');
    prev = e.hash;
    expected++;
  }
  return undefined;
}
