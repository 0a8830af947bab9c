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

export function checkReferences(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const { data } = ctx;
  const services = asMap(data.services);
  const environments = asMap(data.environments);
  const serviceNs: Namespace = { what: 'service', names: Object.keys(services), definedAt: ['services'] };
  const analysisNs: Namespace = {
    what: 'analysis template',
    names: Object.keys(asMap(data.analysis)),
    definedAt: data.analysis ? ['analysis'] : [],
  };
  const checkNs: Namespace = {
    what: 'check',
    names: Object.keys(asMap(data.checks)),
    definedAt: data.checks ? ['checks'] : [],
  };
  const allClusters = Object.values(environments).flatMap((env) => Object.keys(asMap(asMap(env).clusters)));
  const clusterNs: Namespace = {
    what: 'cluster',
    names: [...new Set(allClusters)],
    definedAt: ['environments'],
  };

  for (const [name, raw] of Object.entries(services)) {
    const svc = asMap(raw);
    const at: SpecPath = ['services', name];
    asList(svc.dependsOn).forEach((dep, i) => {
      reference(ctx, dep, [...at, 'dependsOn', i], { ...serviceNs, definedAt: ['services'] }, errors);
    });
    asList(svc.clusters).forEach((c, i) => {
      reference(ctx, c, [...at, 'clusters', i], clusterNs, errors);
    });
    const release = asMap(svc.release);
    asList(release.steps).forEach((step, i) => {
      const s = asMap(step);
      if (Array.isArray(s.analysis))
        s.analysis.forEach((a, j) =>
          reference(ctx, a, [...at, 'release', 'steps', i, 'analysis', j], analysisNs, errors),
        );
      else if (s.analysis !== undefined)
        reference(ctx, s.analysis, [...at, 'release', 'steps', i, 'analysis'], analysisNs, errors);
      if (s.check !== undefined)
        reference(ctx, s.check, [...at, 'release', 'steps', i, 'check'], checkNs, errors);
    });
    asList(release.analysis).forEach((a, i) => {
      reference(ctx, a, [...at, 'release', 'analysis', i], analysisNs, errors);
    });
    for (const key of ['checks', 'previewChecks'] as const) {
      asList(release[key]).forEach((c, i) => {
        reference(ctx, c, [...at, 'release', key, i], checkNs, errors);
      });
    }
  }

  for (const [envName, raw] of Object.entries(environments)) {
    const env = asMap(raw);
    const clusters = Object.keys(asMap(env.clusters));
    const envClusters: Namespace = {
      what: 'cluster',
      scope: `in environment "${envName}"`,
      names: clusters,
      definedAt: ['environments', envName, 'clusters'],
    };
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
    if (env.waves !== undefined) {
      for (const cluster of clusters.filter((c) => !firstWave.has(c))) {
        errors.push(
          specError(
            ctx,
            'SPEC_INVALID_VALUE',
            `cluster "${cluster}" is in no wave, so no release would reach it`,
            ['environments', envName, 'waves'],
            {
              hint: `add "${cluster}" to a wave`,
              related: [
                {
                  path: ['environments', envName, 'clusters', cluster],
                  message: 'the cluster is defined here',
                },
              ],
            },
          ),
        );
      }
    }
    for (const [svcName, override] of Object.entries(asMap(asMap(env.overrides).services))) {
      const path: SpecPath = ['environments', envName, 'overrides', 'services', svcName];
      if (!serviceNs.names.includes(svcName)) {
        const guess = closest(svcName, serviceNs.names);
        errors.push(
          specError(ctx, 'SPEC_UNKNOWN_REFERENCE', `override for unknown service "${svcName}"`, path, {
            at: 'key',
            hint: guess ? `did you mean "${guess}"?` : undefined,
            related: [{ path: ['services'], message: 'services are defined here' }],
          }),
        );
      }
      asList(asMap(override).clusters).forEach((c, i) => {
        reference(ctx, c, [...path, 'clusters', i], envClusters, errors);
      });
    }
  }

  const firstGroup = new Map<string, SpecPath>();
  asList(data.priorities).forEach((group, g) => {
    asList(asMap(group).services).forEach((s, i) => {
      const path: SpecPath = ['priorities', g, 'services', i];
      reference(ctx, s, path, serviceNs, errors);
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

  asList(asMap(asMap(data.release).preflight).checks).forEach((c, i) => {
    reference(ctx, c, ['release', 'preflight', 'checks', i], checkNs, errors);
  });
  for (const [name, raw] of Object.entries(asMap(data.checks))) {
    const target = asMap(raw).service;
    if (target !== undefined) reference(ctx, target, ['checks', name, 'service'], serviceNs, errors);
  }
  return errors;
}
