/**
 * @module One replica: a child process on its own port, probed for readiness and liveness, its output in a
 * bounded log, stopped gracefully (SIGTERM, grace period, SIGKILL to its whole process group).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SlipwayError } from '../../errors/index.js';
import { signalGroup } from '../../io/signal-group.js';
import { childEnv } from '../../security/child-env.js';
import { BoundedLog } from './bounded-log.js';
import { freePort } from './free-port.js';
import { type ProbeConfig, probeOnce } from './probe.js';

export interface ReplicaSpec {
  service: string;
  cluster: string;
  version: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  readiness: ProbeConfig;
  liveness?: ProbeConfig;
  gracePeriodMs: number;
  logDir: string;
  logMaxBytes?: number;
  /** Told of each process, so a killed controller's replicas can be found again. */
  onSpawn?: (pid: number | undefined) => void;
  onExit?: (pid: number | undefined) => void;
}

/** Process groups of replicas still running; killed if this process exits with them alive. */
const live = new Set<number>();
let exitHookInstalled = false;

function killAll(): void {
  for (const group of live) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function track(pid: number | undefined): void {
  if (pid === undefined) return;
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Whatever ends this process (an uncaught error, a cancelled test), its replicas go with it.
  process.once('exit', killAll);
  // A signal skips 'exit'. If nobody else handles it (`serve` does, and drains first), kill the replicas
  // and die of the signal as the process would have.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      killAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    // First in line: a `process.once` listener removes itself before it runs, so counted after it this
    // hook would believe it is alone and hard-kill a controller that was draining.
    process.prependListener(signal, onSignal);
  }
}

export type ReplicaState = 'starting' | 'ready' | 'unready' | 'stopping' | 'exited';

export interface ReplicaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when Slipway stopped it; false for a crash or a liveness kill. */
  expected: boolean;
  everReady: boolean;
  error?: string;
}

interface ReplicaEvents {
  ready: [];
  unready: [];
  exit: [ReplicaExit];
}

export class Replica extends EventEmitter<ReplicaEvents> {
  state: ReplicaState = 'starting';
  port = 0;
  pid: number | undefined;
  everReady = false;
  private child: ChildProcess | undefined;
  private log: BoundedLog | undefined;
  private readonly timers = new Map<'readiness' | 'liveness', NodeJS.Timeout>();
  private stopping = false;
  private exited: Promise<ReplicaExit> | undefined;

  constructor(
    readonly id: string,
    readonly spec: ReplicaSpec,
  ) {
    super();
  }

  get version(): string {
    return this.spec.version;
  }

  get logPath(): string {
    const path = join(this.spec.logDir, `${this.id}.log`);
    // The id holds the version: whatever it holds, the log stays inside its directory.
    if (dirname(resolve(path)) !== resolve(this.spec.logDir) || basename(path) !== `${this.id}.log`)
      throw new SlipwayError(
        'LOCAL_BAD_REPLICA_ID',
        `replica id ${JSON.stringify(this.id)} cannot name a log file`,
      );
    return path;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    this.log = new BoundedLog(this.logPath, this.spec.logMaxBytes);
    const env = childEnv({
      ...this.spec.env,
      PORT: String(this.port),
      SLIPWAY_SERVICE: this.spec.service,
      SLIPWAY_VERSION: this.spec.version,
      SLIPWAY_CLUSTER: this.spec.cluster,
      SLIPWAY_REPLICA: this.id,
    });
    // exec: the shell becomes the command, so signals reach it; its own process group lets us signal
    // anything it starts as well.
    const child = spawn('/bin/sh', ['-c', `exec ${this.spec.command}`], {
      cwd: this.spec.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pid = child.pid;
    this.spec.onSpawn?.(child.pid);
    track(child.pid);
    child.stdout?.on('data', (chunk: Buffer) => this.log?.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.log?.write(chunk));
    this.exited = new Promise((resolve) => {
      let spawnError: string | undefined;
      child.once('error', (error) => {
        spawnError = error.message;
        // 'exit' may not follow a spawn failure.
        if (child.pid === undefined) finish(null, null);
      });
      let finished = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (finished) return;
        finished = true;
        this.clearTimers();
        this.state = 'exited';
        this.log?.close();
        this.spec.onExit?.(child.pid);
        if (child.pid !== undefined) live.delete(child.pid);
        const exit: ReplicaExit = {
          code,
          signal,
          expected: this.stopping,
          everReady: this.everReady,
          ...(spawnError ? { error: spawnError } : {}),
        };
        resolve(exit);
        this.emit('exit', exit);
      };
      // 'exit' can come before the last output, which the crash report reads from the log: report the exit
      // once stdout and stderr are done ('close'), or a moment later if something else holds them open.
      child.once('exit', (code, signal) => setTimeout(() => finish(code, signal), 1000).unref());
      child.once('close', (code, signal) => finish(code, signal));
    });
    this.probeLoop(this.spec.readiness, 'readiness');
    if (this.spec.liveness) this.probeLoop(this.spec.liveness, 'liveness');
  }

  /** SIGTERM, then SIGKILL after the grace period. Resolves when the process has exited. */
  async stop(): Promise<ReplicaExit | undefined> {
    if (!this.exited) return undefined;
    if (this.state !== 'exited') {
      this.stopping = true;
      this.state = 'stopping';
      this.clearTimers();
      this.signal('SIGTERM');
      const kill = setTimeout(() => this.signal('SIGKILL'), this.spec.gracePeriodMs);
      const exit = await this.exited;
      clearTimeout(kill);
      // Anything the command left behind in its group goes too.
      this.signal('SIGKILL');
      return exit;
    }
    return this.exited;
  }

  /** Kills at once (a failed liveness probe, a test's SIGKILL). Not an expected exit. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.signal(signal);
  }

  /** The end of the replica's log, for error messages. */
  logTail(bytes = 600): string {
    try {
      const size = statSync(this.logPath).size;
      const length = Math.min(bytes, size);
      const buffer = Buffer.alloc(length);
      const fd = openSync(this.logPath, 'r');
      readSync(fd, buffer, 0, length, size - length);
      closeSync(fd);
      return buffer.toString('utf8').trim();
    } catch {
      return '';
    }
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.pid !== undefined) signalGroup(this.pid, signal);
  }

  private probeLoop(config: ProbeConfig, kind: 'readiness' | 'liveness'): void {
    let successes = 0;
    let failures = 0;
    const tick = async () => {
      if (this.finishing()) return;
      const ok = await probeOnce(this.port, config);
      if (this.finishing()) return;
      if (ok) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      if (kind === 'readiness') {
        if (ok && successes >= config.successThreshold && this.state !== 'ready') {
          this.state = 'ready';
          this.everReady = true;
          this.emit('ready');
        } else if (!ok && this.state === 'ready' && failures >= config.failureThreshold) {
          this.state = 'unready';
          this.emit('unready');
        }
      } else if (!ok && failures >= config.failureThreshold) {
        this.log?.write(`[slipway] liveness probe failed ${failures} times; killing the replica\n`);
        this.kill('SIGKILL');
        return;
      }
      // Until first ready, probe fast so a new replica joins traffic promptly.
      const period =
        kind === 'readiness' && !this.everReady ? Math.min(config.periodMs, 100) : config.periodMs;
      this.timers.set(
        kind,
        setTimeout(() => void tick(), period),
      );
    };
    this.timers.set(
      kind,
      setTimeout(() => void tick(), config.initialDelayMs),
    );
  }

  private finishing(): boolean {
    return this.state === 'stopping' || this.state === 'exited';
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
