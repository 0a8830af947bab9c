/**
 * @module The controller's watch on its local data plane process: a data plane that died (a crash, a
 * kill) is replaced by a new one at once, one that runs but stopped answering once it has had a few
 * seconds to answer (attachDataPlane kills it), and the controller makes the new one run again what the
 * store says should run — the services come back on their ports (ports.json) without waiting for a restart.
 */
import { isAlive } from '../io/is-alive.js';
import { answering, attachDataPlane } from '../targets/local/dataplane/attach.js';
import type { DataPlaneClient } from '../targets/local/dataplane/remote-local-target.js';
import type { DataPlaneConfig } from '../targets/local/dataplane/protocol.js';

export interface DataPlaneWatchOptions {
  config: DataPlaneConfig;
  /** Switches the targets to the new data plane and restores what should run there. */
  replaced: (client: DataPlaneClient) => Promise<void>;
  log?: ((line: string) => void) | undefined;
  intervalMs?: number;
}

export class DataPlaneWatch {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private current: DataPlaneClient,
    private readonly options: DataPlaneWatchOptions,
  ) {}

  /** The data plane that runs the local clusters now. */
  get client(): DataPlaneClient {
    return this.current;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const was = this.current.info.pid;
    const log = this.options.log;
    try {
      const gone = !isAlive(was);
      if (!gone && (await answering(this.current.info))) return;
      log?.(
        gone
          ? `local clusters: the data plane (pid ${was}) is gone: starting a new one`
          : `local clusters: the data plane (pid ${was}) does not answer`,
      );
      const next = await attachDataPlane(this.options.config, log);
      if (next.info.pid === was) {
        log?.(`local clusters: the data plane (pid ${was}) answers again`);
        return;
      }
      this.current = next;
      await this.options.replaced(next);
      log?.(`local clusters: the new data plane (pid ${next.info.pid}) runs what the store says should run`);
    } catch (error) {
      log?.(`local clusters: no new data plane yet: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}
