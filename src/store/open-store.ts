/** @module Which database the controller keeps its history in: PostgreSQL when SLIPWAY_DATABASE_URL says so, else SQLite. */
import { join } from 'node:path';
import { SlipwayError } from '../errors/index.js';
import { PostgresStore, redactUrl } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export function openStore(
  stateDir: string,
  options: { database?: string; env?: NodeJS.ProcessEnv } = {},
): Store {
  const url = (options.env ?? process.env)['SLIPWAY_DATABASE_URL'];
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new SlipwayError(
        'STORE_BAD_URL',
        `SLIPWAY_DATABASE_URL is not a PostgreSQL URL: ${redactUrl(url)}`,
        {
          hint: 'postgres://user:password@host:5432/database, or unset it for SQLite in the state directory',
        },
      );
    return new PostgresStore(url);
  }
  return new SqliteStore(options.database ?? join(stateDir, 'state.db'));
}
