/** @module The SQLite schema and its migrations; `PRAGMA user_version` holds the version. */
import type { Generated } from 'kysely';

export const SCHEMA_VERSION = 1;

export const MIGRATIONS: Record<number, string[]> = {
  1: [
    `CREATE TABLE releases (
       id TEXT PRIMARY KEY, platform TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL,
       created_by TEXT NOT NULL, request TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    `CREATE TABLE release_events (
       release_id TEXT NOT NULL REFERENCES releases(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
       payload TEXT NOT NULL, actor TEXT NOT NULL, time TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
       PRIMARY KEY (release_id, seq))`,
    `CREATE TABLE leases (release_id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
    `CREATE TABLE desired_state (
       cluster TEXT NOT NULL, service TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,
       PRIMARY KEY (cluster, service))`,
  ],
};

export interface Database {
  releases: {
    id: string;
    platform: string;
    kind: string;
    created_at: string;
    created_by: string;
    request: string;
    plan: string;
    status: string;
    updated_at: string;
  };
  release_events: {
    release_id: string;
    seq: number;
    type: string;
    payload: string;
    actor: string;
    time: string;
    prev_hash: string;
    hash: string;
  };
  leases: { release_id: string; owner: string; expires_at: number };
  desired_state: { cluster: string; service: string; state: string; updated_at: string };
}

export type { Generated };
