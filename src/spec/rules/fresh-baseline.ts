/**
 * @module A fresh baseline (`release.baseline: fresh`) is a third group beside stable and the canary, with
 * traffic of its own: only a canary has one, and on a Kubernetes cluster only a gateway route's backend
 * weights can give it its share (a replica-ratio split or ingress-nginx's canary Ingress has two sides).
 */
import type { SlipwayError } from '../../errors/index.js';
import { asMap, gatewayRouteRequired, type RuleContext, specError } from './raw.js';

export function checkFreshBaseline(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const release = asMap(svc.release);
    if (release['baseline'] !== 'fresh') continue;
    const at = ['services', name, 'release', 'baseline'];
    if (release.strategy !== 'canary')
      errors.push(
        specError(
          ctx,
          'SPEC_INVALID_VALUE',
          `baseline: fresh is for canary releases, not ${String(release.strategy)}`,
          at,
          {
            hint: 'a blue-green or rolling release has no canary to compare with a baseline; remove the key',
          },
        ),
      );
    else {
      const refused = gatewayRouteRequired(ctx, svc, at, {
        what: 'a fresh baseline',
        why: 'a replica-ratio split or an ingress-nginx canary Ingress has only two sides',
        at: 'value',
      });
      if (refused) errors.push(refused);
    }
  }
  return errors;
}
