/**
 * @module What non-local clusters run where Slipway has no record yet, asked of their targets: the
 * stable version, or undefined when nothing runs (a first deployment). A cluster that does not answer
 * is left out — the caller keeps its assumption and preflight reports the cluster with the reason.
 */
import { clustersOf } from '../plan/plan-release.js';
import type { ReleaseRequest } from '../plan/types.js';
import type { Platform } from '../spec/schema/platform.js';
import type { TargetsByCluster } from './ports.js';

export async function liveVersions(
  spec: Platform,
  targets: TargetsByCluster,
  request: ReleaseRequest,
  recorded: ReadonlyMap<string, string>,
): Promise<Map<string, string | undefined>> {
  const live = new Map<string, string | undefined>();
  for (const { service } of request.changes)
    for (const environment of Object.keys(spec.environments))
      for (const cluster of clustersOf(spec, environment, service)) {
        const target = targets.get(cluster);
        const key = `${cluster}/${service}`;
        if (!target?.capabilities.liveState || recorded.has(key) || live.has(key)) continue;
        try {
          const status = await target.observe({ service, cluster });
          live.set(key, status.groups.find((g) => g.group === 'stable')?.versions[0]);
        } catch {
          // unreachable or misconfigured: preflight says so
        }
      }
  return live;
}
