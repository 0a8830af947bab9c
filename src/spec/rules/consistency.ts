/** @module Rules across fields that a schema cannot say: min ≤ max, a probe needs a port, … */
import { judgesTraffic } from '../traffic-rules.js';
import type { ErrorCode, SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { parsePercent } from '../units.js';
import { asList, asMap, type RuleContext, specError } from './raw.js';

const isZero = (v: unknown) => v === 0 || v === '0%';

export function checkConsistency(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const add = (code: ErrorCode, message: string, path: SpecPath, hint?: string) =>
    errors.push(specError(ctx, code, message, path, { hint, at: 'key' }));

  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const at: SpecPath = ['services', name];
    if (svc.image === undefined && svc.helm === undefined && svc.local === undefined) {
      add(
        'SPEC_MISSING_KEY',
        `service "${name}" needs "image", "helm" or "local": nothing says what runs`,
        at,
      );
    }
    if (svc.workload === 'daemonset' && svc.replicas !== undefined) {
      add('SPEC_INVALID_VALUE', 'a daemonset runs one pod per node; "replicas" does not apply', [
        ...at,
        'replicas',
      ]);
    }
    const auto = asMap(svc.autoscale);
    if (svc.autoscale !== undefined) {
      if (typeof auto.min === 'number' && typeof auto.max === 'number' && auto.min > auto.max) {
        add('SPEC_INVALID_VALUE', `autoscale min (${auto.min}) is above max (${auto.max})`, [
          ...at,
          'autoscale',
          'min',
        ]);
      }
      if (auto.cpu === undefined && auto.memory === undefined && auto.keda === undefined) {
        add('SPEC_MISSING_KEY', 'autoscale needs a target: "cpu", "memory" or "keda"', [...at, 'autoscale']);
      }
    }
    const health = asMap(svc.health);
    const hasPort = svc.port !== undefined || asList(svc.ports).length > 0;
    for (const probe of ['readiness', 'liveness', 'startup'] as const) {
      const p = health[probe];
      if (p !== undefined && !hasPort && asMap(p).port === undefined) {
        add('SPEC_MISSING_KEY', `the ${probe} probe needs a port: set "port" on the service or the probe`, [
          ...at,
          'health',
          probe,
        ]);
      }
    }
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
    if (isZero(release.maxSurge) && isZero(release.maxUnavailable)) {
      add(
        'SPEC_INVALID_VALUE',
        'maxSurge and maxUnavailable are both 0: the rollout could never make progress',
        [...at, 'release', 'maxSurge'],
      );
    }
    asList(svc.slos).forEach((slo, i) => {
      const objective = asMap(slo).objective;
      if ((typeof objective === 'string' || typeof objective === 'number') && safePercent(objective) >= 1) {
        add(
          'SPEC_INVALID_VALUE',
          'an SLO objective of 100% leaves no error budget',
          [...at, 'slos', i, 'objective'],
          'use e.g. 99.9%',
        );
      }
    });
  }

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

  // local.basePort: each local cluster takes basePort (admin) and one port per local service after it.
  const localServices = Object.values(asMap(ctx.data.services)).filter(
    (svc) => asMap(svc).local !== undefined,
  ).length;
  const taken: { from: number; to: number; at: string }[] = [];
  for (const [envName, env] of Object.entries(asMap(ctx.data.environments)))
    for (const [clusterName, cluster] of Object.entries(asMap(asMap(env).clusters))) {
      const base = asMap(asMap(cluster).local)['basePort'];
      if (typeof base !== 'number') continue;
      const range = { from: base, to: base + localServices, at: `${envName}/${clusterName}` };
      const clash = taken.find((t) => range.from <= t.to && t.from <= range.to);
      if (clash)
        add(
          'SPEC_INVALID_VALUE',
          `ports ${range.from}–${range.to} of local cluster ${clusterName} overlap ${clash.from}–${clash.to} of ${clash.at} (the admin endpoint and one router per local service)`,
          ['environments', envName, 'clusters', clusterName, 'local', 'basePort'],
          `use a basePort above ${clash.to}`,
        );
      taken.push(range);
    }

  const telegram = asMap(asMap(ctx.data.notify).telegram);
  if (
    asMap(ctx.data.notify).telegram !== undefined &&
    telegram.chatId === undefined &&
    telegram.chatIdEnv === undefined
  ) {
    add('SPEC_MISSING_KEY', 'telegram needs "chatId" or "chatIdEnv"', ['notify', 'telegram']);
  }
  asList(asMap(ctx.data.notify).webhooks).forEach((w, i) => {
    const hook = asMap(w);
    if (hook.url === undefined && hook.urlEnv === undefined)
      add('SPEC_MISSING_KEY', 'a webhook needs "url" or "urlEnv"', ['notify', 'webhooks', i]);
  });
  return errors;
}

function safePercent(value: string | number): number {
  try {
    return parsePercent(value);
  } catch {
    return 0;
  }
}
