/** @module Step builders shared by the strategies. */
import { judgesTraffic } from '../spec/traffic-rules.js';
import { type ServiceContext, stepPrefix } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import { parseDuration } from '../spec/units.js';
import { GATEWAY_COUNTS_BY } from '../spec/gateways.js';
import type { HeaderValue } from '../targets/header-match.js';
import type { ExperimentGroup, TrafficGroup } from '../targets/target.js';
import { policyBounds } from './promotion-policy.js';
import { ratioReplicas } from './replica-ratio.js';

/** How long a replica set may take to become ready (the spec's progressDeadline, else 5 minutes). */
export function deadlineOf(c: ServiceContext): number {
  const d = c.definition.release?.progressDeadline ?? c.definition.release?.healthTimeout;
  return d ? parseDuration(d) : 300_000;
}

export class StepList {
  readonly steps: Step[] = [];
  private n = 0;
  /**
   * @param baselineGroup analyses compare the canary with this group (a fresh baseline), not with stable's
   * pods.
   */
  constructor(
    private readonly c: ServiceContext,
    private readonly baselineGroup?: 'baseline',
  ) {}

  private base(kind: string, title: string) {
    this.n++;
    return {
      id: `${stepPrefix(this.c)}/${String(this.n).padStart(2, '0')}-${kind}`,
      title,
      environment: this.c.environment,
      cluster: this.c.cluster,
      service: this.c.service,
    };
  }

  ensure(
    group: TrafficGroup,
    version: string,
    replicas: number,
    bounds: { maxSurge?: number | `${number}%`; maxUnavailable?: number | `${number}%` } = {},
  ): this {
    this.steps.push({
      ...this.base('ensure', `${group} runs ${replicas} × ${version}`),
      kind: 'ensure-replicas',
      cluster: this.c.cluster,
      service: this.c.service,
      group,
      version,
      replicas,
      ...bounds,
      deadlineMs: deadlineOf(this.c),
    });
    return this;
  }

  weights(
    weights: Partial<Record<TrafficGroup, number>>,
    matches?: { headers: Record<string, HeaderValue>; group: TrafficGroup }[],
  ): this {
    const text =
      Object.entries(weights)
        .map(([g, w]) => `${g} ${w}%`)
        .join(', ') + ratioNote(this.c, weights);
    this.steps.push({
      ...this.base(
        'weights',
        matches?.length
          ? `traffic ${text}; headers ${JSON.stringify(matches[0]?.headers)} → ${matches[0]?.group}`
          : `traffic ${text}`,
      ),
      kind: 'set-weights',
      cluster: this.c.cluster,
      service: this.c.service,
      weights,
      ...(matches ? { matches } : {}),
    });
    return this;
  }

  check(name: string, group: TrafficGroup, version: string): this {
    this.steps.push({
      ...this.base('check', `check ${name} against ${group}`),
      kind: 'check',
      cluster: this.c.cluster,
      service: this.c.service,
      check: name,
      group,
      version,
    });
    return this;
  }

  /**
   * A background analysis (Argo's `canary.analysis`): it starts here and watches every later step; a failure
   * at any of them rolls the release back. Answers the step's id, which its verdict step names.
   */
  background(
    template: string,
    durationMs: number,
    version: string,
    baselineVersion?: string,
  ): Extract<Step, { kind: 'background-analysis' }> {
    const step = {
      ...this.base(
        'background',
        `analysis ${template} of ${version}${this.versus(baselineVersion)} starts in the background: it judges every step until the promotion and fails the release at any of them`,
      ),
      kind: 'background-analysis' as const,
      window: 'until-closed' as const,
      ...this.judged(template, durationMs, version, baselineVersion),
    };
    this.steps.push(step);
    return step;
  }

  /**
   * Several analyses of one step, in parallel over the same window: each starts here, the first failure
   * fails the step at once, and a closing step per analysis waits for its verdict.
   */
  parallelAnalyses(
    templates: string[],
    durationMs: number,
    version: string,
    baselineVersion?: string,
    args?: Record<string, string>,
  ): this {
    const started = templates.map((template) =>
      this.ownWindowAnalysis(
        template,
        durationMs,
        version,
        `in parallel with ${templates.filter((t) => t !== template).join(', ')}`,
        { ...(baselineVersion ? { baselineVersion } : {}), ...(args ? { args } : {}) },
      ),
    );
    for (const s of started) this.backgroundVerdict(s);
    return this;
  }

