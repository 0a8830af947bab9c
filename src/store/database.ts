/**
 * @module The store's tables, and their migrations written once for SQLite and PostgreSQL: Kysely's schema
 * builder compiles each for its database. A migration is appended, never edited (databases in use ran it).
 */
import type { CompiledQuery, Kysely } from 'kysely';

export const SCHEMA_VERSION = 2;

export interface Database {
  releases: {
    id: string;
    platform: string;
    kind: string;
    created_at: string;
    created_by: string;
    request: string;
    plan: string;
    status: string;
    updated_at: string;
  };
  release_events: {
    release_id: string;
    seq: number;
    type: string;
    payload: string;
    actor: string;
    time: string;
    prev_hash: string;
    hash: string;
  };
  /** bigint columns come back from PostgreSQL as strings: read them through Number(). */
  leases: { release_id: string; owner: string; expires_at: number | string; generation: number | string };
  desired_state: { cluster: string; service: string; state: string; updated_at: string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema builder before the tables exist
type AnyDb = Kysely<any>;

const MIGRATIONS: Record<number, (db: AnyDb) => CompiledQuery[]> = {
  1: (db) => [
    db.schema
      .createTable('releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .compile(),
    db.schema
      .createTable('release_events')
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      // JSON as text, byte for byte: the hash chain is over exactly what was written.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('release_events_pk', ['release_id', 'seq'])
      .compile(),
    db.schema
      .createTable('leases')
      .addColumn('release_id', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      // Milliseconds since the epoch: 64 bits (SQLite's INTEGER is; PostgreSQL's integer is not).
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .compile(),
    db.schema
      .createTable('desired_state')
      .addColumn('cluster', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('desired_state_pk', ['cluster', 'service'])
      .compile(),
  ],
  // Fencing: the generation changes whenever the lease changes hands, and every append names the one it holds.
  2: (db) => [
    db.schema
      .alterTable('leases')
      .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
      .compile(),
  ],
};

/** The statements that take a database from `from` to SCHEMA_VERSION, compiled for `db`'s dialect. */
export function migrationsFrom(db: AnyDb, from: number): { version: number; statements: CompiledQuery[] }[] {
  const out = [];
  for (let v = from + 1; v <= SCHEMA_VERSION; v++) out.push({ version: v, statements: MIGRATIONS[v]!(db) });
  return out;
}
