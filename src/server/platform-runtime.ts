/**
 * @module Everything a controller needs for one platform spec: a local target per local cluster, the
 * builtin metrics over their routers, the store, the notifier, and the controller itself.
 */
import { join } from 'node:path';
import { Controller } from '../engine/controller.js';
import type { EngineDeps } from '../engine/release-runner.js';
import { channelsFromSpec } from '../notify/channels.js';
import { NotificationDispatcher } from '../notify/dispatcher.js';
import { BuiltinMetrics } from '../providers/builtin.js';
import { OciRegistry } from '../registry/oci-registry.js';
import { templateProviders } from '../providers/for-template.js';
import type { Platform } from '../spec/schema/platform.js';
import { openStore } from '../store/open-store.js';
import { ControllerMetrics } from './controller-metrics.js';
import { DataPlaneWatch } from './data-plane-watch.js';
import { InstrumentedStore } from './instrumented-store.js';
import type { Store } from '../store/store.js';
import { kubernetesTargets } from '../targets/kubernetes/targets-from-spec.js';
import { attachDataPlane, stopDataPlane } from '../targets/local/dataplane/attach.js';
import type { DataPlaneConfig } from '../targets/local/dataplane/protocol.js';
import { RemoteLocalTarget } from '../targets/local/dataplane/remote-local-target.js';
import { LocalTarget } from '../targets/local/local-target.js';
import { fixedPorts } from '../targets/local/fixed-ports.js';
import { localServices } from '../targets/local/service-config.js';
import type { Target } from '../targets/target.js';
import { lockStateDir } from './state-dir-lock.js';

export interface RuntimeOptions {
  spec: Platform;
  /** Directory the spec's relative paths (local commands) are resolved against. */
  root: string;
  stateDir?: string;
  /** SQLite file (default STATE_DIR/state.db); SLIPWAY_DATABASE_URL=postgres://… uses PostgreSQL instead. */
  database?: string;
  log?: (line: string) => void;
  pollMs?: number;
  /** The kubeconfig for Kubernetes clusters (default: $KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  /** How often a cluster rollout's progress is read (default 1 s). */
  kubePollMs?: number;
  /** How long a release stays with this controller without renewal (default 15 s). */
  leaseTtlMs?: number;
  /**
   * Where local clusters run: `process` — a data plane process of their own, which outlives a crashed
   * controller and is attached to by the next (`slipway serve`); `in-process` (default) — in this one.
   */
  dataPlane?: 'process' | 'in-process';
}

/** Where a local cluster's services and admin endpoint listen, wherever the cluster runs. */
export interface LocalCluster {
  readonly adminUrl: string;
  endpoint(service: string): string;
}

export class PlatformRuntime {
  readonly controller: Controller;
  readonly store: Store;
  /** Slipway's own metrics (served at /metrics), fed by every event the controller writes. */
  readonly metrics = new ControllerMetrics();
  readonly targets = new Map<string, Target>();
  /** Local clusters run in this process (dataPlane: in-process). */
  readonly localTargets = new Map<string, LocalTarget>();
  /** Every local cluster, in this process or in the data plane process. */
  readonly localClusters = new Map<string, LocalCluster>();
  readonly notifier: NotificationDispatcher;
  private readonly lock: { owner: string; release(): void };
  /** The clusters the data plane process runs (dataPlane: process). */
  private readonly dataPlaneConfig: DataPlaneConfig | undefined;
  /** The data plane process once started: its channel, replaced when it dies. */
  private watch: DataPlaneWatch | undefined;

  constructor(readonly options: RuntimeOptions) {
    const stateDir = options.stateDir ?? join(options.root, '.slipway');
    this.lock = lockStateDir(stateDir);
    try {
      this.store = openStore(stateDir, options.database ? { database: options.database } : {});
    } catch (error) {
      this.lock.release();
      throw error;
    }
    const services = localServices(options.spec, options.root);
    const clusters = kubernetesTargets(options.spec, {
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.kubePollMs ? { pollMs: options.kubePollMs } : {}),
    });
    for (const [name, target] of clusters) this.targets.set(name, target);
    const local: DataPlaneConfig['clusters'] = [];
    for (const env of Object.values(options.spec.environments))
      for (const [name, cluster] of Object.entries(env.clusters))
        if (cluster.local && !local.some((c) => c.cluster === name) && !this.targets.has(name))
          local.push({ cluster: name, services, ...fixedPorts(cluster.local.basePort, services) });
    if (options.dataPlane === 'process') {
      this.dataPlaneConfig = local.length > 0 ? { stateDir, clusters: local } : undefined;
    } else {
      for (const c of local) {
        const target = new LocalTarget({ ...c, stateDir });
        this.localTargets.set(c.cluster, target);
        this.localClusters.set(c.cluster, target);
        this.targets.set(c.cluster, target);
      }
    }
    const { channels, missing } = channelsFromSpec(options.spec);
    for (const m of missing) options.log?.(`notify: ${m} is not configured; its messages are skipped`);
    this.notifier = new NotificationDispatcher(channels, { ...(options.log ? { log: options.log } : {}) });

    const deps: EngineDeps = {
      store: new InstrumentedStore(this.store, this.metrics),
      spec: options.spec,
      targets: this.targets,
      metrics: new BuiltinMetrics(this.targets),
      providers: templateProviders(this.targets),
      registry: new OciRegistry(),
      notifier: this.notifier,
      owner: this.lock.owner,
      cwd: options.root,
      diagnosticsDir: join(stateDir, 'diagnostics'),
      ...(options.log ? { log: options.log } : {}),
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      ...(options.leaseTtlMs
        ? { leaseTtlMs: options.leaseTtlMs, standbyPollMs: Math.min(2000, options.leaseTtlMs / 3) }
        : {}),
    };
    this.controller = new Controller(deps);
  }

  async start(): Promise<void> {
    for (const target of this.localTargets.values()) await target.start();
    if (this.dataPlaneConfig) {
      const client = await attachDataPlane(this.dataPlaneConfig, this.options.log);
      const remote = this.dataPlaneConfig.clusters.map(
        ({ cluster }) => new RemoteLocalTarget(cluster, client),
      );
      for (const target of remote) {
        this.targets.set(target.cluster, target);
        this.localClusters.set(target.cluster, target);
      }
      this.watch = new DataPlaneWatch(client, {
        config: this.dataPlaneConfig,
        replaced: async (next) => {
          for (const target of remote) target.use(next);
          await this.controller.reconcile();
        },
        log: this.options.log,
      });
      this.watch.start();
    }
    await this.controller.start();
  }

  /** Stops on purpose: the controller, then every local cluster with drains (the data plane process too). */
  async close(): Promise<void> {
    // The watch first: a data plane stopped on purpose must not be replaced.
    this.watch?.stop();
    await this.controller.stop();
    await this.notifier.flush();
    for (const target of this.localTargets.values()) await target.close();
    if (this.watch) await stopDataPlane(this.watch.client);
    await this.store.close();
    this.lock.release();
  }
}