  /**
   * An analysis over a window of its own that runs beside the next steps until its verdict step
   * (backgroundVerdict): one of a step's parallel analyses, or an experiment variant's (`group`).
   */
  ownWindowAnalysis(
    template: string,
    durationMs: number,
    version: string,
    note: string,
    more: { baselineVersion?: string; args?: Record<string, string>; group?: ExperimentGroup },
  ): Extract<Step, { kind: 'background-analysis' }> {
    const of = more.group ? `${more.group} (${version})` : version;
    const step = {
      ...this.base(
        'analysis',
        `analysis ${template}${argsNote(more.args)} of ${of}${this.versus(more.baselineVersion)} for ${Math.round(durationMs / 1000)}s, ${note}`,
      ),
      kind: 'background-analysis' as const,
      window: 'own' as const,
      ...this.judged(template, durationMs, version, more.baselineVersion, more.args, more.group),
    };
    this.steps.push(step);
    return step;
  }

  /** What an analysis of this service judges, here. */
  private judged(
    template: string,
    durationMs: number,
    version: string,
    baselineVersion?: string,
    args?: Record<string, string>,
    group?: ExperimentGroup,
  ) {
    const where = { cluster: this.c.cluster, service: this.c.service };
    return {
      ...where,
      template,
      durationMs,
      version,
      ...(group ? { group } : {}),
      ...(baselineVersion ? { baselineVersion } : {}),
      ...(baselineVersion && this.baselineGroup ? { baselineGroup: this.baselineGroup } : {}),
      ...(args ? { args } : {}),
    };
  }

  /** How the plan names what an analysis compares the canary with. */
  private versus(baselineVersion: string | undefined): string {
    if (!baselineVersion) return '';
    return this.baselineGroup ? ` vs a fresh baseline of ${baselineVersion}` : ` vs ${baselineVersion}`;
  }

  /** The verdict of a background analysis: its window closes (or has its own end), and it must have decided. */
  backgroundVerdict(started: Extract<Step, { kind: 'background-analysis' }>): this {
    const since = started.id.split('/').pop();
    this.steps.push({
      ...this.base(
        'analysis',
        started.window === 'own'
          ? `analysis ${started.template} (started at ${since}): its verdict`
          : `analysis ${started.template} (background since ${since}) closes: the promotion waits until it has decided`,
      ),
      kind: 'analysis',
      ...this.judged(
        started.template,
        started.durationMs,
        started.version,
        started.baselineVersion,
        started.args,
        started.group,
      ),
      endsBackground: started.id,
    });
    return this;
  }

  analysis(
    template: string,
    durationMs: number,
    version: string,
    baselineVersion?: string,
    args?: Record<string, string>,
  ): this {
    const t = this.c.spec.analysis?.[template];
    const extendsTo = t?.maxDuration ? parseDuration(t.maxDuration) : 0;
    const sequential = baselineVersion !== undefined && t !== undefined && usesSequentialTest(t);
    const length =
      t?.count !== undefined
        ? `for ${t.count} measurements, one every ${t.interval ?? '5s'} (at most ${Math.round(durationMs / 1000)}s)`
        : extendsTo > durationMs
          ? `for ${Math.round(durationMs / 1000)}s, up to ${Math.round(extendsTo / 1000)}s until decided`
          : sequential && !t.maxDuration && t.decision !== 'fixed-window'
            ? `for ${Math.round(durationMs / 1000)}s, then on until decided (while traffic can reach its maximum sample, at most 10 min more)`
            : `for ${Math.round(durationMs / 1000)}s`;
    // A sequential analysis's sample sizes are added once the plan knows its α share (plan/sample-sizes.ts).
    const design = t?.decision === 'fixed-window' ? ' (fixed window: the miss rate is not bounded)' : '';
    this.steps.push({
      ...this.base(
        'analysis',
        `analysis ${template}${argsNote(args)} of ${version}${this.versus(baselineVersion)} ${length}${design}${gatewayNote(this.c, t, baselineVersion)}`,
      ),
      kind: 'analysis',
      ...this.judged(template, durationMs, version, baselineVersion, args),
    });
    return this;
  }

