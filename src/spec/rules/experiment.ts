/**
 * @module What an experiment step needs: on a Kubernetes cluster, a gateway route (its variants are the
 * route's backends: raw.ts gatewayRouteRequired), no fresh baseline beside it, analysis templates that exist and need no arguments (a variant cannot give
 * any), and traffic for its variants that stable can give at that point of the steps.
 */
import { requiredArgs } from '../../analysis/template-args.js';
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import {
  asList,
  asMap,
  gatewayRouteRequired,
  namedTemplates,
  type RawMap,
  type RuleContext,
  specError,
} from './raw.js';

/** The variants' analysis templates, each with its place. */
function variantAnalyses(variants: unknown[], at: SpecPath): { template: string; path: SpecPath }[] {
  return variants.flatMap((v, j) => namedTemplates(asMap(v)['analysis'], [...at, 'variants', j, 'analysis']));
}

function checkStep(
  ctx: RuleContext,
  svc: RawMap,
  experiment: RawMap,
  at: SpecPath,
  weight: number,
): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const refuse = (message: string, hint: string) =>
    errors.push(
      specError(ctx, 'SPEC_NOT_SUPPORTED', `not supported yet: ${message}`, at, { hint, at: 'key' }),
    );
  const unrouted = gatewayRouteRequired(ctx, svc, at, {
    what: 'an experiment step',
    why: 'its variants are backends of the route, which a replica-ratio split or an ingress-nginx canary Ingress cannot give',
    at: 'key',
  });
  if (unrouted) errors.push(unrouted);
  if (asMap(svc.release)['baseline'] === 'fresh')
    refuse(
      'an experiment beside a fresh baseline',
      'use one of them: baseline: fresh, or an experiment variant with specRef: stable',
    );
  const variants = asList(experiment['variants']);
  const templates = asMap(ctx.data.analysis);
  for (const { template, path } of variantAnalyses(variants, at)) {
    if (templates[template] === undefined)
      errors.push(
        specError(ctx, 'SPEC_UNKNOWN_REFERENCE', `unknown analysis template "${template}"`, path, {
          hint: `defined: ${Object.keys(templates).join(', ') || 'none'}`,
        }),
      );
    else
      for (const arg of requiredArgs(asMap(templates[template])['args']))
        errors.push(
          specError(
            ctx,
            'SPEC_MISSING_KEY',
            `analysis "${template}" needs its argument ${arg}, which a variant cannot give`,
            path,
            {
              hint: `give it a value: analysis.${template}.args.${arg}: { value: ... } or { env: VAR }`,
            },
          ),
        );
  }
  const taken = variants.reduce<number>((sum, v) => sum + (Number(asMap(v)['weight']) || 0), 0);
  if (weight + taken > 100)
    errors.push(
      specError(
        ctx,
        'SPEC_INVALID_VALUE',
        `the variants take ${taken}% of the traffic, but the canary has ${weight}% at this step: stable has only ${100 - weight}% to give`,
        [...at, 'variants'],
        { at: 'key', hint: 'lower the variants’ weights, or run the experiment at an earlier step' },
      ),
    );
  return errors;
}

export function checkExperiments(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    let weight = 0;
    asList(asMap(svc.release).steps).forEach((step, i) => {
      const s = asMap(step);
      if (typeof s['weight'] === 'number') weight = s['weight'];
      const experiment = s['experiment'];
      if (experiment !== undefined)
        errors.push(
          ...checkStep(
            ctx,
            svc,
            asMap(experiment),
            ['services', name, 'release', 'steps', i, 'experiment'],
            weight,
          ),
        );
    });
  }
  return errors;
}
