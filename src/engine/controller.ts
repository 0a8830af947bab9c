/**
 * @module The controller: creates releases from requests, runs them one at a time, takes approvals,
 * promotions and aborts, rebuilds what should run after a restart, and resumes unfinished releases.
 */
import { randomBytes } from 'node:crypto';
import { systemClock } from '../time/clock.js';
import { SlipwayError } from '../errors/index.js';
import { clustersOf, planRelease, replicasOf } from '../plan/plan-release.js';
import { measuredTraffic } from '../plan/measured-traffic.js';
import { requireVersion } from '../spec/version.js';
import type { Plan, ReleaseRequest, Touch } from '../plan/types.js';
import type { DesiredState, ReleaseRecord, StoredEvent } from '../store/store.js';
import { inGroupOrder, type TrafficGroup } from '../targets/target.js';
import { EventType } from './events.js';
import { liveVersions } from './live-versions.js';
import { type EngineDeps, type LiveSample, ReleaseRunner } from './release-runner.js';
import { doraFromStore } from '../dora/from-store.js';
import { diagnosticsDirOf, writeDiagnostics } from './diagnostics.js';
import type { DoraReport } from '../dora/dora.js';
import { rollbackStepsFor } from './rollback-plan.js';
import { foldEvents, type ReleaseState, TERMINAL } from './state.js';

export interface ReleaseView {
  release: ReleaseRecord;
  plan: Plan;
  state: ReleaseState;
}

export interface RollbackRequest {
  service?: string;
  to?: string;
  environments?: string[];
  release?: string;
}

