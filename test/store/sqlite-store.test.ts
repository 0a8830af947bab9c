import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SlipwayError } from '../../src/errors/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'slipway-store-')), 'state.db');
const release = (id: string) => ({
  id,
  platform: 'demo',
  kind: 'release' as const,
  createdAt: new Date().toISOString(),
  createdBy: 'test',
  request: {},
  plan: {},
  status: 'pending',
});

storeContract('SQLite', {
  open: async () => new SqliteStore(dbFile()),
  reopen: async (store) => {
    await store.close();
    return new SqliteStore((store as SqliteStore).file);
  },
  tamper: async (store, releaseId, seq, payload) => {
    const raw = new BetterSqlite3((store as SqliteStore).file);
    raw
      .prepare('UPDATE release_events SET payload = ? WHERE release_id = ? AND seq = ?')
      .run(payload, releaseId, seq);
    raw.close();
  },
});

describe('SqliteStore', () => {
  it('reports a corrupt file clearly and leaves it untouched', () => {
    const file = dbFile();
    writeFileSync(file, 'this is not a database, it is a grocery list\n'.repeat(100));
    const before = readFileSync(file);
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_CORRUPT',
    );
    assert.deepEqual(readFileSync(file), before);
  });

  it('reports a damaged SQLite file clearly and leaves it untouched', async () => {
    const file = dbFile();
    const store = new SqliteStore(file);
    await store.createRelease(release('r1'));
    for (let i = 0; i < 200; i++)
      await store.append('r1', { type: 'step', payload: { pad: 'x'.repeat(200) }, actor: 'e' });
    await store.close();
    const bytes = readFileSync(file);
    // Keep the header, scramble the pages behind it.
    for (let i = 4096; i < bytes.length; i += 7) bytes[i] = (bytes[i]! + 91) % 256;
    writeFileSync(file, bytes);
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_CORRUPT',
    );
    assert.deepEqual(readFileSync(file), bytes);
  });

  it('refuses a database from a newer Slipway and leaves it untouched', () => {
    const file = dbFile();
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(file);
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_NEWER_SCHEMA',
    );
    assert.deepEqual(readFileSync(file), before);
  });
});
