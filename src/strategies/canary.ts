/** @module Canary: a second replica set at the new version, traffic moved in weight steps, judged at each. */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import type { ReleasePolicy } from '../spec/schema/release-policy.js';
import { parseDuration } from '../spec/units.js';
import { analysisDuration, StepList } from './common.js';
import { holdBeforePromotion } from './promotion-policy.js';
import { experimentSteps } from './experiment.js';
import type { HeaderValue } from '../targets/header-match.js';
import type { Weights } from '../targets/target.js';

/** When a canary release lists no steps: 20 %, its analyses, 50 %, its analyses. */
const DEFAULT_WEIGHTS = [20, 50];

type CanaryStep = NonNullable<ReleasePolicy['steps']>[number];

export function canarySteps(c: ServiceContext): Step[] {
  const policy = c.definition.release;
  const steps: CanaryStep[] =
    policy?.steps ??
    DEFAULT_WEIGHTS.flatMap((weight) => [
      { weight },
      ...(policy?.analysis ?? []).map((analysis): CanaryStep => ({ analysis })),
    ]);
  const plan = new CanaryPlan(c, steps);
  for (const step of steps) plan.add(step);
  return plan.finish();
}

/** The canary's steps as they are planned, one spec step at a time, with what each leaves in place. */
class CanaryPlan {
  private readonly list: StepList;
  /** A fresh baseline's version (Kayenta's baseline-vs-canary): stable's, started with the canary. */
  private readonly baseline: string | undefined;
  /** release.analysis beside steps: in the background from the first step that gives the canary traffic. */
  private readonly backgroundTemplates: string[];
  private background: Extract<Step, { kind: 'background-analysis' }>[] | undefined;
  /** A size a scale step fixed (Argo's setCanaryScale), held until `scale: matchTrafficWeight`. */
  private fixed: number | undefined;
  private replicas: number;
  private weight = 0;
  /** A header route holds from its match step until promotion (Argo's setHeaderRoute). */
  private matches: { headers: Record<string, HeaderValue>; group: 'canary' }[] | undefined;

  constructor(
    private readonly c: ServiceContext,
    steps: CanaryStep[],
  ) {
    const policy = c.definition.release;
    this.baseline = policy?.baseline === 'fresh' && c.from !== undefined ? c.from : undefined;
    this.list = new StepList(c, this.baseline ? 'baseline' : undefined);
    this.backgroundTemplates = policy?.steps ? (policy.analysis ?? []) : [];
    const first = steps.find(
      (s) => s.weight !== undefined || (s.scale !== undefined && s.scale !== 'matchTrafficWeight'),
    );
    if (first?.scale !== undefined && first.scale !== 'matchTrafficWeight')
      this.fixed = scaleOf(first.scale, c.replicas);
    this.replicas = this.replicasFor(first?.weight ?? 0);
    this.ensure(this.replicas);
  }

  add(step: CanaryStep): void {
    const { list, c } = this;
    if (step.weight !== undefined) {
      this.moveTo(step.weight);
      // { weight, for }: the weight holds this long before the next step.
      if (step.for) list.pause(parseDuration(step.for));
    } else if (step.scale !== undefined) {
      this.fixed = step.scale === 'matchTrafficWeight' ? undefined : scaleOf(step.scale, c.replicas);
      this.resize(this.replicasFor(this.weight));
    } else if (step.pause !== undefined) {
      if (typeof step.pause === 'string') list.pause(parseDuration(step.pause));
      else if (typeof step.pause === 'number') list.pause(step.pause * 1000);
      else list.pause(undefined, true);
    } else if (Array.isArray(step.analysis)) {
      const longest = Math.max(...step.analysis.map((t) => analysisDuration(c, t, step.for)));
      list.parallelAnalyses(step.analysis, longest, c.to, c.from, step.args);
    } else if (step.analysis !== undefined) {
      list.analysis(step.analysis, analysisDuration(c, step.analysis, step.for), c.to, c.from, step.args);
    } else if (step.check !== undefined) {
      list.check(step.check, 'canary', c.to);
    } else if (step.experiment !== undefined) {
      const now = this.weights(this.baseline !== undefined);
      experimentSteps(list, c, step.experiment, {
        weights: now,
        ...(this.matches ? { matches: this.matches } : {}),
      });
    } else if (step.match !== undefined) {
      this.matches = [{ headers: step.match.headers, group: 'canary' }];
      this.moveTo(this.weight);
      if (step.match.for) list.pause(parseDuration(step.match.for));
    }
  }

  /** The end: checks, a person's promote when asked, the background verdicts, the baseline gone, promotion. */
  finish(): Step[] {
    const { list, c } = this;
    const policy = c.definition.release;
    for (const check of policy?.checks ?? []) list.check(check, 'canary', c.to);
    // autoPromote: false — a person says when: `slipway promote` continues, `slipway abort` rolls back.
    holdBeforePromotion(list, policy?.autoPromote);
    for (const started of this.background ?? []) list.backgroundVerdict(started);
    if (this.baseline) {
      // Judged: the baseline's share goes back to stable (the same version) before its pods go.
      if (this.weights(true).baseline) list.weights(this.weights(false), this.matches);
      list.scaleToZero('baseline');
    }
    return list.promote('canary', c.to, c.replicas).record(c.to).steps;
  }

  /**
   * Capacity follows traffic: before a weight moves up the canary has the replicas for its share, and after
   * it moves down it gives the extra back (at least one replica while the canary runs).
   */
  private moveTo(next: number): void {
    const need = this.replicasFor(next);
    if (need > this.replicas) this.resize(need);
    this.weight = next;
    this.list.weights(this.weights(this.baseline !== undefined), this.matches);
    if (need < this.replicas) this.resize(need);
    this.startBackground();
  }

  private replicasFor(weight: number): number {
    return this.fixed ?? Math.max(1, Math.ceil((this.c.replicas * weight) / 100));
  }

  private resize(need: number): void {
    if (need !== this.replicas) this.ensure((this.replicas = need));
  }

  /** The canary at `n` replicas, and a fresh baseline as large. */
  private ensure(n: number): void {
    this.list.ensure('canary', this.c.to, n);
    if (this.baseline) this.list.ensure('baseline', this.baseline, n);
  }

  /** Background analyses start with the first traffic the canary gets (a weight, or a header route). */
  private startBackground(): void {
    if (this.background || this.backgroundTemplates.length === 0 || (this.weight === 0 && !this.matches))
      return;
    const { c } = this;
    this.background = this.backgroundTemplates.map((template) =>
      this.list.background(template, analysisDuration(c, template), c.to, c.from),
    );
  }

  /**
   * The split at the canary's weight; with a fresh baseline, it takes as much traffic as the canary while
   * stable can give it (up to 50 %), then what stable has left.
   */
  private weights(withBaseline: boolean): Weights {
    const canary = this.weight;
    if (!withBaseline) return { stable: 100 - canary, canary };
    const baseline = Math.min(canary, 100 - canary);
    return { stable: 100 - canary - baseline, canary, baseline };
  }
}

/** A fixed canary size: so many replicas, or a percentage of the service's (at least one). */
function scaleOf(scale: { replicas: number } | { percent: number }, total: number): number {
  return 'replicas' in scale ? scale.replicas : Math.max(1, Math.ceil((total * scale.percent) / 100));
}
