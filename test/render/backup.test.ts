/**
 * Scheduled backups (seed 002's "Backup & DR": daily PostgreSQL dumps, 30 days kept): render writes a
 * CronJob per `backup`, and the rendered job's own script, run here against a real PostgreSQL (a cluster the
 * test creates with initdb), leaves a dump that restores into an empty database and deletes the backups
 * older than the retention, keeping the newer ones.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type RunningPostgres, startPostgres } from '../store/postgres-harness.js';
import { find, renderExample } from './render-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Json[];
  } finally {
    await client.end();
  }
}

describe('scheduled backups', { timeout: 180_000 }, () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.stop();
  });

  it('renders a CronJob whose script dumps a real PostgreSQL, restores, and prunes past the retention', async () => {
    const objects = renderExample('medical-platform', ['production']);
    const job = find(objects, 'CronJob', 'postgresql-backup') as Json;
    assert.equal(job['spec']['schedule'], '0 2 * * *');
    assert.equal(job['spec']['concurrencyPolicy'], 'Forbid');
    const pod = job['spec']['jobTemplate']['spec']['template']['spec'];
    const container = pod['containers'][0];
    assert.equal(container['image'], 'postgres:14');
    const env = Object.fromEntries(
      (container['env'] as Json[]).map((e) => [e['name'], e['value'] ?? e['valueFrom']]),
    );
    assert.equal(env['SLIPWAY_SERVICE_HOST'], 'postgresql.medical-platform.svc.cluster.local');
    assert.equal(env['SLIPWAY_SERVICE_PORT'], '5432');
    assert.equal(env['BACKUP_DIR'], '/backups/postgres');
    assert.deepEqual(env['POSTGRES_PASSWORD'], {
      secretKeyRef: { name: 'database-credentials', key: 'password' },
    });
    assert.equal(pod['volumes'][0]['persistentVolumeClaim']['claimName'], 'postgresql-backup');
    assert.equal(
      (find(objects, 'PersistentVolumeClaim', 'postgresql-backup') as Json)['spec']['resources']['requests'][
        'storage'
      ],
      '200Gi',
    );
    // Under the namespace's default deny, the job may reach the database and the database may answer it.
    const egress = find(objects, 'NetworkPolicy', 'postgresql-backup') as Json;
    assert.deepEqual(egress['spec']['egress'][0]['ports'], [{ protocol: 'TCP', port: 5432 }]);
    const ingress = find(objects, 'NetworkPolicy', 'postgresql-from-backup') as Json;
    assert.deepEqual(ingress['spec']['ingress'][0]['from'][0]['podSelector']['matchLabels'], {
      'app.kubernetes.io/name': 'postgresql-backup',
      'app.kubernetes.io/component': 'backup',
    });
    const [, , script] = container['command'] as string[];

    // The database the script backs up, with rows to find again.
    const { port } = new URL(postgres.url);
    const source = await postgres.freshDatabase();
    const database = new URL(source).pathname.slice(1);
    await sql(source, 'CREATE TABLE patients (id int PRIMARY KEY, name text)');
    await sql(source, "INSERT INTO patients VALUES (1, 'Анна'), (2, 'Борис'), (3, 'Вера')");
    const dir = mkdtempSync(join(tmpdir(), 'slipway-backups-'));
    const day = 24 * 3600;
    const old = join(dir, 'medical_db_old.sql.gz');
    const recent = join(dir, 'medical_db_recent.sql.gz');
    for (const [file, ageDays] of [
      [old, 31],
      [recent, 29],
    ] as const) {
      writeFileSync(file, 'earlier backup');
      const t = Date.now() / 1000 - ageDays * day;
      utimesSync(file, t, t);
    }
    const run = spawnSync('/bin/sh', ['-c', script!.replace(' medical_db ', ` ${database} `)], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'],
        SLIPWAY_SERVICE_HOST: '127.0.0.1',
        SLIPWAY_SERVICE_PORT: port,
        POSTGRES_USER: 'slipway',
        POSTGRES_PASSWORD: '',
        BACKUP_DIR: dir,
      },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!existsSync(old), 'a backup older than 30 days is deleted');
    assert.ok(existsSync(recent), 'a backup within 30 days is kept');
    const dumps = readdirSync(dir).filter((f) => /^medical_db_\d{14}\.sql\.gz$/.test(f));
    assert.equal(dumps.length, 1, readdirSync(dir).join(', '));

    // It restores into an empty database, rows and all.
    const target = await postgres.freshDatabase();
    // ON_ERROR_STOP: any statement of the dump that fails fails the restore (execFileSync throws).
    execFileSync(
      '/bin/sh',
      ['-c', `gunzip -c "${join(dir, dumps[0]!)}" | psql -q -v ON_ERROR_STOP=1 -o /dev/null "${target}"`],
      {
        encoding: 'utf8',
      },
    );
    assert.deepEqual(await sql(target, 'SELECT id, name FROM patients ORDER BY id'), [
      { id: 1, name: 'Анна' },
      { id: 2, name: 'Борис' },
      { id: 3, name: 'Вера' },
    ]);
  });
});
