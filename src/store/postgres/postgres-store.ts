/**
 * @module The Store on PostgreSQL (`SLIPWAY_DATABASE_URL=postgres://…`), for a controller that must outlive
 * its machine: the shared Kysely store over a connection pool. Migrations run once, under an advisory lock,
 * when the first call comes; concurrent appends to one release wait on its row (`SELECT … FOR UPDATE`) and
 * hold its lease's row while they check their fence.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { SlipwayError } from '../../errors/index.js';
import { type Database, migrationsFrom, SCHEMA_VERSION } from '../database.js';
import { KyselyStore } from '../kysely-store.js';

/** Any number: two controllers migrating at once take turns on it. */
const MIGRATION_LOCK = 744_7001;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

async function migrate(db: Kysely<Database>, url: string): Promise<void> {
  try {
    await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      await sql`CREATE TABLE IF NOT EXISTS slipway_schema (version integer NOT NULL)`.execute(tx);
      const rows = (await sql<{ version: number }>`SELECT version FROM slipway_schema`.execute(tx)).rows;
      const version = rows[0]?.version ?? 0;
      if (version > SCHEMA_VERSION)
        throw new SlipwayError(
          'STORE_NEWER_SCHEMA',
          `the database at ${redactUrl(url)} has schema version ${version}, newer than this Slipway understands (${SCHEMA_VERSION})`,
          { hint: 'upgrade Slipway; the database was left untouched' },
        );
      for (const { statements } of migrationsFrom(tx, version))
        for (const statement of statements) await tx.executeQuery(statement);
      if (rows.length === 0) await sql`INSERT INTO slipway_schema VALUES (${SCHEMA_VERSION})`.execute(tx);
      else await sql`UPDATE slipway_schema SET version = ${SCHEMA_VERSION}`.execute(tx);
    });
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    throw new SlipwayError(
      'STORE_UNREACHABLE',
      `cannot use the PostgreSQL database at ${redactUrl(url)}: ${(error as Error).message}`,
      {
        hint: 'check SLIPWAY_DATABASE_URL (postgres://user:password@host:5432/db) and that the server accepts connections',
        cause: error,
      },
    );
  }
}

export class PostgresStore extends KyselyStore {
  constructor(readonly url: string) {
    const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 5_000 });
    // A connection dropped by the server or the network, idle or in use: the query on it fails and says so
    // (pg also emits the error on the client, which would otherwise end the process).
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    super(db, { ready: migrate(db, url), rowLocks: true });
  }
}
