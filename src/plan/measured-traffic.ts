/**
 * @module The traffic a service was seen to serve: read from the last analyses in the history, for the
 * plan to turn sample sizes into time when the spec declares none.
 */
import type { Store } from '../store/store.js';

export interface MeasuredTraffic {
  /** The canary's and the baseline's requests per second during that analysis. */
  requestsPerSecond: number;
  /** The baseline's error rate then (a fraction). */
  errorRate: number;
  /** The release whose analysis measured it. */
  release: string;
}

/** How many recent releases are read for it. */
const RELEASES_READ = 20;

/** One analysis's measurement, from its evidence: the sequential judge's counts over its elapsed time. */
function measurementOf(evidence: Record<string, unknown> | undefined) {
  const elapsedMs = evidence?.['elapsedMs'];
  const judgements = evidence?.['judgements'];
  if (typeof elapsedMs !== 'number' || elapsedMs < 1000 || !Array.isArray(judgements)) return undefined;
  const counts = (judgements as Record<string, unknown>[]).find(
    (j) => typeof j['canaryRequests'] === 'number' && typeof j['baselineRequests'] === 'number',
  );
  if (!counts) return undefined;
  const baselineRequests = counts['baselineRequests'] as number;
  const baselineErrors = typeof counts['baselineErrors'] === 'number' ? counts['baselineErrors'] : 0;
  const requests = (counts['canaryRequests'] as number) + baselineRequests;
  if (requests === 0 || baselineRequests === 0) return undefined;
  return { requestsPerSecond: requests / (elapsedMs / 1000), errorRate: baselineErrors / baselineRequests };
}

/**
 * The newest measurement of each cluster/service (keys `cluster/service`) among the last releases'
 * completed analyses.
 */
export async function measuredTraffic(
  store: Pick<Store, 'releases' | 'events'>,
): Promise<Map<string, MeasuredTraffic>> {
  const found = new Map<string, MeasuredTraffic>();
  for (const release of await store.releases(RELEASES_READ)) {
    const events = await store.events(release.id);
    for (const event of events.reverse()) {
      if (event.type !== 'step-completed') continue;
      // Step ids are environment/cluster/service/NN-kind.
      const [, cluster, service, step] = event.payload.step.split('/');
      if (!step?.endsWith('-analysis') || found.has(`${cluster}/${service}`)) continue;
      const m = measurementOf(event.payload.evidence);
      if (m) found.set(`${cluster}/${service}`, { ...m, release: release.id });
    }
  }
  return found;
}
