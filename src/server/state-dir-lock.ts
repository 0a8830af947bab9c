/**
 * @module One controller per state directory. The directory keeps a stable controller identity, so a
 * controller restarted after a crash reclaims its own leases at once instead of waiting for them to expire;
 * a second live controller on the same directory is refused.
 */
import { isAlive } from '../io/is-alive.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SlipwayError } from '../errors/index.js';

interface LockFile {
  id: string;
  pid: number;
}

export function lockStateDir(stateDir: string): { owner: string; release(): void } {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'controller.lock');
  let previous: LockFile | undefined;
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
  } catch {
    previous = undefined;
  }
  if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
    throw new SlipwayError(
      'STATE_DIR_LOCKED',
      `another controller (pid ${previous.pid}) is using ${stateDir}`,
      {
        hint: 'stop it first, or give this one its own --state-dir',
      },
    );
  }
  const id = previous?.id ?? `${hostname()}/${randomUUID()}`;
  writeFileSync(file, JSON.stringify({ id, pid: process.pid } satisfies LockFile));
  return {
    owner: id,
    release: () => {
      try {
        const current = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
        if (current.pid === process.pid) rmSync(file);
      } catch {
        // already gone
      }
    },
  };
}
