/** @module What a release policy asks of a promotion: a hold before it (autoPromote), and stable's bounds in it. */
import type { ReleasePolicy } from '../spec/schema/release-policy.js';
import { parseDuration } from '../spec/units.js';
import { boundsOf, type RolloutBounds } from '../targets/target.js';
import type { StepList } from './common.js';

/**
 * The hold before a promotion `autoPromote` asks for: false waits for `slipway promote`; a duration waits
 * for it at most that long (Argo's autoPromotionSeconds); true or nothing holds nothing.
 */
export function holdBeforePromotion(list: StepList, autoPromote: boolean | string | undefined): void {
  if (autoPromote === false) list.pause(undefined, true);
  else if (typeof autoPromote === 'string') list.pause(parseDuration(autoPromote), true);
}

/** The release policy's maxSurge / maxUnavailable as rollout bounds (the schema checked their form). */
export const policyBounds = (policy: ReleasePolicy | undefined): RolloutBounds =>
  boundsOf(policy as RolloutBounds | undefined);
