/**
 * The PostgreSQL store against a real PostgreSQL (a cluster this test creates with initdb): the same Store
 * contract SQLite runs, migrations under concurrency, a newer schema and an unreachable server refused
 * clearly, and a release on the local target whose whole history lives in PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { SlipwayError } from '../../src/errors/index.js';
import { SCHEMA_VERSION } from '../../src/store/database.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { type RunningPostgres, startPostgres } from './postgres-harness.js';
import { storeContract } from './store-contract.js';

let server: Promise<RunningPostgres> | undefined;
const postgres = () => (server ??= startPostgres());
after(async () => {
  if (server) await (await server).stop();
});

async function sqlOn(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

storeContract('PostgreSQL', {
  open: async () => new PostgresStore(await (await postgres()).freshDatabase()),
  reopen: async (store) => {
    await store.close();
    return new PostgresStore((store as PostgresStore).url);
  },
  tamper: async (store, releaseId, seq, payload) => {
    await sqlOn(
      (store as PostgresStore).url,
      'UPDATE release_events SET payload = $1 WHERE release_id = $2 AND seq = $3',
      [payload, releaseId, seq],
    );
  },
});

describe('PostgresStore', { timeout: 180_000 }, () => {
  it('migrates once when two controllers open a new database at the same moment', async () => {
    const url = await (await postgres()).freshDatabase();
    const stores = [new PostgresStore(url), new PostgresStore(url)];
    await Promise.all(stores.map((s) => s.desiredState()));
    assert.deepEqual(await sqlOn(url, 'SELECT version FROM slipway_schema'), [{ version: SCHEMA_VERSION }]);
    for (const s of stores) await s.close();
  });

  it('refuses a database from a newer Slipway and leaves it untouched', async () => {
    const url = await (await postgres()).freshDatabase();
    await sqlOn(url, 'CREATE TABLE slipway_schema (version integer NOT NULL)');
    await sqlOn(url, 'INSERT INTO slipway_schema VALUES (99)');
    const store = new PostgresStore(url);
    await assert.rejects(
      store.releases(),
      (e: unknown) =>
        e instanceof SlipwayError && e.code === 'STORE_NEWER_SCHEMA' && /schema version 99/.test(e.message),
    );
    await store.close();
    assert.deepEqual(await sqlOn(url, 'SELECT version FROM slipway_schema'), [{ version: 99 }]);
    assert.deepEqual(await sqlOn(url, "SELECT to_regclass('releases') AS t"), [{ t: null }]);
  });

  it('reports an unreachable server clearly, without the password', async () => {
    const store = new PostgresStore(`postgres://slipway:s3cret@127.0.0.1:${await freePort()}/slipway`);
    await assert.rejects(store.releases(), (e: unknown) => {
      assert.ok(e instanceof SlipwayError && e.code === 'STORE_UNREACHABLE', String(e));
      assert.match(
        e.message,
        /cannot use the PostgreSQL database at postgres:\/\/slipway:\*\*\*@127\.0\.0\.1:\d+\/slipway: .*ECONNREFUSED/,
      );
      assert.doesNotMatch(e.message, /s3cret/);
      return true;
    });
    await store.close();
  });

  it('keeps a release on the local target in PostgreSQL when SLIPWAY_DATABASE_URL says so', async () => {
    const url = await (await postgres()).freshDatabase();
    await using h = await startRuntime(BASE_SPEC(), { SLIPWAY_DATABASE_URL: url });
    assert.ok(h.runtime.store instanceof PostgresStore);
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'pg')).release.id,
    );
    assert.equal(view.state.status, 'succeeded', h.lines.join('\n'));
    const [row] = await sqlOn(url, 'SELECT count(*)::int AS n FROM release_events WHERE release_id = $1', [
      view.release.id,
    ]);
    assert.ok((row!['n'] as number) > 10, 'every event is in PostgreSQL');
    assert.equal(await h.runtime.store.verifyChain(view.release.id), undefined);
    assert.equal((await sqlOn(url, 'SELECT count(*)::int AS n FROM desired_state'))[0]!['n'], 3);
  });
});
