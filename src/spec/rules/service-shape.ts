/** @module A service's shape beyond its schema: something to run, replicas that apply, autoscale bounds, probe ports. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { asList, asMap, keyErrors, type RuleContext } from './raw.js';

export function checkServiceShape(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
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
  }
  return errors;
}
