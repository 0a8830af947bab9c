/**
 * @module A traffic group's replicas (stable, canary or preview): reconciled towards "N ready replicas of
 * version V" with surge and unavailability bounds, crashes restarted with backoff, crash loops reported.
 */
import { SlipwayError } from '../../errors/index.js';
import type { EnsureReplicasRequest, GroupStatus, TrafficGroup } from '../target.js';
import { Replica, type ReplicaExit, type ReplicaSpec } from './replica.js';
import type { Router } from './router.js';
import { rolloutBounds } from './rollout-bounds.js';

/** A new replica that exits before it was ever ready this many times in a row fails the rollout. */
const MAX_START_FAILURES = 3;
const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 30_000;

export interface ReplicaGroupOptions {
  service: string;
  group: TrafficGroup;
  router: Router;
  specFor: (version: string) => ReplicaSpec;
  /** Called on every crash; the target counts restarts with it. */
  onCrash?: (replica: Replica, exit: ReplicaExit) => void;
}

interface Desired {
  version: string;
  replicas: number;
  surge: number;
  unavailable: number;
}

export class ReplicaGroup {
  private readonly replicas: Replica[] = [];
  private readonly stopping = new Set<Replica>();
  private readonly restarts = new Map<string, number>();
  private readonly pendingRestarts = new Map<string, { timer: NodeJS.Timeout; version: string }>();
  private readonly startFailures = new Map<string, { count: number; last: string }>();
  private desired: Desired | undefined;
  private sequence = 0;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: ReplicaGroupOptions) {}

  /** Reconciles until `replicas` ready replicas run `version` and nothing else, or fails. */
  async ensure(request: Omit<EnsureReplicasRequest, 'group'>): Promise<GroupStatus> {
    const { surge, unavailable } = rolloutBounds(request.replicas, request.maxSurge, request.maxUnavailable);
    this.desired = { version: request.version, replicas: request.replicas, surge, unavailable };
    this.startFailures.delete(request.version);
    const deadline = Date.now() + (request.deadlineMs ?? 120_000);
    for (;;) {
      if (this.closed)
        throw new SlipwayError('LOCAL_TARGET_CLOSED', 'the local target was closed during a rollout');
      const failure = this.startFailures.get(request.version);
      if (failure && failure.count >= MAX_START_FAILURES) {
        throw new SlipwayError(
          'LOCAL_REPLICA_FAILED',
          `${this.options.service}@${request.version} never became ready: ${failure.count} replicas exited at start (${failure.last})`,
          { hint: 'check the service command and its log under .slipway/logs' },
        );
      }
      await this.reconcile();
      if (this.converged()) return this.status();
      if (Date.now() > deadline) {
        const s = this.status();
        throw new SlipwayError(
          'LOCAL_ROLLOUT_TIMEOUT',
          `${this.options.service} ${this.options.group}: ${s.ready} of ${request.replicas} replicas of ${request.version} ready before the deadline`,
          {
            hint: 'a readiness probe that never passes, or a slow start longer than the deadline',
          },
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The end of each replica's log (running and stopping ones), by replica id: for a diagnostics bundle. */
  logTails(bytes: number): Record<string, string> {
    return Object.fromEntries([...this.replicas, ...this.stopping].map((r) => [r.id, r.logTail(bytes)]));
  }

  status(): GroupStatus {
    const live = this.replicas;
    return {
      group: this.options.group,
      versions: [...new Set(live.map((r) => r.version))],
      desired: this.desired?.replicas ?? 0,
      ready: live.filter((r) => r.state === 'ready' && r.version === this.desired?.version).length,
      replicas: live.map((r) => ({
        id: r.id,
        version: r.version,
        ready: r.state === 'ready',
        restarts: this.restarts.get(r.id) ?? 0,
        ...(r.pid !== undefined ? { pid: r.pid } : {}),
        port: r.port,
      })),
    };
  }

  /** The replicas, for tests and the supervisor's own checks. */
  list(): readonly Replica[] {
    return this.replicas;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.desired = undefined;
    for (const pending of this.pendingRestarts.values()) clearTimeout(pending.timer);
    this.pendingRestarts.clear();
    await Promise.all([...this.replicas].map((r) => this.stopReplica(r)));
    await Promise.all([...this.stopping].map((r) => r.stop()));
  }

  private converged(): boolean {
    const d = this.desired;
    if (!d) return true;
    const ready = this.replicas.filter((r) => r.version === d.version && r.state === 'ready').length;
    return (
      ready === d.replicas &&
      this.replicas.length === d.replicas &&
      this.pendingRestarts.size === 0 &&
      this.stopping.size === 0
    );
  }

  private async reconcile(): Promise<void> {
    const d = this.desired;
    if (!d) return;
    const current = this.replicas.filter((r) => r.version === d.version);
    const old = this.replicas.filter((r) => r.version !== d.version);
    const restarting = [...this.pendingRestarts.values()].filter((p) => p.version === d.version).length;
    // Scale up the new version within the surge.
    const room = d.replicas + d.surge - (this.replicas.length + restarting);
    const toStart = Math.min(d.replicas - current.length - restarting, room);
    for (let i = 0; i < toStart; i++) await this.startReplica(d.version);

    // Scale down the old version while enough replicas stay available. Unready ones go first.
    const minAvailable = Math.max(0, d.replicas - d.unavailable);
    let available = this.replicas.filter((r) => r.state === 'ready').length;
    for (const r of [...old].sort(byReadiness)) {
      if (r.state === 'ready' && available - 1 < minAvailable) break;
      if (r.state === 'ready') available--;
      void this.stopReplica(r);
    }
    // Too many of the new version (a scale-down): unready ones first.
    const excess = current.length - d.replicas;
    for (const r of [...current].sort(byReadiness).slice(0, Math.max(0, excess))) void this.stopReplica(r);
  }

  private async startReplica(
    version: string,
    id = `${this.options.service}-${this.options.group}-${version}-${++this.sequence}`,
  ): Promise<void> {
    const replica = new Replica(id, this.options.specFor(version));
    this.replicas.push(replica);
    replica.on('ready', () => {
      this.options.router.addUpstream({ id, version, group: this.options.group, port: replica.port });
      this.startFailures.delete(version);
      this.wake?.();
    });
    replica.on('unready', () => {
      this.options.router.removeUpstream(id);
      this.wake?.();
    });
    replica.on('exit', (exit) => this.onExit(replica, exit));
    try {
      await replica.start();
    } catch (error) {
      this.remove(replica);
      throw new SlipwayError('LOCAL_REPLICA_START', `cannot start ${id}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private onExit(replica: Replica, exit: ReplicaExit): void {
    this.options.router.removeUpstream(replica.id);
    if (exit.expected) return;
    this.remove(replica);
    this.options.onCrash?.(replica, exit);
    const restarts = (this.restarts.get(replica.id) ?? 0) + 1;
    this.restarts.set(replica.id, restarts);
    if (!exit.everReady) {
      const f = this.startFailures.get(replica.version) ?? { count: 0, last: '' };
      const how = exit.error ?? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
      const tail = tellingLine(replica.logTail(2000));
      this.startFailures.set(replica.version, { count: f.count + 1, last: tail ? `${how}: ${tail}` : how });
    }
    const d = this.desired;
    const stillWanted = !this.closed && d !== undefined && d.version === replica.version;
    const crashLooping = (this.startFailures.get(replica.version)?.count ?? 0) >= MAX_START_FAILURES;
    if (stillWanted && !crashLooping) {
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(restarts - 1, 8));
      const timer = setTimeout(() => {
        this.pendingRestarts.delete(replica.id);
        if (this.closed || this.desired?.version !== replica.version) return;
        const wanted =
          this.desired.replicas - this.replicas.filter((r) => r.version === replica.version).length;
        if (wanted > 0) void this.startReplica(replica.version, replica.id).catch(() => undefined);
        this.wake?.();
      }, delay);
      this.pendingRestarts.set(replica.id, { timer, version: replica.version });
    }
    this.wake?.();
  }

  private async stopReplica(replica: Replica): Promise<void> {
    if (this.stopping.has(replica)) return;
    this.remove(replica);
    this.stopping.add(replica);
    try {
      // Out of rotation first, then wait for what it is serving, then the signals.
      await this.options.router.drain(replica.id, replica.spec.gracePeriodMs);
      await replica.stop();
    } finally {
      this.stopping.delete(replica);
      this.wake?.();
    }
  }

  private remove(replica: Replica): void {
    const index = this.replicas.indexOf(replica);
    if (index >= 0) this.replicas.splice(index, 1);
  }
}

const byReadiness = (a: Replica, b: Replica) => Number(a.state === 'ready') - Number(b.state === 'ready');

/** The line of a crashed replica's log that says why: the first error-like line, else the last line. */
function tellingLine(log: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /error|not found|cannot|fatal|denied|refused/i.test(l)) ??
    lines[lines.length - 1] ??
    ''
  ).slice(0, 200);
}
