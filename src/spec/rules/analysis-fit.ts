/**
 * @module Whether an analysis template can judge where a service uses it — a rule it could never apply
 * would be accepted and then ignored, or turn every release inconclusive:
 *
 * - Rules that compare the new version with the concurrent baseline (`maxIncrease` of errorRate,
 *   latencyP95 and latencyP99; `sequential`) need one: a canary has it, a rolling release and a switched
 *   blue-green stack do not (the old version serves nothing while the new one is judged).
 * - Rules on request counts (errorRate, latencyP95, latencyP99, sequential) need someone to count them: the
 *   local router does; on a Kubernetes cluster the gateway or mesh does (`provider.prometheus.gateway`).
 */
import { TRAFFIC_RULE_KEYS } from '../traffic-rules.js';
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import {
  asList,
  asMap,
  asString,
  kubernetesClustersOf,
  namedTemplates,
  type RawMap,
  type RuleContext,
  specError,
} from './raw.js';

/** The template's rules that compare with a concurrent baseline. */
function relativeRules(t: RawMap): string[] {
  const out = (['errorRate', 'latencyP95', 'latencyP99'] as const)
    .filter((k) => asMap(t[k])['maxIncrease'] !== undefined)
    .map((k) => `${k}.maxIncrease`);
  return t['sequential'] !== undefined ? [...out, 'sequential'] : out;
}

export function checkAnalysisFit(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const templates = asMap(ctx.data.analysis);
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const release = asMap(svc.release);
    const strategy = asString(release.strategy) ?? 'rolling';
    const kube = kubernetesClustersOf(ctx.data, svc).length > 0;
    const uses: { template: string; path: SpecPath; baseline: boolean }[] = [
      ...asList(release['analysis']).map((t, i) => ({
        template: String(t),
        path: ['services', name, 'release', 'analysis', i] as SpecPath,
        baseline: strategy === 'canary',
      })),
      ...asList(release.steps).flatMap((step, i) =>
        namedTemplates(asMap(step)['analysis'], ['services', name, 'release', 'steps', i, 'analysis']).map(
          (use) => ({ ...use, baseline: true }),
        ),
      ),
    ];
    for (const use of uses) {
      const t = asMap(templates[use.template]);
      const relative = relativeRules(t);
      if (!use.baseline && relative.length > 0)
        errors.push(
          specError(
            ctx,
            'SPEC_NOT_SUPPORTED',
            `analysis "${use.template}" compares with a concurrent baseline (${relative.join(', ')}), which a ${strategy} release does not have: comparing with the version before the release is not supported yet`,
            use.path,
            { hint: 'use absolute rules (errorRate.max, latencyP95.max) for it, or a canary strategy' },
          ),
        );
      const counted = TRAFFIC_RULE_KEYS.filter((k) => t[k] !== undefined);
      const gateway = asMap(asMap(t.provider).prometheus)['gateway'];
      if (kube && counted.length > 0 && gateway === undefined)
        errors.push(
          specError(
            ctx,
            'SPEC_INVALID_VALUE',
            `analysis "${use.template}" judges requests (${counted.join(', ')}), and ${name} runs on a Kubernetes cluster, which does not count them itself`,
            use.path,
            {
              hint: 'name the gateway whose metrics count them: provider: { prometheus: { url, gateway: traefik | ingress-nginx | istio } }',
            },
          ),
        );
    }
  }
  return errors;
}
