/**
 * @module `release.successCriteria` (seed 001's "Метрики успеха": update < 2 h, availability 100 %, errors
 * < 1 %, p95 no more than 20 % above the baseline): the traffic counted when the release starts, and the
 * release judged against the criteria once its last service is promoted. The plan also adds up how long
 * the release's timed steps take and warns when that alone exceeds `maxDuration`.
 */
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration } from '../spec/units.js';
import type { Step, Touch } from './types.js';

function counted(touches: Touch[]) {
  const byKey = new Map<string, { cluster: string; service: string; versions: string[] }>();
  for (const t of touches) {
    const key = `${t.cluster}/${t.service}`;
    const entry = byKey.get(key) ?? { cluster: t.cluster, service: t.service, versions: [] };
    for (const v of [t.from, t.to]) if (v && !entry.versions.includes(v)) entry.versions.push(v);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export function criteriaSteps(spec: Platform, touches: Touch[]): { start: Step[]; check: Step[] } {
  const c = spec.release?.successCriteria;
  // They measure an update: a first deployment has no version before it and nobody using it yet.
  const updates = touches.filter((t) => t.from !== undefined);
  if (!c || updates.length === 0) return { start: [], check: [] };
  const what = [
    c.maxDuration ? `done within ${c.maxDuration}` : '',
    c.availability ? `availability ≥ ${c.availability}` : '',
    c.maxErrorRate ? `errors ≤ ${c.maxErrorRate}` : '',
    c.maxLatencyIncrease ? `p95 ≤ +${c.maxLatencyIncrease} over the version before` : '',
  ].filter(Boolean);
  const list = counted(updates);
  const traffic =
    c.availability !== undefined || c.maxErrorRate !== undefined || c.maxLatencyIncrease !== undefined;
  return {
    start: traffic
      ? [
          {
            id: 'preflight/criteria-start',
            title: 'count what the touched services serve, for the success criteria',
            kind: 'criteria',
            phase: 'start',
            counted: list,
          },
        ]
      : [],
    check: [
      {
        id: 'release/success-criteria',
        title: `success criteria over the whole release: ${what.join(', ')}`,
        kind: 'criteria',
        phase: 'check',
        counted: list,
      },
    ],
  };
}

/** How long the timed steps alone take (pauses, bakes, analyses, the watch): the least the release lasts. */
export function timedDurationMs(steps: Step[]): number {
  return steps.reduce((sum, s) => {
    if (s.kind === 'pause' && s.durationMs) return sum + s.durationMs;
    if (s.kind === 'bake' || s.kind === 'analysis') return sum + s.durationMs;
    return sum;
  }, 0);
}

export function durationWarning(spec: Platform, steps: Step[]): string[] {
  const max = spec.release?.successCriteria?.maxDuration;
  const timed = timedDurationMs(steps);
  if (!max || timed <= parseDuration(max)) return [];
  return [
    `its timed steps alone (pauses, bakes, analyses) take ${timed < 120_000 ? `${Math.round(timed / 1000)} s` : `${Math.round(timed / 60_000)} min`}, more than successCriteria.maxDuration ${max}: the release cannot meet it`,
  ];
}
