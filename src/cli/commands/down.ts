/** @module `slipway down`: stop the local data plane a killed controller left running. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '../../errors/index.js';
import { isAlive } from '../../io/is-alive.js';
import { runningDataPlane, stopDataPlane } from '../../targets/local/dataplane/attach.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';

/** The pid of a live controller using the state directory, if any. */
function controllerPid(stateDir: string): number | undefined {
  const lock = join(stateDir, 'controller.lock');
  if (!existsSync(lock)) return undefined;
  try {
    const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function registerDown(program: Command, ctx: CommandContext): void {
  const command = program
    .command('down')
    .description(
      "Stop a state directory's local data plane (routers and replicas, drained) when no controller runs: one outlives a killed controller on purpose.",
    )
    .option('--state-dir <dir>', 'the state directory', '.slipway')
    .action(async (o: { stateDir: string }) => {
      const pid = controllerPid(o.stateDir);
      if (pid !== undefined)
        throw new SlipwayError(
          'DOWN_CONTROLLER_RUNNING',
          `a controller (pid ${pid}) is using ${o.stateDir}`,
          {
            hint: `stop it instead (Ctrl-C, or kill -TERM ${pid}): it stops the data plane with it`,
          },
        );
      const plane = await runningDataPlane(o.stateDir);
      if (!plane) {
        ctx.io.out(`no data plane runs for ${o.stateDir}`);
        return;
      }
      await stopDataPlane(plane);
      ctx.io.out(`stopped the data plane (pid ${plane.info.pid}) of ${o.stateDir}: every replica drained`);
    });
  withExamples(command, 'slipway down\nslipway down --state-dir /var/lib/slipway');
}