function newReleaseId(now: number): string {
  const t = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r${t}-${randomBytes(2).toString('hex')}`;
}

export class Controller {
  private readonly running = new Map<string, { runner: ReleaseRunner; done: Promise<void> }>();
  private stopped = false;
  private scan: NodeJS.Timeout | undefined;

  /** The release being planned and recorded now (see exclusively). */
  private creating: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EngineDeps) {}

  /** The platform spec this controller releases from. */
  get spec(): EngineDeps['spec'] {
    return this.deps.spec;
  }

  /** Rebuilds what should run on the local targets, then resumes unfinished releases in order. */
  async start(): Promise<void> {
    await this.reconcile();
    await this.adoptUnfinished();
    // Controllers sharing a database stand by for each other's releases: one whose owner died (its lease
    // lapses) is taken over here, within a lease's time.
    this.scan = setInterval(() => {
      void this.adoptUnfinished().catch((e: Error) => this.deps.log?.(`looking for releases: ${e.message}`));
    }, this.deps.standbyPollMs ?? 2000);
  }

  /** Runs, or stands by for, every unfinished release this controller is not running yet. */
  private async adoptUnfinished(): Promise<void> {
    const unfinished = (await this.deps.store.releases(1000))
      .filter((r) => !TERMINAL.has(r.status as never))
      .reverse();
    for (const record of unfinished)
      if (!this.stopped) this.launch(record.id, record.plan as unknown as Plan);
  }

  async release(request: ReleaseRequest, actor: string): Promise<ReleaseView> {
    return this.exclusively(() => this.startRelease(request, actor));
  }

  /**
   * The plan a release of `request` would run now — from this controller's spec, history and clusters —
   * without starting it; `from` plans as if that version ran wherever the release goes.
   */
  async plan(request: ReleaseRequest, from?: string): Promise<Plan> {
    if (from !== undefined) requireVersion(from, 'from');
    const measured = await measuredTraffic(this.deps.store);
    if (from !== undefined) return planRelease(this.deps.spec, request, () => from, measured);
    const current = await this.currentVersions();
    const live = await liveVersions(this.deps.spec, this.deps.targets, request, current);
    return planRelease(
      this.deps.spec,
      request,
      (_env, cluster, service) => {
        const key = `${cluster}/${service}`;
        return current.get(key) ?? (live.has(key) ? live.get(key) : this.assumed(cluster, service));
      },
      measured,
    );
  }

  private async startRelease(request: ReleaseRequest, actor: string): Promise<ReleaseView> {
    const plan = await this.plan(request);
    if (plan.touches.length === 0) {
      throw new SlipwayError(
        'RELEASE_NOTHING_TO_DO',
        `${request.changes.map((c) => `${c.service}@${c.version}`).join(', ')} already runs everywhere it would go`,
      );
    }
    await this.ensureFree(plan.touches);
    return this.create('release', request as unknown as Record<string, unknown>, plan, actor);
  }

  async rollback(request: RollbackRequest, actor: string): Promise<ReleaseView> {
    return this.exclusively(() => this.startRollback(request, actor));
  }

  private async startRollback(request: RollbackRequest, actor: string): Promise<ReleaseView> {
    const touches = request.release
      ? await this.undoTouches(request.release)
      : await this.serviceTouches(request);
    if (touches.length === 0)
      throw new SlipwayError(
        'ROLLBACK_NOTHING_TO_DO',
        'nothing to roll back: every service already runs the version asked for',
      );
    const plan: Plan = {
      platform: this.deps.spec.metadata.name,
      request: {
        changes: [
          ...new Map(
            touches.map((t) => [t.service, { service: t.service, version: t.from ?? 'none' }]),
          ).values(),
        ],
      },
      stages: [],
      steps: rollbackStepsFor(touches, 'undo'),
      touches: touches.map((t) => ({ ...t, from: t.to, to: t.from ?? 'none' })),
    };
    await this.ensureFree(plan.touches);
    return this.create('rollback', request as unknown as Record<string, unknown>, plan, actor);
  }

  /** The role (`approval.role`) the approval an `approve` call would give must come from, if any. */
  async approvalRole(
    id: string,
    environment?: string,
  ): Promise<{ environment: string; role: string } | undefined> {
    const view = await this.get(id);
    const step = view.plan.steps.find(
      (s) =>
        s.kind === 'approval' && (environment ? s.environment === environment : s.id === view.state.current),
    );
    return step?.kind === 'approval' && step.role
      ? { environment: step.environment, role: step.role }
      : undefined;
  }

  async approve(id: string, actor: string, environment?: string): Promise<ReleaseView> {
    const view = await this.get(id);
    const waiting = view.plan.steps.find((s) => s.id === view.state.current && s.kind === 'approval');
    const env = environment ?? waiting?.environment;
    if (!env)
      throw new SlipwayError('RELEASE_NOT_WAITING', `release ${id} is not waiting for an approval`, {
        hint: 'slipway status shows what it waits for',
      });
    const gate = this.deps.spec.environments[env]?.approval;
    if (gate?.notByAuthor && actor === view.release.createdBy)
      throw new SlipwayError(
        'RELEASE_SELF_APPROVAL',
        `${actor} started release ${id} and may not approve it: ${env} needs someone else (approval.notByAuthor)`,
      );
    if (view.state.approvals.get(env)?.has(actor))
      throw new SlipwayError(
        'RELEASE_ALREADY_APPROVED',
        `${actor} already approved ${env} for release ${id}: it needs ${gate?.approvals ?? 1} different people`,
      );
    await this.deps.store.append(id, { type: EventType.approved, payload: { environment: env }, actor });
    return this.get(id);
  }

  async promote(id: string, actor: string): Promise<ReleaseView> {
    const view = await this.get(id);
    if (TERMINAL.has(view.state.status))
      throw new SlipwayError('RELEASE_FINISHED', `release ${id} is already ${view.state.status}`);
    // A promote answers exactly the gate waiting now; sent at any other time it would pass a later gate
    // that nobody looked at.
    const waiting = view.state.status === 'paused' ? view.state.current : undefined;
    if (!waiting)
      throw new SlipwayError(
        'RELEASE_NOT_WAITING',
        `release ${id} is not waiting for a promotion: it is ${view.state.status}${view.state.current ? ` at ${view.state.current}` : ''}`,
        { hint: 'slipway status shows what it is doing; promote when it says paused' },
      );
    await this.deps.store.append(id, { type: EventType.promoteRequested, payload: { step: waiting }, actor });
    return this.get(id);
  }

  async abort(id: string, actor: string, reason = 'aborted'): Promise<ReleaseView> {
    const view = await this.get(id);
    if (TERMINAL.has(view.state.status))
      throw new SlipwayError('RELEASE_FINISHED', `release ${id} is already ${view.state.status}`);
    await this.deps.store.append(id, { type: EventType.abortRequested, payload: { reason }, actor });
    return this.get(id);
  }

  async get(id: string): Promise<ReleaseView> {
    const release = await this.deps.store.release(id);
    if (!release)
      throw new SlipwayError('RELEASE_NOT_FOUND', `no release ${id}`, {
        hint: 'slipway history lists releases',
      });
    return {
      release,
      plan: release.plan as unknown as Plan,
      state: foldEvents(await this.deps.store.events(id)),
    };
  }

  /** The release's events after `afterSeq`, for live progress. */
  async events(id: string, afterSeq = 0): Promise<StoredEvent[]> {
    await this.get(id);
    return this.deps.store.events(id, afterSeq);
  }

  /** Whether this controller is running the release now (its runner may still append). */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** The latest round of the release's running analysis, when this controller runs it. */
  liveSample(id: string): LiveSample | undefined {
    return this.running.get(id)?.runner.liveSample();
  }

  async list(limit = 50): Promise<ReleaseRecord[]> {
    return this.deps.store.releases(limit);
  }

  /** Writes the release's diagnostics bundle now (at a person's request) and answers where. */
  async diagnose(id: string, actor: string): Promise<{ path: string }> {
    await this.get(id);
    const path = await writeDiagnostics(this.deps, id, diagnosticsDirOf(this.deps));
    await this.deps.store.append(id, { type: EventType.diagnostics, payload: { path }, actor });
    return { path };
  }

  /** DORA delivery metrics over (since, until], from the audit log. */
  async dora(since: number, until = Date.now()): Promise<DoraReport> {
    return doraFromStore(this.deps.store, since, until);
  }

  /** Resolves when the release reaches a terminal state (or this controller stops running it). */
  async wait(id: string): Promise<ReleaseView> {
    await this.running.get(id)?.done;
    return this.get(id);
  }

  /** What runs where, from the desired state. */
  /** What runs where, and where a local cluster's clients reach each service (its router). */
  async services(): Promise<(DesiredState & { endpoint?: string })[]> {
    const desired = await this.deps.store.desiredState();
    return Promise.all(
      desired.map(async (d) => {
        const target = this.deps.targets.get(d.cluster);
        if (target?.kind !== 'local') return d;
        const { endpoint } = await target.observe({ cluster: d.cluster, service: d.service });
        return endpoint ? { ...d, endpoint } : d;
      }),
    );
  }

  /** Stops running releases at a safe point; they resume when a controller starts again. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.scan);
    for (const { runner } of this.running.values()) runner.stop();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private async create(
    kind: ReleaseRecord['kind'],
    request: Record<string, unknown>,
    plan: Plan,
    actor: string,
  ): Promise<ReleaseView> {
    const now = (this.deps.clock ?? systemClock).now();
    const id = newReleaseId(now);
    // The lease first: a controller standing by on the same database must not pick up a release its maker runs.
    await this.deps.store.acquireLease(id, this.deps.owner, this.deps.leaseTtlMs ?? 15_000);
    await this.deps.store.createRelease({
      id,
      platform: this.deps.spec.metadata.name,
      kind,
      createdAt: new Date(now).toISOString(),
      createdBy: actor,
      request,
      plan: plan as unknown as Record<string, unknown>,
      status: 'running',
    });
    await this.deps.store.append(id, {
      type: EventType.created,
      payload: { kind, changes: plan.request.changes },
      actor,
    });
    this.launch(id, plan);
    return this.get(id);
  }

  /** Runs a release beside any others (they never touch the same service on a cluster: see ensureFree). */
  private launch(id: string, plan: Plan): void {
    if (this.running.has(id)) return;
    const runner = new ReleaseRunner(this.deps, id, plan);
    const done = (async () => {
      try {
        // Another controller may hold the lease (PostgreSQL, several controllers): wait for it to lapse.
        let told = false;
        while (!this.stopped && !(await runner.run())) {
          if (!told) this.deps.log?.(`release ${id} is owned by another controller; standing by`);
          told = true;
          await new Promise((r) => setTimeout(r, this.deps.standbyPollMs ?? 2000));
        }
      } catch (error) {
        this.deps.log?.(`release ${id} stopped: ${(error as Error).message}`);
      } finally {
        this.running.delete(id);
      }
    })();
    this.running.set(id, { runner, done });
  }

  /** One release or rollback is planned and recorded at a time, so two cannot both find a service free. */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.creating.then(work);
    this.creating = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Releases of different services run at once; two that would change the same service on the same
   * cluster never interleave: the second is refused, naming the first.
   */
  private async ensureFree(touches: Plan['touches']): Promise<void> {
    const wanted = new Set(touches.map((t) => `${t.cluster}/${t.service}`));
    for (const active of await this.deps.store.releases(1000)) {
      if (TERMINAL.has(active.status as never)) continue;
      const clash = ((active.plan as unknown as Plan).touches ?? []).find((t) =>
        wanted.has(`${t.cluster}/${t.service}`),
      );
      if (clash)
        throw new SlipwayError(
          'RELEASE_IN_PROGRESS',
          `release ${active.id} is still ${active.status} and changes ${clash.service} on ${clash.cluster}`,
          { hint: `wait for it, or: slipway abort ${active.id}` },
        );
    }
  }

  /** A target whose state lives only in this controller (the local one) is rebuilt from the recorded desired state. */
  /**
   * Makes every local target run what the store says should run (replicas, weights, header routes): at
   * start, and when the local data plane was lost and a new one started empty.
   */
  async reconcile(cluster?: string): Promise<void> {
    for (const desired of await this.deps.store.desiredState())
      if (cluster === undefined || desired.cluster === cluster) await this.restore(desired);
  }

  private async restore(desired: DesiredState): Promise<void> {
    const target = this.deps.targets.get(desired.cluster);
    if (!target || target.capabilities.liveState) return;
    const ref = { cluster: desired.cluster, service: desired.service };
    for (const group of inGroupOrder(Object.keys(desired.groups) as TrafficGroup[])) {
      const g = desired.groups[group];
      if (g)
        await target.ensureReplicas(ref, {
          group,
          version: g.version,
          replicas: g.replicas,
          maxSurge: '100%',
          deadlineMs: 120_000,
        });
    }
    await target.ensureWeights(ref, desired.weights, desired.matches ?? []);
  }

  private async currentVersions(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    for (const d of await this.deps.store.desiredState())
      if (d.groups.stable) map.set(`${d.cluster}/${d.service}`, d.groups.stable.version);
    return map;
  }

  /** A Kubernetes cluster already runs the spec's `version`; a local one runs nothing until released. */
  private assumed(cluster: string, service: string): string | undefined {
    const target = this.deps.targets.get(cluster);
    return target?.capabilities.liveState ? this.deps.spec.services[service]?.version : undefined;
  }

  private async undoTouches(releaseId: string): Promise<Touch[]> {
    const view = await this.get(releaseId);
    if (view.state.status === 'rolled-back')
      throw new SlipwayError('ROLLBACK_NOTHING_TO_DO', `release ${releaseId} was already rolled back`);
    return view.plan.touches.filter((t) =>
      [...view.state.steps.keys()].some((s) => s.includes(`${t.environment}/${t.cluster}/${t.service}/`)),
    );
  }

  private async serviceTouches(request: RollbackRequest): Promise<Touch[]> {
    const service = request.service;
    if (!service || !this.deps.spec.services[service])
      throw new SlipwayError('ROLLBACK_UNKNOWN_SERVICE', `unknown service "${service ?? ''}"`);
    const current = await this.currentVersions();
    const to =
      request.to === undefined
        ? await this.previousVersion(service, current)
        : requireVersion(request.to, 'rollback --to');
    const touches: Touch[] = [];
    for (const environment of Object.keys(this.deps.spec.environments)) {
      if (request.environments && !request.environments.includes(environment)) continue;
      for (const cluster of clustersOf(this.deps.spec, environment, service)) {
        const now = current.get(`${cluster}/${service}`);
        if (now === undefined || now === to) continue;
        touches.push({
          environment,
          cluster,
          service,
          from: to,
          to: now,
          replicas: replicasOf(this.deps.spec, environment, service),
          strategy: 'rolling',
        });
      }
    }
    return touches;
  }

  /** The version before the current one: the `from` of the latest succeeded release that installed it. */
  private async previousVersion(service: string, current: Map<string, string>): Promise<string> {
    const running = new Set([...current].filter(([k]) => k.endsWith(`/${service}`)).map(([, v]) => v));
    for (const r of await this.deps.store.releases(500)) {
      if (r.status !== 'succeeded') continue;
      const touch = (r.plan as unknown as Plan).touches.find(
        (t) => t.service === service && running.has(t.to) && t.from,
      );
      if (touch?.from) return touch.from;
    }
    throw new SlipwayError('ROLLBACK_NO_PREVIOUS', `no earlier version of ${service} is known`, {
      hint: 'name one: slipway rollback SERVICE --to VERSION',
    });
  }
}
