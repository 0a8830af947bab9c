/** @module The store as the controller uses it, with every appended event also counted in its metrics. */
import type {
  AppendOptions,
  DesiredState,
  NewEvent,
  ReleaseRecord,
  Store,
  StoredEvent,
} from '../store/store.js';
import type { ControllerMetrics } from './controller-metrics.js';

export class InstrumentedStore implements Store {
  constructor(
    private readonly store: Store,
    private readonly metrics: ControllerMetrics,
  ) {}

  async append(releaseId: string, event: NewEvent, options?: AppendOptions): Promise<StoredEvent> {
    const stored = await this.store.append(releaseId, event, options);
    this.metrics.observe(stored);
    return stored;
  }

  createRelease(release: Omit<ReleaseRecord, 'updatedAt'>): Promise<void> {
    return this.store.createRelease(release);
  }
  release(id: string): Promise<ReleaseRecord | undefined> {
    return this.store.release(id);
  }
  releases(limit?: number): Promise<ReleaseRecord[]> {
    return this.store.releases(limit);
  }
  events(releaseId: string, afterSeq?: number): Promise<StoredEvent[]> {
    return this.store.events(releaseId, afterSeq);
  }
  verifyChain(releaseId: string): Promise<number | undefined> {
    return this.store.verifyChain(releaseId);
  }
  acquireLease(releaseId: string, owner: string, ttlMs: number): Promise<number | undefined> {
    return this.store.acquireLease(releaseId, owner, ttlMs);
  }
  releaseLease(releaseId: string, owner: string): Promise<void> {
    return this.store.releaseLease(releaseId, owner);
  }
  desiredState(cluster?: string): Promise<DesiredState[]> {
    return this.store.desiredState(cluster);
  }
  close(): Promise<void> {
    return this.store.close();
  }
}
