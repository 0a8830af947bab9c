import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SlipwayError } from '../../errors/index.js';
import { SqliteStore } from './sqlite-store.js';

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

describe('SqliteStore', () => {
  it('appends hash-chained events and detects tampering', async () => {
    const file = dbFile();
    const store = new SqliteStore(file);
    await store.createRelease(release('r1'));
    for (let i = 0; i < 5; i++) await store.append('r1', { type: 'step', payload: { i }, actor: 'engine' });
    assert.equal((await store.events('r1')).length, 5);
    assert.equal(await store.verifyChain('r1'), undefined);
    await store.close();
    const raw = new BetterSqlite3(file);
    raw.prepare('UPDATE release_events SET payload = \'{"i":99}\' WHERE seq = 3').run();
    raw.close();
    const reopened = new SqliteStore(file);
    assert.equal(await reopened.verifyChain('r1'), 3);
    await reopened.close();
  });

  it('refuses an append that lost a race (expected sequence)', async () => {
    const store = new SqliteStore(dbFile());
    await store.createRelease(release('r1'));
    await store.append('r1', { type: 'a', payload: {}, actor: 'x' }, { expectedSeq: 0 });
    await assert.rejects(
      store.append('r1', { type: 'b', payload: {}, actor: 'x' }, { expectedSeq: 0 }),
      /STORE_CONFLICT|moved on/,
    );
    await store.close();
  });

  it('gives one owner the lease until it expires', async () => {
    const store = new SqliteStore(dbFile());
    assert.equal(await store.acquireLease('r1', 'a', 60_000), true);
    assert.equal(await store.acquireLease('r1', 'b', 60_000), false);
    assert.equal(await store.acquireLease('r1', 'a', 60_000), true);
    await store.releaseLease('r1', 'a');
    assert.equal(await store.acquireLease('r1', 'b', 1), true);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await store.acquireLease('r1', 'a', 60_000), true, 'an expired lease can be taken');
    await store.close();
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
