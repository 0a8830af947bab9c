/**
 * @module A runner's hold on its release: the lease taken, renewed every third of its time, and given up as
 * lost — by the runner itself, before the lease can lapse, when it cannot renew it (self-fencing), or when
 * a renewal finds another generation (another controller has it). The fence it holds goes with every write.
 */
import type { Store } from '../store/store.js';

export class LeaseKeeper {
  lost = false;
  fence: { owner: string; generation: number } | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    private readonly releaseId: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    /** Called once, when the lease is lost: the runner stops acting. */
    private readonly onLost: (why: string) => void,
  ) {}

  /** Takes the lease and keeps it; false when another controller holds it. */
  async acquire(): Promise<boolean> {
    const generation = await this.store.acquireLease(this.releaseId, this.owner, this.ttlMs);
    if (generation === undefined) return false;
    this.fence = { owner: this.owner, generation };
    let renewedAt = Date.now();
    this.timers.push(
      setInterval(() => {
        void this.store.acquireLease(this.releaseId, this.owner, this.ttlMs).then(
          (now) => (now === generation ? (renewedAt = Date.now()) : this.lose('another controller took it')),
          () => undefined, // the database is out of reach: the deadline below stops us in time
        );
      }, this.ttlMs / 3),
      setInterval(() => {
        if (Date.now() - renewedAt > this.ttlMs * 0.7) this.lose('the lease could not be renewed');
      }, this.ttlMs / 10),
    );
    return true;
  }

  lose(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.onLost(why);
  }

  /** Stops renewing; gives the lease up unless it was lost (then it is not ours to give). */
  async release(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.fence && !this.lost)
      await this.store.releaseLease(this.releaseId, this.owner).catch(() => undefined);
  }
}
