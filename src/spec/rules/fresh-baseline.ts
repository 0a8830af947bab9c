/**
 * @module A fresh baseline (`release.baseline: fresh`) is a third group beside stable and the canary, with
 * traffic of its own: only a canary has one, and on a Kubernetes cluster only a gateway route's backend
 * weights can give it its share (a replica-ratio split or ingress-nginx's canary Ingress has two sides).
 */
import type { SlipwayError } from '../../errors/index.js';
import { asMap, gatewayRouted, kubernetesClustersOf, type RuleContext, specError } from './raw.js';

export function checkFreshBaseline(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const release = asMap(svc.release);
    if (release['baseline'] !== 'fresh') continue;
    const kubernetes = kubernetesClustersOf(ctx.data, svc);
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
    else if (kubernetes.length > 0 && !gatewayRouted(svc))
      errors.push(
        specError(
          ctx,
          'SPEC_NOT_SUPPORTED',
          `not supported yet: a fresh baseline on Kubernetes clusters (${kubernetes.join(', ')}) for a service without a gateway route`,
          at,
          {
            hint: 'expose it through a Gateway API HTTPRoute (expose: { type: public, host, via: gateway }): a replica-ratio split or an ingress-nginx canary Ingress has only two sides',
          },
        ),
      );
  }
  return errors;
}
