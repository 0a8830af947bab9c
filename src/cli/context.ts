/** @module What every command gets: output streams and the global flags. */
import type { CliIO } from './io.js';

export interface CommandContext {
  io: CliIO;
  /** Set by a command to report failure without throwing. */
  exitCode: number;
}
