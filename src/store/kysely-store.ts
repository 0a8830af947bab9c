/**
 * @module The Store over any SQL database Kysely speaks: SQLite and PostgreSQL share every query, so the
 * log, the hash chain and the leases behave the same on both. What differs — opening, migrating, and how
 * concurrent appends to one release are serialised — comes from the adapter.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Clock, systemClock } from '../time/clock.js';
import { SlipwayError } from '../errors/index.js';
import type { Database } from './database.js';
import { eventHash, GENESIS_HASH } from './hash-chain.js';
import { firstBrokenLink } from './verify-chain.js';
import type { AppendOptions, DesiredState, NewEvent, ReleaseRecord, Store, StoredEvent } from './store.js';

type EventRow = Database['release_events'];
type ReleaseRow = Database['releases'];

// The log holds only what append wrote (and its hash chain says when it was changed since).
const toEvent = (row: EventRow): StoredEvent =>
  ({
    releaseId: row.release_id,
    seq: Number(row.seq),
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    actor: row.actor,
    time: row.time,
    prevHash: row.prev_hash,
    hash: row.hash,
  }) as StoredEvent;

const toRelease = (row: ReleaseRow): ReleaseRecord => ({
  id: row.id,
  platform: row.platform,
  kind: row.kind as ReleaseRecord['kind'],
  createdAt: row.created_at,
  createdBy: row.created_by,
  request: JSON.parse(row.request) as Record<string, unknown>,
  plan: JSON.parse(row.plan) as Record<string, unknown>,
  status: row.status,
  updatedAt: row.updated_at,
});

export interface KyselyStoreOptions {
  /** Ready to serve (migrated); every call waits for it. */
  ready?: Promise<void>;
  /**
   * Row locks (PostgreSQL): an append holds its release's row, so two appends never pick the same seq, and
   * shares its lease's row, so the lease cannot change hands before the append commits. SQLite needs none:
   * it runs one write transaction at a time.
   */
  rowLocks?: boolean;
  /** What time events are stamped with and leases expire by (default the system's). */
  clock?: Clock;
}

/** The most an event's payload may take, as JSON. */
export const MAX_EVENT_PAYLOAD_BYTES = 256 * 1024;

export class KyselyStore implements Store {
  private readonly ready: Promise<void>;

  private readonly clock: Clock;

  constructor(
    protected readonly db: Kysely<Database>,
    private readonly options: KyselyStoreOptions = {},
  ) {
    this.ready = options.ready ?? Promise.resolve();
    this.clock = options.clock ?? systemClock;
    // Every call awaits it and reports its failure; this keeps an unused store from an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async createRelease(release: Omit<ReleaseRecord, 'updatedAt'>): Promise<void> {
    await this.ready;
    await this.db
      .insertInto('releases')
      .values({
        id: release.id,
        platform: release.platform,
        kind: release.kind,
        created_at: release.createdAt,
        created_by: release.createdBy,
        request: JSON.stringify(release.request),
        plan: JSON.stringify(release.plan),
        status: release.status,
        updated_at: release.createdAt,
      })
      .execute();
  }

  async release(id: string): Promise<ReleaseRecord | undefined> {
    await this.ready;
    const row = await this.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRelease(row) : undefined;
  }

