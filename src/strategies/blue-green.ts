/** @module Blue-green: a full preview stack, checked, then all traffic switched; the old stack kept a while. */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import { parseDuration } from '../spec/units.js';
import { analysisDuration, StepList } from './common.js';
import { holdBeforePromotion } from './promotion-policy.js';

export function blueGreenSteps(c: ServiceContext): Step[] {
  const policy = c.definition.release;
  const list = new StepList(c).ensure('preview', c.to, c.replicas);
  for (const check of policy?.previewChecks ?? []) list.check(check, 'preview', c.to);
  // autoPromote: false (Argo's autoPromotionEnabled: false) — the checked preview stack waits for
  // `slipway promote` before it gets any production traffic; `slipway abort` drops it.
  holdBeforePromotion(list, policy?.autoPromote);
  // The switch. The old stack keeps running, so switching back is instant until it is scaled down.
  list.weights({ preview: 100 });
  // Judged alone, as Argo Rollouts' post-promotion analysis: after the switch the old stack serves nothing.
  for (const template of policy?.analysis ?? []) list.analysis(template, analysisDuration(c, template), c.to);
  for (const check of policy?.checks ?? []) list.check(check, 'preview', c.to);
  if (policy?.scaleDownDelay) list.pause(parseDuration(policy.scaleDownDelay));
  return list.promote('preview', c.to, c.replicas).record(c.to).steps;
}
