/**
 * bench/store — the audit log's costs on SQLite and on a real PostgreSQL (created here with initdb), each
 * against a baseline measured in the same run:
 *
 * - appends/s of hash-chained events (a transaction each: read the last link, hash, insert) ÷ plain
 *   single-row inserts of the same rows into the same database;
 * - `slipway status` of a release while it runs (fold of its log + the API's view), read over and over as
 *   its log grows to 1 000 events, ÷ reading the raw events alone;
 * - DORA metrics over 10 000 releases of history ÷ reading that history alone.
 *
 *   npm run bench:store
 *
 * Last line: store: sqlite_appends_per_s=X postgres_appends_per_s=Y status_ms_at_1000_events=Z dora_10k_ms=W
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { doraFromStore } from '../src/dora/from-store.js';
import { foldEvents } from '../src/engine/state.js';
import { serializeView } from '../src/server/views.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { EventType } from '../src/engine/events.js';
import type { NewEvent, Store } from '../src/store/store.js';
import type { Plan } from '../src/plan/types.js';
import { startPostgres } from '../test/store/postgres-harness.js';

const APPENDS = Number(process.env['BENCH_APPENDS'] ?? 3000);
const HISTORY = Number(process.env['BENCH_HISTORY'] ?? 10_000);

const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const record = (id: string, plan: object = {}, createdAt = new Date().toISOString()) => ({
  id,
  platform: 'bench',
  kind: 'release' as const,
  createdAt,
  createdBy: 'bench',
  request: { changes: [{ service: 'web', version: 'v2' }] },
  plan: plan as Record<string, unknown>,
  status: 'running',
});
const payload = (i: number) => ({
  step: `production/east/web/${String(i).padStart(2, '0')}-weights`,
  kind: 'set-weights',
});

async function appendsPerSecond(store: Store, id: string): Promise<number> {
  await store.createRelease(record(id));
  const t0 = now();
  for (let i = 0; i < APPENDS; i++)
    await store.append(id, { type: 'step-completed', payload: payload(i), actor: 'engine' });
  return APPENDS / ((now() - t0) / 1000);
}

/** The baseline: the same rows inserted one by one, no chain, no transaction of our own. */
async function rawInsertsPerSecond(insert: (i: number) => Promise<void> | void): Promise<number> {
  const t0 = now();
  for (let i = 0; i < APPENDS; i++) await insert(i);
  return APPENDS / ((now() - t0) / 1000);
}

const row = (i: number) => [
  'raw',
  i + 1,
  'step-completed',
  JSON.stringify(payload(i)),
  'engine',
  new Date().toISOString(),
  'x'.repeat(64),
  'y'.repeat(64),
];

/** A plan of 500 steps (a canary of many weights), so a status has as much to show as its log. */
function bigPlan(): Plan {
  const steps = Array.from({ length: 500 }, (_, i) => ({
    id: `production/east/web/${String(i).padStart(3, '0')}-weights`,
    title: `traffic stable ${100 - (i % 100)}%`,
    kind: 'set-weights' as const,
    environment: 'production',
    cluster: 'east',
    service: 'web',
    weights: { stable: 100 - (i % 100), canary: i % 100 },
  }));
  return {
    platform: 'bench',
    request: { changes: [{ service: 'web', version: 'v2' }] },
    stages: [],
    steps,
    touches: [
      {
        environment: 'production',
        cluster: 'east',
        service: 'web',
        from: 'v1',
        to: 'v2',
        replicas: 4,
        strategy: 'canary',
      },
    ],
  };
}

/** Status reads while the release's log grows to 1 000 events; and raw event reads, the baseline. */
async function statusWhileRunning(store: Store): Promise<{ statusMs: number; rawMs: number }> {
  const plan = bigPlan();
  await store.createRelease(record('running', plan));
  let appended = 0;
  const writer = (async () => {
    for (let i = 0; i < 1000; i++) {
      const step = plan.steps[(i >> 1) % plan.steps.length]!;
      await store.append('running', {
        ...(i % 2
          ? { type: EventType.stepCompleted, payload: { step: step.id } }
          : { type: EventType.stepStarted, payload: { step: step.id, kind: step.kind, title: step.title } }),
        actor: 'engine',
      });
      appended++;
    }
  })();
  const status: number[] = [];
  const raw: number[] = [];
  while (appended < 1000 || status.length < 50) {
    const t0 = now();
    const release = (await store.release('running'))!;
    const view = serializeView({ release, plan, state: foldEvents(await store.events('running')) });
    if (view.id !== 'running') throw new Error('bench: wrong release');
    const t1 = now();
    await store.events('running');
    const t2 = now();
    if (appended >= 900) {
      status.push(t1 - t0);
      raw.push(t2 - t1);
    }
    await new Promise((r) => setImmediate(r));
  }
  await writer;
  return { statusMs: median(status), rawMs: median(raw) };
}

