/** @module A replica's log file, bounded in size: past the limit it rotates once (`.1`) and starts again. */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class BoundedLog {
  private fd: number;
  private size = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly maxBytes = 1024 * 1024,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  /** Writes after close are dropped: a child's last output may arrive after its exit. */
  write(chunk: Buffer | string): void {
    if (this.closed) return;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.size + data.length > this.maxBytes) this.rotate();
    writeSync(this.fd, data);
    this.size += data.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'w');
    this.size = 0;
  }
}
