/**
 * @module Replicas left behind by a controller that was killed: their pids are recorded, and the next
 * start of the same cluster kills those that still carry the cluster's marker in their environment.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { signalGroup } from '../../io/signal-group.js';

export class PidFile {
  private readonly pids = new Set<number>();

  constructor(
    private readonly path: string,
    private readonly marker: string,
  ) {}

  /** Kills the replicas a previous run of this cluster left. Returns how many it killed. */
  reapOrphans(): number {
    let recorded: number[] = [];
    try {
      recorded = JSON.parse(readFileSync(this.path, 'utf8')) as number[];
    } catch {
      return 0;
    }
    let killed = 0;
    for (const pid of recorded) {
      if (this.isOurs(pid) && signalGroup(pid, 'SIGKILL')) killed++;
    }
    this.save();
    return killed;
  }

  add(pid: number | undefined): void {
    if (pid === undefined) return;
    this.pids.add(pid);
    this.save();
  }

  delete(pid: number | undefined): void {
    if (pid === undefined) return;
    this.pids.delete(pid);
    this.save();
  }

  private isOurs(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(this.marker);
    } catch {
      return false;
    }
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    // Written whole, then renamed over the old one: a controller killed mid-write leaves the previous
    // list, never half a file (which would orphan every replica it named).
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.pids]));
    renameSync(tmp, this.path);
  }
}
