/** @module A serving workload has an SLO or alerts. */
import { isLongRunning, namespaceOf, serviceNameOf } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const sloMissing: Rule = {
  id: 'slo-missing',
  severity: 'warning',
  title: 'No SLO or alert rules',
  rationale:
    'Without an SLO or alerts nobody learns that the service is failing until users say so, and a release has nothing to be judged against after it finishes.',
  fix: 'Add services.<name>.slos (rendered into burn-rate alerts) or services.<name>.alerts, or a PrometheusRule that names the service.',
  manifestFix: 'Add a PrometheusRule with alerts (or SLO burn-rate alerts) that name the service.',
  check(object, ctx) {
    if (!isLongRunning(object)) return [];
    const service = serviceNameOf(object);
    const mentioned = ctx.kind('PrometheusRule', namespaceOf(object)).some((rule) => {
      const labels = rule.metadata.labels ?? {};
      return (
        Object.values(labels).includes(service) ||
        JSON.stringify(rule['spec'] ?? {}).includes(`"${service}"`) ||
        JSON.stringify(rule['spec'] ?? {}).includes(`job=\\"${service}\\"`)
      );
    });
    return mentioned
      ? []
      : [{ message: `no PrometheusRule in namespace ${namespaceOf(object)} covers ${service}` }];
  },
};