  async releases(limit = 100): Promise<ReleaseRecord[]> {
    await this.ready;
    const rows = await this.db
      .selectFrom('releases')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRelease);
  }

  async append(releaseId: string, event: NewEvent, options: AppendOptions = {}): Promise<StoredEvent> {
    await this.ready;
    // Every source bounds what it puts in an event (API bodies, command output, analysis traces); this is the
    // last guard, so that no path can grow the audit log by megabytes an event.
    const bytes = Buffer.byteLength(JSON.stringify(event.payload));
    if (bytes > MAX_EVENT_PAYLOAD_BYTES)
      throw new SlipwayError(
        'STORE_EVENT_TOO_LARGE',
        `a ${event.type} event of ${bytes} bytes is over the ${MAX_EVENT_PAYLOAD_BYTES} an event may hold`,
      );
    return this.db.transaction().execute(async (tx) => {
      if (this.options.rowLocks)
        await tx.selectFrom('releases').select('id').where('id', '=', releaseId).forUpdate().execute();
      if (options.fence) await this.checkFence(tx, releaseId, options.fence);
      const last = await tx
        .selectFrom('release_events')
        .select(['seq', 'hash'])
        .where('release_id', '=', releaseId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const lastSeq = last ? Number(last.seq) : 0;
      if (options.expectedSeq !== undefined && options.expectedSeq !== lastSeq)
        throw new SlipwayError(
          'STORE_CONFLICT',
          `release ${releaseId} moved on (at ${lastSeq}, expected ${options.expectedSeq})`,
        );
      const seq = lastSeq + 1;
      const time = new Date(this.clock.now()).toISOString();
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = eventHash(prevHash, {
        releaseId,
        seq,
        type: event.type,
        payload: event.payload,
        actor: event.actor,
        time,
      });
      const row: EventRow = {
        release_id: releaseId,
        seq,
        type: event.type,
        payload: JSON.stringify(event.payload),
        actor: event.actor,
        time,
        prev_hash: prevHash,
        hash,
      };
      await tx.insertInto('release_events').values(row).execute();
      for (const desired of options.desired ?? []) {
        const state = JSON.stringify(desired);
        await tx
          .insertInto('desired_state')
          .values({ cluster: desired.cluster, service: desired.service, state, updated_at: time })
          .onConflict((oc) => oc.columns(['cluster', 'service']).doUpdateSet({ state, updated_at: time }))
          .execute();
      }
      if (options.status)
        await tx
          .updateTable('releases')
          .set({ status: options.status, updated_at: time })
          .where('id', '=', releaseId)
          .execute();
      return toEvent(row);
    });
  }

  private async checkFence(
    tx: Transaction<Database>,
    releaseId: string,
    fence: NonNullable<AppendOptions['fence']>,
  ): Promise<void> {
    const lease = await tx
      .selectFrom('leases')
      .selectAll()
      .where('release_id', '=', releaseId)
      .$if(this.options.rowLocks === true, (q) => q.forShare())
      .executeTakeFirst();
    const holds =
      lease?.owner === fence.owner &&
      Number(lease.generation) === fence.generation &&
      Number(lease.expires_at) > this.clock.now();
    if (!holds)
      throw new SlipwayError(
        'STORE_FENCED',
        `release ${releaseId} is no longer this controller's to write (lease generation ${fence.generation}${lease ? `; now ${lease.owner === fence.owner ? 'lapsed' : 'held by another'}, generation ${Number(lease.generation)}` : ''})`,
      );
  }

  async events(releaseId: string, afterSeq = 0): Promise<StoredEvent[]> {
    await this.ready;
    const rows = await this.db
      .selectFrom('release_events')
      .selectAll()
      .where('release_id', '=', releaseId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
    return rows.map(toEvent);
  }

  async verifyChain(releaseId: string): Promise<number | undefined> {
    return firstBrokenLink(await this.events(releaseId))?.seq;
  }

  /**
   * One statement, atomic on both databases: taken when free, lapsed or already ours; the generation moves
   * on unless its owner renews it in time.
   */
  async acquireLease(releaseId: string, owner: string, ttlMs: number): Promise<number | undefined> {
    await this.ready;
    const now = this.clock.now();
    const taken = await this.db
      .insertInto('leases')
      .values({ release_id: releaseId, owner, expires_at: now + ttlMs, generation: 1 })
      .onConflict((oc) =>
        oc
          .column('release_id')
          .doUpdateSet({
            owner,
            expires_at: now + ttlMs,
            generation: sql<number>`CASE WHEN leases.owner = ${owner} AND leases.expires_at > ${now} THEN leases.generation ELSE leases.generation + 1 END`,
          })
          .where((eb) => eb.or([eb('leases.owner', '=', owner), eb('leases.expires_at', '<=', now)])),
      )
      .returning('generation')
      .executeTakeFirst();
    return taken ? Number(taken.generation) : undefined;
  }

  /** Lapses the lease at once (the row stays: its generation must never start over). */
  async releaseLease(releaseId: string, owner: string): Promise<void> {
    await this.ready;
    await this.db
      .updateTable('leases')
      .set({ expires_at: 0 })
      .where('release_id', '=', releaseId)
      .where('owner', '=', owner)
      .execute();
  }

  async desiredState(cluster?: string): Promise<DesiredState[]> {
    await this.ready;
    let query = this.db.selectFrom('desired_state').select('state');
    if (cluster) query = query.where('cluster', '=', cluster);
    return (await query.orderBy('cluster').orderBy('service').execute()).map(
      (r) => JSON.parse(r.state) as DesiredState,
    );
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
