/** @module The Store port: the durable, hash-chained event log of releases, leases, and desired state. */
import type { ReleaseEvent } from '../engine/events.js';
import type { HeaderValue } from '../targets/header-match.js';
import type { TrafficGroup } from '../targets/target.js';

/** An event to append: one of the release event types with its payload (engine/events.ts). */
export type NewEvent = ReleaseEvent;

/** An event in the log: where it is in the chain, and when. */
export type StoredEvent = ReleaseEvent & {
  releaseId: string;
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
};

export interface ReleaseRecord {
  id: string;
  platform: string;
  kind: 'release' | 'rollback';
  createdAt: string;
  createdBy: string;
  request: Record<string, unknown>;
  plan: Record<string, unknown>;
  status: string;
  updatedAt: string;
}

/** What should run for one service on one cluster; the local target is rebuilt from it after a crash. */
export interface DesiredState {
  cluster: string;
  service: string;
  groups: Partial<Record<TrafficGroup, { version: string; replicas: number }>>;
  weights: Partial<Record<TrafficGroup, number>>;
  matches?: { headers: Record<string, HeaderValue>; group: TrafficGroup }[];
}

export interface AppendOptions {
  /** Fails with STORE_CONFLICT unless the release's last event has this sequence number. */
  expectedSeq?: number;
  /** Written in the same transaction as the event. */
  desired?: DesiredState[];
  /** The release's listed status, updated in the same transaction. */
  status?: string;
  /**
   * Written only while this owner still holds the lease at this generation (else STORE_FENCED): a controller
   * that lost its release — paused, partitioned, superseded — cannot write into it any more.
   */
  fence?: { owner: string; generation: number };
}

export interface Store {
  createRelease(release: Omit<ReleaseRecord, 'updatedAt'>): Promise<void>;
  release(id: string): Promise<ReleaseRecord | undefined>;
  releases(limit?: number): Promise<ReleaseRecord[]>;
  append(releaseId: string, event: NewEvent, options?: AppendOptions): Promise<StoredEvent>;
  events(releaseId: string, afterSeq?: number): Promise<StoredEvent[]>;
  /** Recomputes the hash chain; returns the first bad sequence number, or undefined when intact. */
  verifyChain(releaseId: string): Promise<number | undefined>;
  /**
   * Takes or renews the lease on a release: its generation (the same while its owner renews it in time, a
   * new one whenever it changes hands or lapses), or undefined when another owner holds an unexpired one.
   */
  acquireLease(releaseId: string, owner: string, ttlMs: number): Promise<number | undefined>;
  releaseLease(releaseId: string, owner: string): Promise<void>;
  desiredState(cluster?: string): Promise<DesiredState[]>;
  close(): Promise<void>;
}
