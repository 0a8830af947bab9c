/**
 * @module Reading a file or standard input with a ceiling: stops at `limit` bytes instead of trusting the
 * file's size (a character device such as /dev/zero, a pipe or a growing file reports none), so an input
 * that is too large costs at most `limit` bytes of memory and says so.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export class InputTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** The whole input (a path, or 0 for standard input) when it has at most `limit` bytes. */
export function readBounded(file: string | 0, limit: number): Buffer {
  const fd = file === 0 ? 0 : openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((error as NodeJS.ErrnoException).code === 'EOF') break;
        throw error;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new InputTooLarge(limit);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** The manifest input ceiling: SLIPWAY_MAX_INPUT_BYTES, else 64 MiB. */
export function manifestInputLimit(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env['SLIPWAY_MAX_INPUT_BYTES']);
  return Number.isFinite(set) && set > 0 ? set : 64 * 1024 * 1024;
}
