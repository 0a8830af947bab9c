/** @module The Store on SQLite (the default: `.slipway/state.db`, WAL): the shared Kysely store over a file. */
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database.js';
import { KyselyStore } from '../kysely-store.js';
import { openDatabase } from './open-database.js';
import type { Clock } from '../../time/clock.js';

export class SqliteStore extends KyselyStore {
  constructor(
    readonly file: string,
    options: { clock?: Clock } = {},
  ) {
    // One connection, and SQLite serialises write transactions: appends need no lock of their own.
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database: openDatabase(file) }) }), options);
  }
}
