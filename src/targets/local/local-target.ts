/**
 * @module The embedded local target: each service's replicas run as processes behind Slipway's router,
 * one router port per service, one admin port per cluster for `/metrics` and `/status`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SlipwayError } from '../../errors/index.js';
import {
  type CheckRequest,
  type CheckResponse,
  type EnsureReplicasRequest,
  type GroupStatus,
  type HeaderMatch,
  PIN_GROUP_HEADER,
  type ServiceRef,
  type PreflightResult,
  type RolloutBounds,
  type ServiceStatus,
  type SeparateGroup,
  type Snapshot,
  TRAFFIC_GROUPS,
  type VersionTraffic,
  type Target,
  type TrafficGroup,
  type Weights,
} from '../target.js';
import { MetricsRegistry } from './metrics/metrics-registry.js';
import { PidFile } from './orphans.js';
import { commandResolves } from './command-resolves.js';
import { ReplicaGroup } from './replica-group.js';
import type { ReplicaSpec } from './replica.js';
import { Router } from './router.js';
import type { LocalServiceConfig } from './service-config.js';

export interface LocalTargetOptions {
  cluster: string;
  services: LocalServiceConfig[];
  /** Logs and the pid file go here (default `.slipway`). */
  stateDir?: string;
  /** Fixed router ports per service; otherwise the kernel chooses. */
  routerPorts?: Record<string, number>;
  adminPort?: number;
  /** Ports to take again when free (those of an earlier run), else the kernel chooses. */
  previousPorts?: { routerPorts: Record<string, number>; adminPort: number };
}

interface ServiceRuntime {
  config: LocalServiceConfig;
  router: Router;
  /** Every group this service has had: the fixed ones from the start, an experiment's when it first runs. */
  groups: Map<TrafficGroup, ReplicaGroup>;
  restarts: number;
}

export class LocalTarget implements Target {
  readonly kind = 'local';
  readonly capabilities = { weights: true, headerRouting: true, liveState: false } as const;
  readonly metrics: MetricsRegistry;
  private readonly runtimes = new Map<string, ServiceRuntime>();
  private readonly pidFile: PidFile;
  private readonly stateDir: string;
  private admin: Server | undefined;
  private adminPort = 0;

  constructor(private readonly options: LocalTargetOptions) {
    this.metrics = new MetricsRegistry(options.cluster);
    this.stateDir = options.stateDir ?? '.slipway';
    this.pidFile = new PidFile(
      join(this.stateDir, 'run', `${options.cluster}.pids.json`),
      `SLIPWAY_CLUSTER=${options.cluster}`,
    );
  }

  get cluster(): string {
    return this.options.cluster;
  }