/** 10 000 releases of history, each a deployment of one of 20 services over 90 days, 10 % rolled back. */
async function history(store: SqliteStore): Promise<void> {
  const start = Date.now() - 90 * 24 * 3_600_000;
  for (let i = 0; i < HISTORY; i++) {
    const service = `svc-${i % 20}`;
    const id = `h${String(i).padStart(6, '0')}`;
    const plan = {
      touches: [
        {
          environment: 'production',
          cluster: 'east',
          service,
          to: `v${i}`,
          replicas: 2,
          strategy: 'rolling',
        },
      ],
    };
    await store.createRelease(
      record(id, plan, new Date(start + (i * 90 * 24 * 3_600_000) / HISTORY).toISOString()),
    );
    const rolledBack = i % 10 === 9;
    const step = (n: string) => `production/east/${service}/${n}`;
    const events: Omit<NewEvent, 'actor'>[] = [
      { type: EventType.created, payload: { kind: 'release', changes: [{ service, version: `v${i}` }] } },
      {
        type: EventType.stepStarted,
        payload: { step: step('01-ensure'), kind: 'ensure-replicas', title: 'ensure' },
      },
      ...(rolledBack
        ? [
            {
              type: EventType.gateFailed,
              payload: { step: step('02-check'), reason: 'check failed' },
            } as const,
          ]
        : []),
      rolledBack
        ? { type: EventType.rolledBack, payload: { reason: 'check failed' } }
        : { type: EventType.succeeded, payload: {} },
    ];
    for (const e of events)
      await store.append(id, { ...e, actor: 'engine' } as NewEvent, { status: 'succeeded' });
  }
}

// SQLite.
const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-store-'));
const sqlite = new SqliteStore(join(dir, 'state.db'));
const sqliteAppends = await appendsPerSecond(sqlite, 'appends');
const rawDb = new BetterSqlite3(join(dir, 'raw.db'));
rawDb.exec(
  'CREATE TABLE release_events (release_id TEXT, seq INTEGER, type TEXT, payload TEXT, actor TEXT, time TEXT, prev_hash TEXT, hash TEXT, PRIMARY KEY (release_id, seq))',
);
rawDb.pragma('journal_mode = WAL');
rawDb.pragma('synchronous = NORMAL');
const insert = rawDb.prepare('INSERT INTO release_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const sqliteRaw = await rawInsertsPerSecond((i) => void insert.run(...row(i)));
rawDb.close();
console.log(
  `sqlite: ${sqliteAppends.toFixed(0)} appends/s, ${sqliteRaw.toFixed(0)} plain inserts/s (ratio ${(sqliteAppends / sqliteRaw).toFixed(2)})`,
);
const { statusMs, rawMs } = await statusWhileRunning(sqlite);
console.log(
  `status of a running release at 1000 events: ${statusMs.toFixed(2)} ms median, raw event read ${rawMs.toFixed(2)} ms (ratio ${(statusMs / rawMs).toFixed(2)})`,
);

// DORA over 10 000 releases, against reading the same history.
const historyStore = new SqliteStore(join(dir, 'history.db'));
await history(historyStore);
const t0 = now();
const report = await doraFromStore(historyStore, Date.now() - 90 * 24 * 3_600_000, Date.now());
const doraMs = now() - t0;
const t1 = now();
for (const r of await historyStore.releases(1_000_000)) await historyStore.events(r.id);
const readMs = now() - t1;
const production = report.byEnvironment[0]!;
console.log(
  `dora over ${HISTORY} releases: ${doraMs.toFixed(0)} ms (reading the history alone ${readMs.toFixed(0)} ms, ratio ${(doraMs / readMs).toFixed(2)}); change failure rate ${((production.changeFailureRate ?? 0) * 100).toFixed(1)}% (${production.changeFailure})`,
);
await historyStore.close();
await sqlite.close();

// PostgreSQL: the same appends over a real server on loopback.
const postgres = await startPostgres();
let postgresAppends = 0;
try {
  const url = await postgres.freshDatabase();
  const store = new PostgresStore(url);
  postgresAppends = await appendsPerSecond(store, 'appends');
  await store.close();
  const rawUrl = await postgres.freshDatabase();
  const client = new pg.Client({ connectionString: rawUrl });
  await client.connect();
  await client.query(
    'CREATE TABLE release_events (release_id text, seq integer, type text, payload text, actor text, time text, prev_hash text, hash text, PRIMARY KEY (release_id, seq))',
  );
  const postgresRaw = await rawInsertsPerSecond(async (i) => {
    await client.query('INSERT INTO release_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', row(i));
  });
  await client.end();
  console.log(
    `postgres: ${postgresAppends.toFixed(0)} appends/s, ${postgresRaw.toFixed(0)} plain inserts/s (ratio ${(postgresAppends / postgresRaw).toFixed(2)})`,
  );
} finally {
  await postgres.stop();
}

console.log(
  `store: sqlite_appends_per_s=${sqliteAppends.toFixed(0)} postgres_appends_per_s=${postgresAppends.toFixed(0)} status_ms_at_1000_events=${statusMs.toFixed(2)} dora_10k_ms=${doraMs.toFixed(0)}`,
);
