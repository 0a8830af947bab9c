/** @module Opens the SQLite file safely: a corrupt file or a newer schema is an error, never overwritten. */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SlipwayError } from '../../errors/index.js';
import { migrationsFrom, SCHEMA_VERSION } from '../database.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function corrupt(file: string, detail: string, cause?: unknown): SlipwayError {
  return new SlipwayError('STORE_CORRUPT', `${file} is not a usable Slipway database: ${detail}`, {
    hint: 'the file was left untouched; move it aside to start a new history, or restore it from a backup',
    cause,
  });
}

/** Opens (creating if absent) and migrates the database. */
export function openDatabase(file: string): BetterSqlite3.Database {
  if (file !== ':memory:' && existsSync(file) && statSync(file).size > 0) {
    const header = Buffer.alloc(16);
    const fd = openSync(file, 'r');
    readSync(fd, header, 0, 16, 0);
    closeSync(fd);
    if (header.toString('latin1') !== SQLITE_MAGIC) throw corrupt(file, 'it is not an SQLite file');
  }
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corrupt(file, `integrity check says: ${String(check)}`);
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    throw corrupt(file, (error as Error).message, error);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new SlipwayError(
      'STORE_NEWER_SCHEMA',
      `${file} has schema version ${version}, newer than this Slipway understands (${SCHEMA_VERSION})`,
      { hint: 'upgrade Slipway; the file was left untouched' },
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // The shared migrations compiled for SQLite (compiling touches no connection); PRAGMA user_version counts.
  const pending = migrationsFrom(new Kysely({ dialect: new SqliteDialect({ database: db }) }), version);
  const migrate = db.transaction(() => {
    for (const { version: v, statements } of pending) {
      for (const statement of statements) db.exec(statement.sql);
      db.pragma(`user_version = ${v}`);
    }
  });
  migrate();
  return db;
}
