/**
 * @module Fault injection for the crash tests: `SLIPWAY_CRASH_AT=<name>` kills the controller with SIGKILL
 * when it reaches that point; `SLIPWAY_FAILPOINT_LOG=<file>` records every point passed, in order.
 */
import { appendFileSync } from 'node:fs';

export function failpoint(name: string): void {
  const log = process.env['SLIPWAY_FAILPOINT_LOG'];
  if (log) appendFileSync(log, `${name}\n`);
  if (process.env['SLIPWAY_CRASH_AT'] === name) process.kill(process.pid, 'SIGKILL');
}
