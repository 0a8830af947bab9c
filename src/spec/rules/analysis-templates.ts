/** @module An analysis template's metrics must decide, its providers be reachable, and its gateway have counts to read. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { judgesTraffic } from '../traffic-rules.js';
import { asList, asMap, keyErrors, type RuleContext } from './raw.js';

export function checkAnalysisTemplates(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
  for (const [name, raw] of Object.entries(asMap(ctx.data.analysis))) {
    const tpl = asMap(raw);
    asList(tpl.metrics).forEach((m, i) => {
      const metric = asMap(m);
      if (metric.max === undefined && metric.min === undefined && metric.maxIncrease === undefined) {
        add('SPEC_MISSING_KEY', 'a metric needs "max", "min" or "maxIncrease" to decide', [
          'analysis',
          name,
          'metrics',
          i,
        ]);
      }
    });
    for (const kind of ['prometheus', 'web'] as const) {
      const settings = asMap(tpl.provider)[kind];
      if (settings !== undefined && asMap(settings).url === undefined && asMap(settings).urlEnv === undefined)
        add('SPEC_MISSING_KEY', `the ${kind} provider needs "url" or "urlEnv"`, [
          'analysis',
          name,
          'provider',
          kind,
        ]);
    }
    // A web provider's metric queries are JSONPaths into its answer.
    if (asMap(tpl.provider)['web'] !== undefined)
      asList(tpl.metrics).forEach((m, i) => {
        const query = asMap(m)['query'];
        if (typeof query === 'string' && !query.trim().startsWith('$'))
          add(
            'SPEC_INVALID_VALUE',
            `a web provider's metric query is a JSONPath ($.data.value), got ${JSON.stringify(query.slice(0, 60))}`,
            ['analysis', name, 'metrics', i, 'query'],
          );
      });
    const prom = asMap(asMap(tpl.provider)['prometheus']);
    const at: SpecPath = ['analysis', name, 'provider', 'prometheus', 'gateway'];
    if (prom['gateway'] === 'envoy-gateway')
      add(
        'SPEC_NOT_SUPPORTED',
        'Envoy Gateway metrics are not supported yet: it counts requests per route rule, which a weighted ' +
          'canary shares with stable, so they cannot tell the versions apart (envoyproxy/gateway#6742)',
        at,
        'count by workload with a mesh (gateway: istio), or write the queries under "metrics"',
      );
    if (prom['gateway'] !== undefined && !judgesTraffic(tpl))
      add(
        'SPEC_INVALID_VALUE',
        `"gateway" says where request counts come from, and template "${name}" judges none ` +
          '(no errorRate, latencyP95, latencyP99 or sequential)',
        at,
      );
  }

  return errors;
}
