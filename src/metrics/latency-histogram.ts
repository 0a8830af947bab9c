/**
 * @module A latency histogram with log-spaced buckets: any quantile within 1 % relative error, constant
 * memory, O(1) recording, and exact window deltas (subtract two snapshots).
 */

const MIN_SECONDS = 1e-6;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs … ~10 min. */
const BUCKETS = Math.ceil(Math.log(600 / MIN_SECONDS) / LOG_GROWTH) + 1;

export class LatencyHistogram {
  readonly counts: Float64Array;
  count = 0;
  sum = 0;

  constructor(counts?: Float64Array, count = 0, sum = 0) {
    this.counts = counts ?? new Float64Array(BUCKETS);
    this.count = count;
    this.sum = sum;
  }

  record(seconds: number): void {
    const index =
      seconds <= MIN_SECONDS
        ? 0
        : Math.min(BUCKETS - 1, Math.floor(Math.log(seconds / MIN_SECONDS) / LOG_GROWTH) + 1);
    this.counts[index]! += 1;
    this.count++;
    this.sum += seconds;
  }

  /** The q-quantile (0..1) in seconds, or NaN when empty. Reports the bucket's geometric middle. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === 0 ? MIN_SECONDS : MIN_SECONDS * GROWTH ** (i - 0.5);
    }
    return MIN_SECONDS * GROWTH ** (BUCKETS - 1);
  }

  snapshot(): LatencyHistogram {
    return new LatencyHistogram(new Float64Array(this.counts), this.count, this.sum);
  }

  /** What was recorded since `earlier` (a snapshot of this histogram). */
  since(earlier: LatencyHistogram): LatencyHistogram {
    const counts = new Float64Array(BUCKETS);
    for (let i = 0; i < BUCKETS; i++) counts[i] = this.counts[i]! - earlier.counts[i]!;
    return new LatencyHistogram(counts, this.count - earlier.count, this.sum - earlier.sum);
  }
}
