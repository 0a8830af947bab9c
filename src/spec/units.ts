/** @module Parsing of the spec's units: durations, percentages, CPU and memory quantities. */

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const DURATION_WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const DURATION_PATTERN = DURATION_WHOLE.source;

/** `"1h30m"` → 5 400 000. Throws on a malformed duration (the schema rejects those first). */
export function parseDuration(text: string): number {
  if (!DURATION_WHOLE.test(text)) throw new RangeError(`not a duration: ${text}`);
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 0);
  }
  return total;
}

export const PERCENT_PATTERN = '^\\d+(?:\\.\\d+)?%$';

/** `"1%"` or `1` → 0.01. Numbers are read as percent, as the spec writes `cpu: 70`. */
export function parsePercent(value: string | number): number {
  if (typeof value === 'number') return value / 100;
  if (!new RegExp(PERCENT_PATTERN).test(value)) throw new RangeError(`not a percentage: ${value}`);
  return Number(value.slice(0, -1)) / 100;
}

export const CPU_PATTERN = '^\\d+(?:\\.\\d+)?m?$';

/** `"500m"` → 0.5 cores, `"2"` → 2. */
export function parseCpu(value: string | number): number {
  if (typeof value === 'number') return value;
  if (!new RegExp(CPU_PATTERN).test(value)) throw new RangeError(`not a CPU quantity: ${value}`);
  return value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

export const MEMORY_PATTERN = '^\\d+(?:\\.\\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$';
const MEMORY_FACTOR: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `"512Mi"` → 536 870 912 bytes. */
export function parseMemory(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(value);
  const factor = match ? MEMORY_FACTOR[match[2] ?? ''] : undefined;
  if (!match || factor === undefined) throw new RangeError(`not a memory quantity: ${value}`);
  return Number(match[1]) * factor;
}
