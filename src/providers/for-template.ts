/**
 * @module Which metric provider an analysis template names: Prometheus at `url` or `$urlEnv` (and, with
 * `gateway`, the gateway's request counts as the template's traffic source), a web JSON endpoint; builtin
 * needs none.
 */
import type { MetricProviders, TargetsByCluster } from '../engine/ports.js';
import { parseDuration } from '../spec/units.js';
import { GATEWAY_TEMPLATES, GATEWAYS, type GatewayName } from './gateway-templates.js';
import { GatewayTraffic } from './gateway-traffic.js';
import { PrometheusProvider } from './prometheus.js';
import { WebProvider } from './web.js';

const isGateway = (g: string | undefined): g is GatewayName => GATEWAYS.includes(g as GatewayName);

export const templateProviders = (targets: TargetsByCluster): MetricProviders => ({
  forTemplate(definition) {
    const p = definition.provider;
    if (!p || p === 'builtin') {
      return definition.metrics?.length
        ? { problem: 'PromQL metrics need `provider: { prometheus: { url } }`' }
        : {};
    }
    const settings = 'web' in p ? p.web : p.prometheus;
    const url = settings.url ?? (settings.urlEnv ? process.env[settings.urlEnv] : undefined);
    const which = 'web' in p ? 'web endpoint' : 'Prometheus';
    if (!url) return { problem: `the ${which} URL is not set (${settings.urlEnv ?? 'url'})` };
    const headersEnv = settings.headersEnv;
    const headers = headersEnv ? parseHeaders(process.env[headersEnv]) : undefined;
    if (headersEnv && !headers)
      return { problem: `${headersEnv} does not hold headers ("Name: value", one per line)` };
    const common = {
      url,
      ...(headers ? { headers } : {}),
      ...(settings.timeout ? { timeoutMs: parseDuration(settings.timeout) } : {}),
    };
    if ('web' in p) return { provider: new WebProvider(common) };
    const provider = new PrometheusProvider(common);
    const gateway = p.prometheus.gateway;
    if (gateway !== undefined && !isGateway(gateway))
      return { problem: `the metrics of ${gateway} are not supported yet` };
    return {
      provider,
      ...(gateway ? { traffic: new GatewayTraffic(provider, GATEWAY_TEMPLATES[gateway], targets) } : {}),
    };
  },
});

/** `Authorization: Bearer …` lines as headers; undefined when unset or when a line is not a header. */
export function parseHeaders(text: string | undefined): Record<string, string> | undefined {
  if (!text?.trim()) return undefined;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
    const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(line.trim());
    if (!match) return undefined;
    headers[match[1]!] = match[2]!;
  }
  return headers;
}
