/** @module Cross-references: every name the spec uses must be defined, and each error shows both places. */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { closest } from '../suggest.js';
import { asList, asMap, asString, type RuleContext, specError } from './raw.js';

interface Namespace {
  what: string;
  names: string[];
  definedAt: SpecPath;
  /** Narrows the message: `in environment "production"`. */
  scope?: string;
}

function reference(
  ctx: RuleContext,
  name: unknown,
  path: SpecPath,
  target: Namespace,
  errors: SlipwayError[],
): void {
  const value = asString(name);
  if (value === undefined || target.names.includes(value)) return;
  const guess = closest(value, target.names);
  errors.push(
    specError(
      ctx,
      'SPEC_UNKNOWN_REFERENCE',
      `unknown ${target.what} "${value}"${target.scope ? ` ${target.scope}` : ''}`,
      path,
      {
        hint: guess
          ? `did you mean "${guess}"?`
          : target.names.length
            ? `defined: ${target.names.join(', ')}`
            : `no ${target.what} is defined`,
        related: [
          {
            path: target.definedAt,
            message: `${target.what}s${target.scope ? ` ${target.scope}` : ''} are defined here`,
          },
        ],
      },
    ),
  );
}

/** The names a spec defines, by kind. */
function namespacesOf(ctx: RuleContext) {
  const { data } = ctx;
  const environments = asMap(data.environments);
  const allClusters = Object.values(environments).flatMap((env) => Object.keys(asMap(asMap(env).clusters)));
  return {
    service: {
      what: 'service',
      names: Object.keys(asMap(data.services)),
      definedAt: ['services'],
    } as Namespace,
    analysis: {
      what: 'analysis template',
      names: Object.keys(asMap(data.analysis)),
      definedAt: data.analysis ? ['analysis'] : [],
    } as Namespace,
    check: {
      what: 'check',
      names: Object.keys(asMap(data.checks)),
      definedAt: data.checks ? ['checks'] : [],
    } as Namespace,
    cluster: { what: 'cluster', names: [...new Set(allClusters)], definedAt: ['environments'] } as Namespace,
  };
}

type Namespaces = ReturnType<typeof namespacesOf>;

/** A service's dependencies, clusters, and the analyses and checks its release names. */
function serviceReferences(ctx: RuleContext, ns: Namespaces, errors: SlipwayError[]): void {
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const at: SpecPath = ['services', name];
    asList(svc.dependsOn).forEach((dep, i) =>
      reference(ctx, dep, [...at, 'dependsOn', i], ns.service, errors),
    );
    asList(svc.clusters).forEach((c, i) => reference(ctx, c, [...at, 'clusters', i], ns.cluster, errors));
    const release = asMap(svc.release);
    asList(release.steps).forEach((step, i) => {
      const s = asMap(step);
      const stepAt: SpecPath = [...at, 'release', 'steps', i];
      if (Array.isArray(s.analysis))
        s.analysis.forEach((a, j) => reference(ctx, a, [...stepAt, 'analysis', j], ns.analysis, errors));
      else if (s.analysis !== undefined)
        reference(ctx, s.analysis, [...stepAt, 'analysis'], ns.analysis, errors);
      if (s.check !== undefined) reference(ctx, s.check, [...stepAt, 'check'], ns.check, errors);
    });
    asList(release.analysis).forEach((a, i) =>
      reference(ctx, a, [...at, 'release', 'analysis', i], ns.analysis, errors),
    );
    for (const key of ['checks', 'previewChecks'] as const)
      asList(release[key]).forEach((c, i) => reference(ctx, c, [...at, 'release', key, i], ns.check, errors));
  }
}

