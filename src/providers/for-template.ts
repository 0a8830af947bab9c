/** @module Which metric provider an analysis template names: Prometheus at `url` or `$urlEnv`; builtin needs none. */
import type { MetricProviders } from '../engine/ports.js';
import { parseDuration } from '../spec/units.js';
import { PrometheusProvider } from './prometheus.js';

export const templateProviders: MetricProviders = {
  forTemplate(definition) {
    const p = definition.provider;
    if (!p || p === 'builtin') {
      return definition.metrics?.length
        ? { problem: 'PromQL metrics need `provider: { prometheus: { url } }`' }
        : {};
    }
    const url = p.prometheus.url ?? (p.prometheus.urlEnv ? process.env[p.prometheus.urlEnv] : undefined);
    if (!url) return { problem: `the Prometheus URL is not set (${p.prometheus.urlEnv ?? 'url'})` };
    return {
      provider: new PrometheusProvider({
        url,
        ...(p.prometheus.timeout ? { timeoutMs: parseDuration(p.prometheus.timeout) } : {}),
      }),
    };
  },
};
