/**
 * An in-memory Target: groups, weights and snapshots in maps, no processes and no cluster. It keeps the
 * contract (test/targets/target-contract.ts) so that engine tests may run on it in milliseconds.
 */
import { SlipwayError } from '../../src/errors/index.js';
import type {
  CheckRequest,
  CheckResponse,
  EnsureReplicasRequest,
  GroupStatus,
  HeaderMatch,
  PreflightResult,
  ServiceRef,
  ServiceStatus,
  Snapshot,
  Target,
  TrafficGroup,
  Weights,
} from '../../src/targets/target.js';

interface ServiceState {
  groups: Map<TrafficGroup, { version: string; replicas: number }>;
  weights: Weights;
  matches: HeaderMatch[];
}

export class FakeTarget implements Target {
  readonly kind = 'fake';
  readonly capabilities = { weights: true, headerRouting: true, liveState: false } as const;
  private readonly services = new Map<string, ServiceState>();

  private state(ref: ServiceRef): ServiceState {
    let s = this.services.get(ref.service);
    if (!s) {
      s = { groups: new Map(), weights: {}, matches: [] };
      this.services.set(ref.service, s);
    }
    return s;
  }

  async preflight(): Promise<PreflightResult> {
    return { ok: true, summary: 'fake target', findings: [] };
  }

  async ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus> {
    if (request.version === 'crash')
      throw new SlipwayError('LOCAL_REPLICA_FAILED', `${ref.service}@crash crash-loops`);
    if (request.version === 'slow' && (request.deadlineMs ?? Infinity) < 5_000)
      throw new SlipwayError('LOCAL_ROLLOUT_TIMEOUT', `${ref.service}@slow missed its deadline`);
    this.state(ref).groups.set(request.group, { version: request.version, replicas: request.replicas });
    return this.group(ref, request.group);
  }

  private group(ref: ServiceRef, group: TrafficGroup): GroupStatus {
    const g = this.state(ref).groups.get(group);
    return {
      group,
      versions: g && g.replicas > 0 ? [g.version] : [],
      desired: g?.replicas ?? 0,
      ready: g?.replicas ?? 0,
      replicas: [],
    };
  }

  async ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    Object.assign(this.state(ref), { weights: { ...weights }, matches });
  }

  async promote(ref: ServiceRef, from: Exclude<TrafficGroup, 'stable'>): Promise<void> {
    const s = this.state(ref);
    const g = s.groups.get(from);
    if (g) s.groups.set('stable', { ...g });
    s.groups.delete(from);
    s.weights = { stable: 100 };
  }

  async scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    this.state(ref).groups.delete(group);
  }

  async observe(ref: ServiceRef): Promise<ServiceStatus> {
    const s = this.state(ref);
    return {
      ...ref,
      groups: [...s.groups.keys()].map((g) => this.group(ref, g)),
      weights: { ...s.weights },
      matches: s.matches,
    };
  }

  async snapshot(ref: ServiceRef): Promise<Snapshot> {
    const s = this.state(ref);
    return { groups: Object.fromEntries(s.groups), weights: s.weights };
  }

  async restore(ref: ServiceRef, snapshot: Snapshot): Promise<GroupStatus | undefined> {
    const s = this.state(ref);
    s.groups = new Map(
      Object.entries(snapshot['groups'] as Record<string, { version: string; replicas: number }>) as [
        TrafficGroup,
        { version: string; replicas: number },
      ][],
    );
    s.weights = { ...(snapshot['weights'] as Weights) };
    return s.groups.has('stable') ? this.group(ref, 'stable') : undefined;
  }

  async send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse> {
    const ready = this.group(ref, request.group ?? 'stable').ready > 0;
    return { status: ready ? 200 : 503, body: '' };
  }

  async close(): Promise<void> {}
}
