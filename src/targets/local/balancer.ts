/**
 * @module Choosing an upstream: pinned version or header match first, then the weighted split between
 * traffic groups (smooth weighted round-robin, as nginx does: exact shares with no long runs), then the
 * least-outstanding replica within the group (round-robin among ties).
 */
import type { VersionMetrics } from './metrics/version-metrics.js';
import { headerPredicate } from '../header-match.js';
import {
  type HeaderMatch,
  PIN_GROUP_HEADER,
  PIN_VERSION_HEADER,
  type TrafficGroup,
  type Weights,
} from '../target.js';

export interface Upstream {
  id: string;
  version: string;
  group: TrafficGroup;
  port: number;
  /** Requests sent and not yet answered. */
  inFlight: number;
  /** Out of rotation, waiting for its requests in flight to finish. */
  draining?: boolean;
  /** Its version's counters, found once (the router's hot path). */
  metrics?: VersionMetrics;
}

export type BalanceMode = 'least-outstanding' | 'round-robin';

export interface RequestHeaders {
  [name: string]: string | string[] | undefined;
}

export class Balancer {
  private readonly upstreams = new Map<TrafficGroup, Upstream[]>();
  private weights: Weights = { stable: 100 };
  /** Groups with a positive weight, computed once per change instead of per request. */
  private weighted: [TrafficGroup, number][] = [['stable', 100]];
  private matches: (HeaderMatch & { tests: (readonly [string, (v: string | undefined) => boolean])[] })[] =
    [];
  private readonly current = new Map<TrafficGroup, number>();
  private cursor = 0;

  constructor(private readonly mode: BalanceMode = 'least-outstanding') {}

  setWeights(weights: Weights, matches: HeaderMatch[] = []): void {
    this.weights = { ...weights };
    this.weighted = (Object.entries(weights) as [TrafficGroup, number][]).filter(([, w]) => w > 0);
    this.matches = matches.map((m) => ({
      group: m.group,
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k.toLowerCase(), v])),
      // Compiled once per rule, not per request.
      tests: Object.entries(m.headers).map(([k, v]) => [k.toLowerCase(), headerPredicate(v)] as const),
    }));
    this.current.clear();
  }

  getWeights(): Weights {
    return { ...this.weights };
  }

  getMatches(): HeaderMatch[] {
    return this.matches.map((m) => ({ group: m.group, headers: { ...m.headers } }));
  }

  add(upstream: Upstream): void {
    const list = this.upstreams.get(upstream.group) ?? [];
    if (!list.some((u) => u.id === upstream.id)) list.push(upstream);
    this.upstreams.set(upstream.group, list);
  }

  /** Takes an upstream out of rotation; requests already sent to it finish. */
  remove(id: string): Upstream | undefined {
    for (const [group, list] of this.upstreams) {
      const index = list.findIndex((u) => u.id === id);
      if (index >= 0) {
        const [removed] = list.splice(index, 1);
        if (list.length === 0) this.upstreams.delete(group);
        return removed;
      }
    }
    return undefined;
  }

  ready(group?: TrafficGroup): Upstream[] {
    if (group) return [...(this.upstreams.get(group) ?? [])];
    return [...this.upstreams.values()].flat();
  }

  /** The upstream for a request, or undefined when nothing suitable is ready. `exclude` skips replicas already tried. */
  pick(headers: RequestHeaders, exclude?: ReadonlySet<string>): Upstream | undefined {
    const pinnedVersion = header(headers, PIN_VERSION_HEADER);
    if (pinnedVersion !== undefined) {
      return this.leastOutstanding(
        this.ready().filter((u) => u.version === pinnedVersion),
        exclude,
      );
    }
    const pinnedGroup = header(headers, PIN_GROUP_HEADER);
    if (pinnedGroup !== undefined)
      return this.leastOutstanding(this.upstreams.get(pinnedGroup as TrafficGroup), exclude);
    for (const match of this.matches) {
      if (match.tests.every(([k, test]) => test(header(headers, k)))) {
        const chosen = this.leastOutstanding(this.upstreams.get(match.group), exclude);
        if (chosen) return chosen;
      }
    }
    const group = this.pickGroup(exclude);
    return group ? this.leastOutstanding(this.upstreams.get(group), exclude) : undefined;
  }

  /** Smooth weighted round-robin over groups that have a ready upstream and a positive weight. */
  private pickGroup(exclude?: ReadonlySet<string>): TrafficGroup | undefined {
    if (this.weighted.length === 1) {
      const [group] = this.weighted[0]!;
      return this.hasCandidate(group, exclude) ? group : undefined;
    }
    let total = 0;
    let best: TrafficGroup | undefined;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const [group, weight] of this.weighted) {
      if (!this.hasCandidate(group, exclude)) continue;
      const value = (this.current.get(group) ?? 0) + weight;
      this.current.set(group, value);
      total += weight;
      if (value > bestValue) {
        bestValue = value;
        best = group;
      }
    }
    if (best) this.current.set(best, bestValue - total);
    return best;
  }

  private hasCandidate(group: TrafficGroup, exclude?: ReadonlySet<string>): boolean {
    const list = this.upstreams.get(group);
    if (!list || list.length === 0) return false;
    return !exclude || list.some((u) => !exclude.has(u.id));
  }

  private leastOutstanding(
    list: readonly Upstream[] | undefined,
    exclude?: ReadonlySet<string>,
  ): Upstream | undefined {
    if (!list || list.length === 0) return undefined;
    const n = list.length;
    const start = this.cursor++ % n;
    let best: Upstream | undefined;
    for (let i = 0; i < n; i++) {
      const u = list[(start + i) % n]!;
      if (exclude?.has(u.id)) continue;
      if (this.mode === 'round-robin') return u;
      if (!best || u.inFlight < best.inFlight) best = u;
    }
    return best;
  }
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
