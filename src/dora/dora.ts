/**
 * @module The four DORA delivery metrics over a window, as Apache DevLake defines them and bands them
 * (2021/2023 Accelerate State of DevOps, DevLake's own criteria where Google's leave gaps):
 *
 * - Deployment frequency: deployment days, not deployments — the median number of days with a successful
 *   deployment per week (Elite ≥ 3, High ≥ 1) and per month (Medium ≥ 1, else Low). Weeks and months are
 *   7- and 30-day buckets counted back from the window's end.
 * - Lead time for changes: median time from the version's commit to its successful deployment, where the
 *   release request said when the version was committed (Elite < 1 h, High < 1 week, Medium < 1 month).
 * - Change failure rate: deployments that failed (rolled back or stopped), or succeeded and were later
 *   rolled back by a person, ÷ finished deployments (Elite ≤ 15 %, High ≤ 20 %, Medium ≤ 30 %).
 * - Time to restore: median time from a failure (its failed gate, or the person's rollback) to the service
 *   running a good version again (Elite < 1 h, High < 1 day, Medium < 1 week).
 */
import type { Deployment } from './deployments.js';

export type Band = 'elite' | 'high' | 'medium' | 'low';

export interface DoraFigures {
  deployments: number;
  medianDeploymentDaysPerWeek: number;
  medianDeploymentDaysPerMonth: number;
  deploymentFrequency: Band | null;
  /** Median, in hours; null when no successful deployment said when its version was committed. */
  leadTimeHours: number | null;
  leadTime: Band | null;
  /** Finished deployments, and those that failed. */
  finished: number;
  failures: number;
  changeFailureRate: number | null;
  changeFailure: Band | null;
  /** Median, in hours, over the failures restored in the window. */
  timeToRestoreHours: number | null;
  timeToRestore: Band | null;
  unrestored: number;
}

export interface DoraReport {
  since: string;
  until: string;
  byEnvironment: ({ environment: string } & DoraFigures)[];
  byService: ({ service: string; environment: string } & DoraFigures)[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per bucket of `size` ms counted back from `until`, how many distinct UTC days had a deployment. */
function daysPerBucket(times: number[], since: number, until: number, size: number): number[] {
  const buckets = Math.max(1, Math.round((until - since) / size));
  return Array.from({ length: buckets }, (_, i) => {
    const end = until - i * size;
    const days = new Set(
      times.filter((t) => t > end - size && t <= end).map((t) => new Date(t).toISOString().slice(0, 10)),
    );
    return days.size;
  });
}

const frequencyBand = (perWeek: number, perMonth: number): Band =>
  perWeek >= 3 ? 'elite' : perWeek >= 1 ? 'high' : perMonth >= 1 ? 'medium' : 'low';
const leadBand = (h: number): Band =>
  h < 1 ? 'elite' : h < 24 * 7 ? 'high' : h < 24 * 30 ? 'medium' : 'low';
const failureBand = (r: number): Band =>
  r <= 0.15 ? 'elite' : r <= 0.2 ? 'high' : r <= 0.3 ? 'medium' : 'low';
const restoreBand = (h: number): Band => (h < 1 ? 'elite' : h < 24 ? 'high' : h < 24 * 7 ? 'medium' : 'low');

/** When each failure began and when the service was restored (undefined: not yet). */
function failuresOf(all: Deployment[]): { at: number; restoredAt: number | undefined }[] {
  const out: { at: number; restoredAt: number | undefined }[] = [];
  const sorted = [...all].sort((a, b) => a.createdAt - b.createdAt);
  const later = (d: Deployment) => sorted.filter((x) => x.createdAt > d.createdAt);
  for (const d of sorted) {
    if (d.kind !== 'release') continue;
    if (d.outcome === 'rolled-back')
      out.push({ at: d.failedAt ?? d.finishedAt ?? d.createdAt, restoredAt: d.finishedAt });
    else if (d.outcome === 'failed') {
      const fix = later(d).find((x) => x.outcome === 'succeeded' || x.outcome === 'rolled-back');
      out.push({ at: d.failedAt ?? d.finishedAt ?? d.createdAt, restoredAt: fix?.finishedAt });
    } else if (d.outcome === 'succeeded') {
      // A person rolled it back before anything else succeeded: the change failed in production.
      const next = later(d).find((x) => x.kind === 'rollback' || x.outcome === 'succeeded');
      if (next?.kind === 'rollback')
        out.push({
          at: next.createdAt,
          restoredAt: next.outcome === 'succeeded' ? next.finishedAt : undefined,
        });
    }
  }
  return out;
}

/** The figures of deployments finished in the window, with the failures found per service and environment. */
export function figures(
  all: Deployment[],
  failures: { at: number; restoredAt: number | undefined }[],
  since: number,
  until: number,
): DoraFigures {
  const inWindow = (t: number | undefined) => t !== undefined && t > since && t <= until;
  const releases = all.filter((d) => d.kind === 'release' && inWindow(d.finishedAt));
  const succeeded = releases.filter((d) => d.outcome === 'succeeded');
  const times = succeeded.map((d) => d.finishedAt!);
  const perWeek = median(daysPerBucket(times, since, until, 7 * DAY)) ?? 0;
  const perMonth = median(daysPerBucket(times, since, until, 30 * DAY)) ?? 0;
  const lead = median(
    succeeded.filter((d) => d.committedAt !== undefined).map((d) => (d.finishedAt! - d.committedAt!) / HOUR),
  );
  const failed = failures.filter((f) => inWindow(f.at));
  const restored = failed.filter((f) => f.restoredAt !== undefined);
  const ttr = median(restored.map((f) => (f.restoredAt! - f.at) / HOUR));
  const cfr = releases.length ? Math.min(1, failed.length / releases.length) : null;
  return {
    deployments: succeeded.length,
    medianDeploymentDaysPerWeek: perWeek,
    medianDeploymentDaysPerMonth: perMonth,
    deploymentFrequency: releases.length ? frequencyBand(perWeek, perMonth) : null,
    leadTimeHours: lead,
    leadTime: lead === null ? null : leadBand(lead),
    finished: releases.length,
    failures: failed.length,
    changeFailureRate: cfr,
    changeFailure: cfr === null ? null : failureBand(cfr),
    timeToRestoreHours: ttr,
    timeToRestore: ttr === null ? null : restoreBand(ttr),
    unrestored: failed.length - restored.length,
  };
}

/** Per service and environment, and per environment (every service together). */
export function doraReport(deployments: Deployment[], since: number, until: number): DoraReport {
  const groups = new Map<string, Deployment[]>();
  for (const d of deployments) {
    const key = `${d.environment}\u0000${d.service}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const byService = [...groups]
    .map(([key, list]) => {
      const [environment, service] = key.split('\u0000') as [string, string];
      return { service, environment, list, failures: failuresOf(list) };
    })
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.service.localeCompare(b.service));
  const environments = [...new Set(byService.map((g) => g.environment))];
  return {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    byEnvironment: environments.map((environment) => {
      const here = byService.filter((g) => g.environment === environment);
      return {
        environment,
        ...figures(
          here.flatMap((g) => g.list),
          here.flatMap((g) => g.failures),
          since,
          until,
        ),
      };
    }),
    byService: byService
      .map((g) => ({
        service: g.service,
        environment: g.environment,
        ...figures(g.list, g.failures, since, until),
      }))
      .filter((g) => g.finished > 0 || g.failures > 0),
  };
}
