/** @module dependsOn must form a DAG: a cycle has no release order and no network policy direction. */
import type { SlipwayError } from '../../errors/index.js';
import { asList, asMap, asString, type RuleContext, specError } from './raw.js';

export function checkDependencyCycles(ctx: RuleContext): SlipwayError[] {
  const services = asMap(ctx.data.services);
  const edges = new Map<string, { to: string; index: number }[]>();
  for (const [name, raw] of Object.entries(services)) {
    const deps = asList(asMap(raw).dependsOn)
      .map((d, index) => ({ to: asString(d) ?? '', index }))
      .filter((d) => Object.hasOwn(services, d.to));
    edges.set(name, deps);
  }
  const errors: SlipwayError[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: { service: string; index: number }[] = [];
  const reported = new Set<string>();

  const visit = (service: string): void => {
    state.set(service, 'visiting');
    for (const edge of edges.get(service) ?? []) {
      stack.push({ service, index: edge.index });
      if (state.get(edge.to) === 'visiting') {
        const start = stack.findIndex((frame) => frame.service === edge.to);
        const cycle = stack.slice(start);
        const key = cycle
          .map((f) => f.service)
          .sort()
          .join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const names = [...cycle.map((f) => f.service), edge.to];
          const [first, ...rest] = cycle;
          if (first) {
            errors.push(
              specError(
                ctx,
                'SPEC_DEPENDENCY_CYCLE',
                `dependency cycle: ${names.join(' → ')}`,
                ['services', first.service, 'dependsOn', first.index],
                {
                  hint: 'remove one of these dependsOn entries; a cycle has no release order',
                  related: rest.map((f) => ({
                    path: ['services', f.service, 'dependsOn', f.index],
                    message: `"${f.service}" depends on the next service here`,
                    at: 'value' as const,
                  })),
                },
              ),
            );
          }
        }
      } else if (state.get(edge.to) === undefined) {
        visit(edge.to);
      }
      stack.pop();
    }
    state.set(service, 'done');
  };
  for (const service of edges.keys()) if (state.get(service) === undefined) visit(service);
  return errors;
}
