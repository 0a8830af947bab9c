/**
 * @module A canary's share of traffic as a share of pods (a cluster without a gateway route, as Argo
 * Rollouts' basic canary): the canary gets its share of the service's pods rounded to whole pods (at least
 * one), stable the rest — but never none while the canary's weight is under 100 %.
 */
import type { Weights } from '../targets/target.js';

export function ratioReplicas(
  total: number,
  weights: Weights,
): { stable: number; canary: number; effective: number } {
  const share = (weights.canary ?? 0) / 100;
  if (share <= 0) return { stable: total, canary: 0, effective: 0 };
  if (share >= 1) return { stable: 0, canary: total, effective: 100 };
  const canary = Math.min(total, Math.max(1, Math.round(total * share)));
  const stable = Math.max(1, total - canary);
  return { stable, canary, effective: Math.round((canary / (stable + canary)) * 100) };
}
