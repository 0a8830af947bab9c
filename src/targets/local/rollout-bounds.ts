/** @module Surge and unavailability bounds, resolved as Kubernetes does: surge rounds up, unavailable down. */
import type { RolloutBound } from '../target.js';

export function resolveBound(
  bound: RolloutBound | undefined,
  replicas: number,
  roundUp: boolean,
  fallback: number,
): number {
  if (bound === undefined) return fallback;
  if (typeof bound === 'number') return bound;
  const fraction = Number(bound.slice(0, -1)) / 100;
  return roundUp ? Math.ceil(replicas * fraction) : Math.floor(replicas * fraction);
}

/** Max extra replicas and max unready replicas; never both zero, or a replacement could not start. */
export function rolloutBounds(replicas: number, maxSurge?: RolloutBound, maxUnavailable?: RolloutBound) {
  const surge = resolveBound(maxSurge ?? '25%', replicas, true, 1);
  const unavailable = resolveBound(maxUnavailable ?? 0, replicas, false, 0);
  return { surge: surge === 0 && unavailable === 0 ? 1 : surge, unavailable };
}
