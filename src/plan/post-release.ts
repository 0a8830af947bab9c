/**
 * @module The post-release watch: after the last promotion the release stays open for
 * `release.postRelease.watch`, and an alert of a released service with `action: rollback` that fires rolls
 * every touched cluster back — one step at the end, watching all of them at once.
 */
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration } from '../spec/units.js';
import type { Step, Touch, WatchedAlert } from './types.js';

const DEFAULT_INTERVAL_MS = 30_000;

export function postReleaseWatch(spec: Platform, touches: Touch[]): Step[] {
  const post = spec.release?.postRelease;
  if (!post || touches.length === 0) return [];
  const services = [...new Set(touches.map((t) => t.service))];
  const rollbackAlerts = services.flatMap((service) =>
    (spec.services[service]?.alerts ?? [])
      .filter((a) => a.action === 'rollback')
      .map((a) => ({ service, a })),
  );
  const alerts: WatchedAlert[] = rollbackAlerts.map(({ service, a }) => ({
    service,
    name: a.name,
    expr: a.expr,
    forMs: a.for ? parseDuration(a.for) : 0,
  }));
  // These services have no alert that rolls back: there is nothing for the watch to do.
  if (alerts.length === 0) return [];
  const intervalMs = post.interval ? parseDuration(post.interval) : DEFAULT_INTERVAL_MS;
  return [
    {
      id: 'post-release/watch',
      title: `watch ${post.watch} after the last promotion, every ${post.interval ?? '30s'}: ${rollbackAlerts
        .map(({ service, a }) => `${a.name} (${service}${a.for ? `, for ${a.for}` : ''})`)
        .join(', ')}; one that fires rolls back every touched cluster`,
      kind: 'watch',
      durationMs: parseDuration(post.watch),
      intervalMs,
      alerts,
    },
  ];
}
