import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SlipwayError } from '../../src/errors/index.js';
import { SCHEMA_VERSION } from '../../src/store/database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { raw, storeContract } from './store-contract.js';

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
  it('migrates a database written by the first schema, keeping its history and leases', async () => {
    const file = dbFile();
    const raw = new BetterSqlite3(file);
    // Schema 1 as Slipway wrote it: leases without a generation.
    raw.exec(`CREATE TABLE releases (id TEXT PRIMARY KEY, platform TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL,
      created_by TEXT NOT NULL, request TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE release_events (release_id TEXT NOT NULL REFERENCES releases(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
      payload TEXT NOT NULL, actor TEXT NOT NULL, time TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
      PRIMARY KEY (release_id, seq));
      CREATE TABLE leases (release_id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE desired_state (cluster TEXT NOT NULL, service TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,
      PRIMARY KEY (cluster, service));
      INSERT INTO leases VALUES ('r0', 'old', ${Date.now() + 60_000});
      PRAGMA user_version = 1;`);
    raw.close();
    const store = new SqliteStore(file);
    assert.equal(await store.acquireLease('r0', 'new', 60_000), undefined, 'the old lease still holds');
    assert.equal(await store.acquireLease('r0', 'old', 60_000), 0, 'its owner renews it at generation 0');
    await store.close();
    const check = new BetterSqlite3(file);
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

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
    for (let i = 0; i < 200; i++) await store.append('r1', raw('step', { pad: 'x'.repeat(200) }, 'e'));
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