/** An environment's waves: each cluster of the environment in exactly one. */
function waveReferences(
  ctx: RuleContext,
  envName: string,
  envClusters: Namespace,
  errors: SlipwayError[],
): void {
  const env = asMap(asMap(ctx.data.environments)[envName]);
  const firstWave = new Map<string, SpecPath>();
  asList(env.waves).forEach((wave, w) => {
    asList(wave).forEach((c, i) => {
      const path: SpecPath = ['environments', envName, 'waves', w, i];
      reference(ctx, c, path, envClusters, errors);
      const name = asString(c);
      if (name === undefined) return;
      const earlier = firstWave.get(name);
      if (earlier) {
        errors.push(
          specError(ctx, 'SPEC_DUPLICATE_ENTRY', `cluster "${name}" is in more than one wave`, path, {
            related: [{ path: earlier, message: 'first listed here', at: 'value' }],
          }),
        );
      } else firstWave.set(name, path);
    });
  });
  if (env.waves === undefined) return;
  for (const cluster of envClusters.names.filter((c) => !firstWave.has(c))) {
    errors.push(
      specError(
        ctx,
        'SPEC_INVALID_VALUE',
        `cluster "${cluster}" is in no wave, so no release would reach it`,
        ['environments', envName, 'waves'],
        {
          hint: `add "${cluster}" to a wave`,
          related: [
            { path: ['environments', envName, 'clusters', cluster], message: 'the cluster is defined here' },
          ],
        },
      ),
    );
  }
}

/** An environment's overrides: of services that exist, on clusters of that environment. */
function overrideReferences(
  ctx: RuleContext,
  envName: string,
  envClusters: Namespace,
  ns: Namespaces,
  errors: SlipwayError[],
): void {
  const env = asMap(asMap(ctx.data.environments)[envName]);
  for (const [svcName, override] of Object.entries(asMap(asMap(env.overrides).services))) {
    const path: SpecPath = ['environments', envName, 'overrides', 'services', svcName];
    if (!ns.service.names.includes(svcName)) {
      const guess = closest(svcName, ns.service.names);
      errors.push(
        specError(ctx, 'SPEC_UNKNOWN_REFERENCE', `override for unknown service "${svcName}"`, path, {
          at: 'key',
          hint: guess ? `did you mean "${guess}"?` : undefined,
          related: [{ path: ['services'], message: 'services are defined here' }],
        }),
      );
    }
    asList(asMap(override).clusters).forEach((c, i) =>
      reference(ctx, c, [...path, 'clusters', i], envClusters, errors),
    );
  }
}

/** Priority groups: of services that exist, each service in one group. */
function priorityReferences(ctx: RuleContext, ns: Namespaces, errors: SlipwayError[]): void {
  const firstGroup = new Map<string, SpecPath>();
  asList(ctx.data.priorities).forEach((group, g) => {
    asList(asMap(group).services).forEach((s, i) => {
      const path: SpecPath = ['priorities', g, 'services', i];
      reference(ctx, s, path, ns.service, errors);
      const name = asString(s);
      if (name === undefined) return;
      const earlier = firstGroup.get(name);
      if (earlier) {
        errors.push(
          specError(
            ctx,
            'SPEC_DUPLICATE_ENTRY',
            `service "${name}" is in more than one priority group`,
            path,
            {
              related: [{ path: earlier, message: 'first listed here', at: 'value' }],
            },
          ),
        );
      } else firstGroup.set(name, path);
    });
  });
}

export function checkReferences(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const ns = namespacesOf(ctx);
  serviceReferences(ctx, ns, errors);
  for (const [envName, raw] of Object.entries(asMap(ctx.data.environments))) {
    const envClusters: Namespace = {
      what: 'cluster',
      scope: `in environment "${envName}"`,
      names: Object.keys(asMap(asMap(raw).clusters)),
      definedAt: ['environments', envName, 'clusters'],
    };
    waveReferences(ctx, envName, envClusters, errors);
    overrideReferences(ctx, envName, envClusters, ns, errors);
  }
  priorityReferences(ctx, ns, errors);
  asList(asMap(asMap(ctx.data.release).preflight).checks).forEach((c, i) =>
    reference(ctx, c, ['release', 'preflight', 'checks', i], ns.check, errors),
  );
  for (const [name, raw] of Object.entries(asMap(ctx.data.checks))) {
    const target = asMap(raw).service;
    if (target !== undefined) reference(ctx, target, ['checks', name, 'service'], ns.service, errors);
  }
  return errors;
}
