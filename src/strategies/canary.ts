/** @module Canary: a second replica set at the new version, traffic moved in weight steps, judged at each. */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import type { ReleasePolicy } from '../spec/schema/release-policy.js';
import { parseDuration } from '../spec/units.js';
import { analysisDuration, StepList } from './common.js';
import { experimentSteps } from './experiment.js';
import type { HeaderValue } from '../targets/header-match.js';
import type { Weights } from '../targets/target.js';

/** When a canary release lists no steps: 20 %, its analyses, 50 %, its analyses. */
const DEFAULT_WEIGHTS = [20, 50];

export function canarySteps(c: ServiceContext): Step[] {
  const policy = c.definition.release;
  type CanaryStep = NonNullable<ReleasePolicy['steps']>[number];
  const steps: CanaryStep[] =
    policy?.steps ??
    DEFAULT_WEIGHTS.flatMap((weight) => [
      { weight },
      ...(policy?.analysis ?? []).map((analysis): CanaryStep => ({ analysis })),
    ]);
  // Capacity follows traffic: before a weight moves up the canary has the replicas for its share, and
  // after it moves down it gives the extra back (at least one replica while the canary runs) — unless a
  // scale step fixed its size (Argo's setCanaryScale), which holds until `scale: matchTrafficWeight`.
  let fixed: number | undefined;
  const replicasFor = (weight: number) => fixed ?? Math.max(1, Math.ceil((c.replicas * weight) / 100));
  const first = steps.find(
    (s) => s.weight !== undefined || (s.scale !== undefined && s.scale !== 'matchTrafficWeight'),
  );
  if (first?.scale !== undefined && first.scale !== 'matchTrafficWeight')
    fixed = scaleOf(first.scale, c.replicas);
  let replicas = replicasFor(first?.weight ?? 0);
  // A fresh baseline (Kayenta's baseline-vs-canary): stable's version started with the canary, as large and
  // with as much traffic, so the analyses compare pods of the same age instead of warm stable ones.
  const baseline = policy?.baseline === 'fresh' && c.from !== undefined ? c.from : undefined;
  const list = new StepList(c, baseline ? 'baseline' : undefined);
  const ensure = (n: number) => {
    list.ensure('canary', c.to, n);
    if (baseline) list.ensure('baseline', baseline, n);
  };
  ensure(replicas);
  let weight = 0;
  // A header route holds from its match step until promotion, through later weight steps (Argo's setHeaderRoute).
  let matches: { headers: Record<string, HeaderValue>; group: 'canary' }[] | undefined;
  const resize = (need: number) => {
    if (need !== replicas) ensure((replicas = need));
  };
  const moveTo = (next: number) => {
    const need = replicasFor(next);
    if (need > replicas) resize(need);
    list.weights(split(next, baseline !== undefined), matches);
    if (need < replicas) resize(need);
    weight = next;
  };
  // release.analysis beside steps runs in the background from the first step that gives the canary
  // traffic until the promotion (Argo's canary.analysis); without steps it is an analysis at each weight.
  const backgroundTemplates = policy?.steps ? (policy.analysis ?? []) : [];
  let background: Extract<Step, { kind: 'background-analysis' }>[] | undefined;
  const startBackground = () => {
    if (background || backgroundTemplates.length === 0 || (weight === 0 && !matches)) return;
    background = backgroundTemplates.map((template) =>
      list.background(template, analysisDuration(c, template), c.to, c.from),
    );
  };
  for (const step of steps) {
    if (step.weight !== undefined) {
      moveTo(step.weight);
      startBackground();
      // { weight, for }: the weight holds this long before the next step.
      if (step.for) list.pause(parseDuration(step.for));
    } else if (step.scale !== undefined) {
      fixed = step.scale === 'matchTrafficWeight' ? undefined : scaleOf(step.scale, c.replicas);
      resize(replicasFor(weight));
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
      experimentSteps(list, c, step.experiment, {
        weights: split(weight, baseline !== undefined),
        ...(matches ? { matches } : {}),
      });
    } else if (step.match !== undefined) {
      matches = [{ headers: step.match.headers, group: 'canary' }];
      moveTo(weight);
      startBackground();
      if (step.match.for) list.pause(parseDuration(step.match.for));
    }
  }
  for (const check of policy?.checks ?? []) list.check(check, 'canary', c.to);
  // autoPromote: false — a person says when: `slipway promote` continues, `slipway abort` rolls back.
  if (policy?.autoPromote === false) list.pause(undefined, true);
  for (const started of background ?? []) list.backgroundVerdict(started);
  if (baseline) {
    // Judged: the baseline's share goes back to stable (the same version) before its pods go.
    if (split(weight, true).baseline) list.weights(split(weight, false), matches);
    list.scaleToZero('baseline');
  }
  return list.promote('canary', c.to, c.replicas).record(c.to).steps;
}

/**
 * The canary's weight, with a fresh baseline: as much traffic as the canary while stable can give it (up
 * to 50 %), then what stable has left.
 */
function split(canary: number, withBaseline: boolean): Weights {
  if (!withBaseline) return { stable: 100 - canary, canary };
  const baseline = Math.min(canary, 100 - canary);
  return { stable: 100 - canary - baseline, canary, baseline };
}

/** A fixed canary size: so many replicas, or a percentage of the service's (at least one). */
function scaleOf(scale: { replicas: number } | { percent: number }, total: number): number {
  return 'replicas' in scale ? scale.replicas : Math.max(1, Math.ceil((total * scale.percent) / 100));
}