  /** Starts the routers and the admin endpoint; kills replicas a killed controller left behind. */
  async start(): Promise<void> {
    this.pidFile.reapOrphans();
    for (const config of this.options.services) {
      const router = new Router({
        service: config.name,
        metrics: this.metrics,
        ...(config.balance ? { balance: config.balance } : {}),
      });
      await this.listenOn(
        `the router of ${config.name}`,
        this.options.routerPorts?.[config.name],
        this.options.previousPorts?.routerPorts[config.name],
        (port) => router.listen(port),
      );
      const runtime: ServiceRuntime = { config, router, groups: new Map(), restarts: 0 };
      for (const group of TRAFFIC_GROUPS) this.groupOf(runtime, group);
      this.runtimes.set(config.name, runtime);
    }
    this.admin = createServer((req, res) => {
      if (req.url === '/metrics') {
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
          .end(this.metrics.toPrometheusText());
      } else if (req.url === '/status') {
        void Promise.all(
          [...this.runtimes.keys()].map((service) => this.observe({ service, cluster: this.cluster })),
        ).then((s) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s)));
      } else res.writeHead(404).end();
    });
    await this.listenOn(
      'the admin endpoint',
      this.options.adminPort,
      this.options.previousPorts?.adminPort,
      (port) =>
        new Promise<void>((resolve, reject) => {
          this.admin!.once('error', reject);
          this.admin!.listen(port, '127.0.0.1', resolve);
        }),
    );
    this.adminPort = (this.admin.address() as AddressInfo).port;
  }

  /**
   * Listens on a fixed port (local.basePort), a taken one being a clear error; else on the port of an
   * earlier run when it is free (clients keep the service), else on one the kernel chooses.
   */
  private async listenOn(
    what: string,
    port: number | undefined,
    previous: number | undefined,
    listen: (port: number) => Promise<unknown>,
  ) {
    if (port === undefined && previous !== undefined) {
      try {
        await listen(previous);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      }
    }
    try {
      await listen(port ?? 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new SlipwayError(
        'LOCAL_PORT_IN_USE',
        `cluster ${this.cluster}: port ${port} for ${what} is in use`,
        { hint: 'stop what listens there, or choose another local.basePort for the cluster' },
      );
    }
  }

  /** The ports it listens on, to take again at the next start. */
  ports(): { routerPorts: Record<string, number>; adminPort: number } {
    return {
      routerPorts: Object.fromEntries([...this.runtimes].map(([name, r]) => [name, r.router.listeningPort])),
      adminPort: this.adminPort,
    };
  }

  /** `http://127.0.0.1:PORT` of the admin endpoint (`/metrics`, `/status`). */
  get adminUrl(): string {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** Where clients reach the service. */
  endpoint(service: string): string {
    return this.runtime({ service, cluster: this.cluster }).router.url;
  }

  async ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus> {
    const { group, ...rest } = request;
    return this.groupOf(this.runtime(ref), group).ensure(rest);
  }

  async ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    const total = Object.values(weights).reduce<number>((a, b) => a + (b ?? 0), 0);
    if (Math.abs(total - 100) > 1e-9) {
      throw new SlipwayError('TARGET_BAD_WEIGHTS', `weights must add up to 100, got ${total}`);
    }
    this.runtime(ref).router.setWeights(weights, matches);
  }

  async promote(
    ref: ServiceRef,
    from: Exclude<TrafficGroup, 'stable'>,
    expected: string,
    bounds: RolloutBounds = {},
  ): Promise<void> {
    const runtime = this.runtime(ref);
    const source = this.groupOf(runtime, from).status();
    const version = source.versions[0];
    if (version === undefined) {
      // Already promoted (a resumed controller calls this again): nothing left in the group.
      if (this.groupOf(runtime, 'stable').status().versions.includes(expected)) return;
      throw new SlipwayError(
        'LOCAL_NO_GROUP',
        `${ref.service} has no ${from} group on ${this.cluster} to promote, and stable does not run ${expected}`,
      );
    }
    const stable = this.groupOf(runtime, 'stable').status();
    await this.groupOf(runtime, 'stable').ensure({
      version,
      replicas: Math.max(stable.desired, source.desired),
      deadlineMs: 300_000,
      ...bounds,
    });
    runtime.router.setWeights({ stable: 100 });
    await this.groupOf(runtime, from).ensure({ version, replicas: 0 });
  }

  async diagnostics(ref: ServiceRef): Promise<Record<string, string>> {
    const runtime = this.runtime(ref);
    const files: Record<string, string> = {};
    for (const [group, replicas] of runtime.groups)
      for (const [id, tail] of Object.entries(replicas.logTails(64 * 1024)))
        files[`logs/${group}/${id}.log`] = tail;
    return files;
  }

  async scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    const g = this.groupOf(this.runtime(ref), group);
    await g.ensure({ version: g.status().versions[0] ?? 'none', replicas: 0 });
  }

  async observe(ref: ServiceRef): Promise<ServiceStatus> {
    const runtime = this.runtime(ref);
    return {
      ...ref,
      groups: [...runtime.groups.values()].map((g) => g.status()),
      weights: runtime.router.balancer.getWeights(),
      matches: runtime.router.balancer.getMatches(),
      endpoint: runtime.router.url,
    };
  }

  /** Crashes restarted so far, per service. */
  restarts(service: string): number {
    return this.runtime({ service, cluster: this.cluster }).restarts;
  }

  /** The group's replicas, for tests and the chaos helpers. */
  group(service: string, group: TrafficGroup): ReplicaGroup {
    return this.groupOf(this.runtime({ service, cluster: this.cluster }), group);
  }

  /** The service's group, made the first time it is asked for (an experiment's variant). */
  private groupOf(runtime: ServiceRuntime, group: TrafficGroup): ReplicaGroup {
    let g = runtime.groups.get(group);
    if (!g) {
      g = new ReplicaGroup({
        service: runtime.config.name,
        group,
        router: runtime.router,
        specFor: (version) => this.replicaSpec(runtime.config, version),
        onCrash: () => {
          runtime.restarts++;
        },
      });
      runtime.groups.set(group, g);
    }
    return g;
  }

  async trafficOf(
    service: string,
    version: string,
    group?: SeparateGroup,
  ): Promise<VersionTraffic | undefined> {
    const m = this.metrics.find(service, version, group);
    return (
      m && {
        requests: m.requests,
        errors: m.errors,
        latency: m.latency.snapshot(),
        recent: m.recentLatencies(),
      }
    );
  }

  /** Each service runs here (it has a `local` command) and its command resolves. */
  async preflight(services: { service: string; version: string }[]): Promise<PreflightResult> {
    const findings: string[] = [];
    const found: string[] = [];
    for (const { service } of services) {
      const config = this.options.services.find((s) => s.name === service);
      if (!config) {
        findings.push(
          `${service} has no local command, so it cannot run on the local cluster ${this.cluster}`,
        );
        continue;
      }
      const resolved = commandResolves(config.command, config.cwd);
      (resolved.ok ? found : findings).push(resolved.detail);
    }
    return {
      ok: findings.length === 0,
      summary: found.join(', ') || `local cluster ${this.cluster}`,
      findings,
    };
  }

  /** Locally, what runs is the desired state the store keeps: the snapshot records it for the log. */
  async snapshot(ref: ServiceRef): Promise<Snapshot> {
    const status = await this.observe(ref);
    return {
      target: 'local',
      groups: status.groups.map((g) => ({ group: g.group, versions: g.versions, desired: g.desired })),
      weights: status.weights,
    };
  }

  async restore(
    ref: ServiceRef,
    _snapshot: Snapshot,
    fallback?: EnsureReplicasRequest,
  ): Promise<GroupStatus | undefined> {
    if (fallback) return this.ensureReplicas(ref, fallback);
    await this.scaleToZero(ref, 'stable');
    return undefined;
  }

  async send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse> {
    const res = await fetch(`${this.endpoint(ref.service)}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, ...(request.group ? { [PIN_GROUP_HEADER]: request.group } : {}) },
      ...(request.body ? { body: request.body } : {}),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: res.status, body: (await res.text()).slice(0, 65_536) };
  }

  async close(): Promise<void> {
    for (const runtime of this.runtimes.values()) {
      await Promise.all([...runtime.groups.values()].map((g) => g.close()));
      await runtime.router.close();
    }
    this.runtimes.clear();
    await new Promise<void>((resolve) => (this.admin ? this.admin.close(() => resolve()) : resolve()));
  }

  private runtime(ref: ServiceRef): ServiceRuntime {
    if (ref.cluster !== this.cluster) {
      throw new SlipwayError(
        'TARGET_WRONG_CLUSTER',
        `this local target runs cluster "${this.cluster}", not "${ref.cluster}"`,
      );
    }
    const runtime = this.runtimes.get(ref.service);
    if (!runtime) {
      throw new SlipwayError(
        'TARGET_UNKNOWN_SERVICE',
        `cluster "${this.cluster}" runs no service "${ref.service}"`,
        {
          hint: 'only services with a `local` command run on the local target',
        },
      );
    }
    return runtime;
  }

  private replicaSpec(config: LocalServiceConfig, version: string): ReplicaSpec {
    const pidFile = this.pidFile;
    return {
      service: config.name,
      cluster: this.cluster,
      version,
      command: config.command,
      cwd: config.cwd,
      env: { ...config.env, ...(config.versionEnv[version] ?? {}) },
      readiness: config.readiness,
      ...(config.liveness ? { liveness: config.liveness } : {}),
      gracePeriodMs: config.gracePeriodMs,
      logDir: join(this.stateDir, 'logs', this.cluster, config.name),
      onSpawn: (pid: number | undefined) => pidFile.add(pid),
      onExit: (pid: number | undefined) => pidFile.delete(pid),
    };
  }
}