  /** A timed pause; with `untilPromoted`, a wait for `slipway promote` (at most `durationMs` when given). */
  pause(durationMs: number | undefined, untilPromoted = false): this {
    const seconds = `${Math.round((durationMs ?? 0) / 1000)}s`;
    this.steps.push({
      ...this.base(
        'pause',
        !untilPromoted
          ? `pause ${seconds}`
          : durationMs === undefined
            ? 'pause until `slipway promote`'
            : `pause until \`slipway promote\`, at most ${seconds}: then on by itself`,
      ),
      kind: 'pause',
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(untilPromoted ? { untilPromoted } : {}),
    });
    return this;
  }

  promote(from: 'canary' | 'preview', version: string, replicas: number): this {
    this.steps.push({
      ...this.base('promote', `promote ${from} ${version} to stable`),
      kind: 'promote',
      cluster: this.c.cluster,
      service: this.c.service,
      from,
      version,
      replicas,
      // Stable is replaced by the new version within the policy's bounds, as a rolling release would be.
      ...policyBounds(this.c.definition.release),
    });
    return this;
  }

  scaleToZero(group: TrafficGroup): this {
    this.steps.push({
      ...this.base('scale', `${group} scaled to zero`),
      kind: 'scale-to-zero',
      cluster: this.c.cluster,
      service: this.c.service,
      group,
    });
    return this;
  }

  record(version: string): this {
    this.steps.push({
      ...this.base('record', `record ${this.c.service}@${version} on ${this.c.cluster}`),
      kind: 'record-version',
      environment: this.c.environment,
      cluster: this.c.cluster,
      service: this.c.service,
      version,
    });
    return this;
  }
}

/** The arguments a step gives its analysis, as the plan shows them: ` (route=/checkout)`. */
function argsNote(args: Record<string, string> | undefined): string {
  const pairs = Object.entries(args ?? {});
  return pairs.length ? ` (${pairs.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
}

/**
 * The analysis duration when a step or rolling release gives none: count × interval for a template that
 * counts its measurements, else its maxDuration, else 30 s.
 */
export function analysisDuration(c: ServiceContext, template: string, explicit?: string): number {
  if (explicit) return parseDuration(explicit);
  const t = c.spec.analysis?.[template];
  if (t?.count !== undefined) return t.count * (t.interval ? parseDuration(t.interval) : 5000);
  return t?.maxDuration ? parseDuration(t.maxDuration) : 30_000;
}

/**
 * On a Kubernetes cluster, a service with neither a gateway route nor an ingress-nginx Ingress (whose
 * canary Ingress carries a weight) splits a canary's traffic by replica ratio.
 */
function byReplicaRatio(c: ServiceContext): boolean {
  const cluster = c.spec.environments[c.environment]?.clusters[c.cluster];
  const expose = c.definition.expose;
  const exposed = expose?.type === 'public' && expose.host !== undefined;
  const routed = exposed && (expose.via !== 'ingress' || /nginx/.test(expose.ingressClass ?? ''));
  return cluster?.kubernetes !== undefined && !routed;
}

/** A gateway that counts per Service cannot tell a replica-ratio canary (same Service) from stable. */
function gatewayNote(c: ServiceContext, t: Template | undefined, baselineVersion?: string): string {
  const gateway =
    t?.provider && t.provider !== 'builtin' && 'prometheus' in t.provider
      ? t.provider.prometheus.gateway
      : undefined;
  if (!baselineVersion || !gateway || gateway === 'envoy-gateway' || !byReplicaRatio(c)) return '';
  if (GATEWAY_COUNTS_BY[gateway] !== 'service') return '';
  return ` — warning: ${gateway} counts requests per Service, which this replica-ratio canary shares with stable: the analysis will be inconclusive (expose it through a gateway route, or use istio)`;
}

/**
 * On a Kubernetes cluster without a gateway route, a canary's share of traffic is its share of the pods:
 * the plan says what the asked weight becomes, and warns when whole pods are far from it.
 */
function ratioNote(c: ServiceContext, weights: Partial<Record<TrafficGroup, number>>): string {
  const asked = weights.canary;
  if (asked === undefined || asked === 0 || asked === 100) return '';
  if (!byReplicaRatio(c)) return '';
  const split = ratioReplicas(c.replicas, weights);
  const effective = split.effective;
  const warning =
    Math.abs(effective - asked) > 5 ? ` — warning: ${asked}% asked, whole pods give ${effective}%` : '';
  return ` (by replica ratio: ${split.canary} canary and ${split.stable} stable pods = ${effective}%${warning})`;
}

type Template = NonNullable<ServiceContext['spec']['analysis']>[string];

export const usesSequentialTest = (t: Template) => judgesTraffic(t);
