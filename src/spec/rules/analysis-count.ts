/**
 * @module An analysis template's `count` says how long it lasts (count × interval): a `maxDuration` on the
 * same template or a `for` on a step that runs it would say it again, differently — one of them would be
 * ignored, so both are refused where they are written.
 */
import type { SlipwayError } from '../../errors/index.js';
import { asList, asMap, namedTemplates, type RuleContext, specError } from './raw.js';

export function checkAnalysisCount(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const templates = asMap(ctx.data.analysis);
  const counted = new Set<string>();
  for (const [name, raw] of Object.entries(templates)) {
    const t = asMap(raw);
    if (t['count'] === undefined) continue;
    counted.add(name);
    if (t['maxDuration'] !== undefined)
      errors.push(
        specError(
          ctx,
          'SPEC_INVALID_VALUE',
          `analysis "${name}" has both count and maxDuration: its length is count × interval`,
          ['analysis', name, 'maxDuration'],
          { at: 'key', hint: 'keep one: count (so many measurements) or maxDuration' },
        ),
      );
  }
  for (const [service, raw] of Object.entries(asMap(ctx.data.services)))
    asList(asMap(asMap(raw).release).steps).forEach((step, i) => {
      const s = asMap(step);
      const withCount = namedTemplates(s['analysis'], [])
        .map((use) => use.template)
        .filter((n) => counted.has(n));
      if (s['for'] === undefined || withCount.length === 0) return;
      errors.push(
        specError(
          ctx,
          'SPEC_INVALID_VALUE',
          `analysis "${withCount[0]}" takes count measurements (count × interval): "for" would set its length again`,
          ['services', service, 'release', 'steps', i, 'for'],
          { at: 'key', hint: 'drop "for" here, or count from the template' },
        ),
      );
    });
  return errors;
}
