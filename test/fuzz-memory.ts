/** The fuzz suites' memory bound: the peak resident memory of the test's process (node --test runs one file a process). */
import assert from 'node:assert/strict';

/**
 * Fuzzed input that expands without bound (an alias bomb, a huge repeat) shows as a peak far above the base.
 * Measured here (2026-11-30): the spec, lint/netpol, API and versions suites peak at 166, 302, 304 and 398 MB,
 * tsx's compiler included; the bound leaves room for a busy machine's garbage collector, not for a blow-up.
 */
export const FUZZ_PEAK_MB = 640;

export function assertPeakMemoryBounded(limitMb = FUZZ_PEAK_MB): void {
  const peakMb = process.resourceUsage().maxRSS / 1024;
  assert.ok(peakMb < limitMb, `the process peaked at ${Math.round(peakMb)} MB (bound ${limitMb} MB)`);
}
