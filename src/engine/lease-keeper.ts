/**
 * @module A runner's hold on its release: the lease taken, renewed every third of its time, and given up as
 * lost — by the runner itself, before the lease can lapse, when it cannot renew it (self-fencing), or when
 * a renewal finds another generation (another controller has it). The fence it holds goes with every write.
 * Time is the clock port's, as the store's lease expiry is.
 */
import type { Store } from '../store/store.js';
import { type Clock, systemClock } from '../time/clock.js';

export class LeaseKeeper {
  lost = false;
  fence: { owner: string; generation: number } | undefined;
  private stopped = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly releaseId: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    /** Called once, when the lease is lost: the runner stops acting. */
    private readonly onLost: (why: string) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Takes the lease and keeps it; false when another controller holds it. */
  async acquire(): Promise<boolean> {
    const generation = await this.store.acquireLease(this.releaseId, this.owner, this.ttlMs);
    if (generation === undefined) return false;
    this.fence = { owner: this.owner, generation };
    this.stopped = new AbortController();
    void this.keep(generation);
    return true;
  }

  /** Renews every third of the TTL; looks every tenth whether the last renewal is too old to go on. */
  private async keep(generation: number): Promise<void> {
    let renewedAt = this.clock.now();
    let triedAt = renewedAt;
    const signal = this.stopped.signal;
    while (!signal.aborted && !this.lost) {
      await this.clock.sleep(this.ttlMs / 10, signal);
      if (signal.aborted) return;
      if (this.clock.now() - triedAt >= this.ttlMs / 3) {
        triedAt = this.clock.now();
        void this.store.acquireLease(this.releaseId, this.owner, this.ttlMs).then(
          (now) =>
            now === generation ? (renewedAt = this.clock.now()) : this.lose('another controller took it'),
          () => undefined, // the database is out of reach: the deadline below stops us in time
        );
      }
      if (this.clock.now() - renewedAt > this.ttlMs * 0.7) this.lose('the lease could not be renewed');
    }
  }

  lose(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.onLost(why);
  }

  /** Stops renewing; gives the lease up unless it was lost (then it is not ours to give). */
  async release(): Promise<void> {
    this.stopped.abort();
    if (this.fence && !this.lost)
      await this.store.releaseLease(this.releaseId, this.owner).catch(() => undefined);
  }
}
