/** @module A release policy's keys that only some strategies can act on, and a rollout that could never progress. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { asMap, keyErrors, type RuleContext } from './raw.js';

const isZero = (v: unknown) => v === 0 || v === '0%';

export function checkReleaseKeys(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const at: SpecPath = ['services', name];
    const release = asMap(svc.release);
    if (
      release.steps !== undefined &&
      (release.strategy === 'rolling' || release.strategy === 'blue-green')
    ) {
      add('SPEC_INVALID_VALUE', `"steps" apply to the canary strategy, not "${String(release.strategy)}"`, [
        ...at,
        'release',
        'steps',
      ]);
    }
    if (release.steps !== undefined && release['analysis'] !== undefined && release.strategy === 'canary') {
      // Beside steps, the analysis runs in the background from the first step that sends the canary traffic:
      // with none, it would never see a canary request, and a key that cannot act must not be accepted.
      const steps = Array.isArray(release.steps) ? (release.steps as Record<string, unknown>[]) : [];
      const traffic = steps.some(
        (s) => (typeof s?.['weight'] === 'number' && s['weight'] > 0) || s?.['match'] !== undefined,
      );
      if (!traffic)
        add(
          'SPEC_INVALID_VALUE',
          'a background analysis ("analysis" beside "steps") needs a step that sends the canary traffic, and no step does',
          [...at, 'release', 'analysis'],
          'add a { weight: N } step (N > 0) or a { match: … } step; the analysis starts at the first of them and runs until the promotion',
        );
    }
    if (release['autoPromote'] !== undefined && (release.strategy ?? 'rolling') === 'rolling') {
      add(
        'SPEC_INVALID_VALUE',
        '"autoPromote" applies to canary and blue-green releases: a rolling release has no promotion to hold',
        [...at, 'release', 'autoPromote'],
      );
    }
    for (const key of ['previewChecks', 'scaleDownDelay'] as const)
      if (release[key] !== undefined && release.strategy !== 'blue-green')
        add(
          'SPEC_INVALID_VALUE',
          `"${key}" applies to blue-green releases, not "${String(release.strategy ?? 'rolling')}": only they have a preview stack and an old one kept`,
          [...at, 'release', key],
          key === 'previewChecks'
            ? '"checks" run against the new version whatever the strategy (a canary also takes { check: NAME } steps)'
            : 'a canary is emptied after its promotion and a rolling release replaces in place: there is no old stack to keep',
        );
    if (isZero(release.maxSurge) && isZero(release.maxUnavailable)) {
      add(
        'SPEC_INVALID_VALUE',
        'maxSurge and maxUnavailable are both 0: the rollout could never make progress',
        [...at, 'release', 'maxSurge'],
      );
    }
  }
  return errors;
}
