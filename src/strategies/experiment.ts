/**
 * @module An experiment step (Argo Rollouts' `experiment`): each variant runs as a group of its own
 * (`experiment-<name>`) at its version, takes its share of traffic from stable, and is judged by its
 * analyses against stable — all in parallel, over the step's `for`; then the traffic goes back as it was
 * and the variants are removed. A failed analysis fails the release (which removes them too).
 */
import type { ServiceContext } from '../plan/context.js';
import type { ReleasePolicy } from '../spec/schema/release-policy.js';
import { parseDuration } from '../spec/units.js';
import type { HeaderMatch, ExperimentGroup, Weights } from '../targets/target.js';
import type { StepList } from './common.js';

export type Experiment = NonNullable<NonNullable<ReleasePolicy['steps']>[number]['experiment']>;
type Variant = Experiment['variants'][number];

export const experimentGroup = (variant: Pick<Variant, 'name'>): ExperimentGroup =>
  `experiment-${variant.name}`;

/** The version a variant runs: its own, or stable's or the canary's (Argo's specRef). */
function versionOf(c: ServiceContext, v: Variant): string {
  if (v.version !== undefined) return v.version;
  return v.specRef === 'stable' ? (c.from ?? c.to) : c.to;
}

/** Adds the experiment's steps; `now` is the traffic split when it starts, given back when it ends. */
export function experimentSteps(
  list: StepList,
  c: ServiceContext,
  experiment: Experiment,
  now: { weights: Weights; matches?: HeaderMatch[] },
): void {
  const { variants } = experiment;
  for (const v of variants) list.ensure(experimentGroup(v), versionOf(c, v), v.replicas ?? 1);
  const shares = variants.filter((v) => (v.weight ?? 0) > 0);
  const taken = shares.reduce((sum, v) => sum + v.weight!, 0);
  if (taken > 0)
    list.weights(
      {
        ...now.weights,
        stable: (now.weights.stable ?? 0) - taken,
        ...Object.fromEntries(shares.map((v) => [experimentGroup(v), v.weight!])),
      },
      now.matches,
    );
  const durationMs = parseDuration(experiment.for);
  const started = variants.flatMap((v) =>
    [v.analysis ?? []].flat().map((template) =>
      list.ownWindowAnalysis(template, durationMs, versionOf(c, v), `variant ${v.name} of the experiment`, {
        group: experimentGroup(v),
        ...(c.from !== undefined ? { baselineVersion: c.from } : {}),
      }),
    ),
  );
  if (started.length === 0) list.pause(durationMs);
  for (const s of started) list.backgroundVerdict(s);
  if (taken > 0) list.weights(now.weights, now.matches);
  for (const v of variants) list.scaleToZero(experimentGroup(v));
}

/** Every variant group a service's canary steps run: what a rollback of it must remove. */
export function experimentGroupsOf(policy: ReleasePolicy | undefined): ExperimentGroup[] {
  const groups = (policy?.steps ?? []).flatMap((s) => s.experiment?.variants.map(experimentGroup) ?? []);
  return [...new Set(groups)];
}
