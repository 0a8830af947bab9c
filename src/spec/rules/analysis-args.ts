/**
 * @module Analysis template arguments: every `{{args.NAME}}` a template uses is declared in its `args`; a
 * step gives only arguments its templates declare, and every one they need (neither `value` nor `env`);
 * an analysis no step runs (`release.analysis`) cannot be given any, so its template must not need one.
 */
import { argsIn, requiredArgs } from '../../analysis/template-args.js';
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { asList, asMap, asString, type RawMap, type RuleContext, specError } from './raw.js';

/** The template's texts that may use arguments, with their places. */
function texts(t: RawMap): { path: (string | number)[]; text: string | undefined }[] {
  const metrics = asList(t['metrics']).flatMap((m, i) => [
    { path: ['metrics', i, 'query'], text: asString(asMap(m)['query']) },
    { path: ['metrics', i, 'baseline'], text: asString(asMap(m)['baseline']) },
  ]);
  return [
    ...metrics,
    { path: ['provider', 'web', 'url'], text: asString(asMap(asMap(t.provider)['web']).url) },
  ];
}

function undeclaredUses(ctx: RuleContext, name: string, t: RawMap): SlipwayError[] {
  const declared = Object.keys(asMap(t['args']));
  return texts(t).flatMap(({ path, text }) =>
    argsIn(text)
      .filter((arg) => !declared.includes(arg))
      .map((arg) =>
        specError(
          ctx,
          'SPEC_UNKNOWN_REFERENCE',
          `{{args.${arg}}}: analysis "${name}" declares no argument ${arg}`,
          ['analysis', name, ...path],
          { hint: `declare it: args: { ${arg}: {} } (a step gives it), { value: ... } or { env: VAR }` },
        ),
      ),
  );
}

function stepArgs(ctx: RuleContext, templates: RawMap, step: RawMap, at: SpecPath): SlipwayError[] {
  // args without analysis: the schema says so.
  if (step['analysis'] === undefined) return [];
  const named = Array.isArray(step['analysis']) ? step['analysis'].map(String) : [asString(step['analysis'])];
  const used = named.filter((n): n is string => n !== undefined && templates[n] !== undefined);
  const given = asMap(step['args']);
  const errors: SlipwayError[] = [];
  const declared = used.flatMap((n) => Object.keys(asMap(asMap(templates[n])['args'])));
  for (const arg of Object.keys(given))
    if (!declared.includes(arg))
      errors.push(
        specError(
          ctx,
          'SPEC_UNKNOWN_REFERENCE',
          `no analysis of this step declares an argument ${arg}`,
          [...at, 'args', arg],
          {
            at: 'key',
            hint: declared.length ? `declared: ${declared.join(', ')}` : `${used.join(', ')} declare no args`,
          },
        ),
      );
  for (const n of used)
    for (const arg of requiredArgs(asMap(templates[n])['args']))
      if (given[arg] === undefined)
        errors.push(
          specError(
            ctx,
            'SPEC_MISSING_KEY',
            `analysis "${n}" needs its argument ${arg}, which this step does not give`,
            [...at, 'analysis'],
            {
              hint: `add args: { ${arg}: ... } to the step, or a value in analysis.${n}.args.${arg}`,
            },
          ),
        );
  return errors;
}

export function checkAnalysisArgs(ctx: RuleContext): SlipwayError[] {
  const templates = asMap(ctx.data.analysis);
  const errors = Object.entries(templates).flatMap(([name, t]) => undeclaredUses(ctx, name, asMap(t)));
  for (const [service, raw] of Object.entries(asMap(ctx.data.services))) {
    const release = asMap(asMap(raw).release);
    for (const [i, step] of asList(release.steps).entries())
      errors.push(...stepArgs(ctx, templates, asMap(step), ['services', service, 'release', 'steps', i]));
    for (const [i, n] of asList(release['analysis']).entries()) {
      const needs = requiredArgs(asMap(templates[String(n)])['args']);
      if (needs.length > 0)
        errors.push(
          specError(
            ctx,
            'SPEC_MISSING_KEY',
            `analysis "${String(n)}" needs ${needs.join(', ')}, which only an analysis step's args can give`,
            ['services', service, 'release', 'analysis', i],
            {
              hint: `give it a value in analysis.${String(n)}.args, or run it as a step: { analysis: ${String(n)}, args: { ... } }`,
            },
          ),
        );
    }
  }
  return errors;
}
