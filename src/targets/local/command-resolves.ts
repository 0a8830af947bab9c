/** @module Whether a local service's command line can start: its first word resolves to an executable. */
import { spawnSync } from 'node:child_process';

/** The first word after VAR=value assignments, looked up as the shell would (`command -v`). */
export function commandResolves(command: string, cwd: string): { ok: boolean; detail: string } {
  const word = command.split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  const found = spawnSync('/bin/sh', ['-c', 'command -v -- "$1"', 'sh', word], { cwd, encoding: 'utf8' });
  return found.status === 0
    ? { ok: true, detail: `${word} → ${found.stdout.trim()}` }
    : { ok: false, detail: `the command "${word}" is not found (from: ${command})` };
}
