/**
 * @module `priorities[].pauseAfter`: on each cluster, once the group's last released service is through,
 * the release waits for `slipway promote` before the next group starts there (the runbook's "check 1A,
 * then go on to 1B").
 */
import type { Platform } from '../spec/schema/platform.js';
import type { Step } from './types.js';

/** The pause after `service` on this cluster, when it ends a pauseAfter group and a later service follows. */
export function pauseAfterGroup(
  spec: Platform,
  released: readonly string[],
  service: string,
  prefix: string,
  stepsSoFar: number,
): Step[] {
  const group = spec.priorities?.find((g) => g.services.includes(service));
  if (!group?.pauseAfter) return [];
  const position = released.indexOf(service);
  const rest = released.slice(position + 1);
  if (rest.some((s) => group.services.includes(s)) || rest.length === 0) return [];
  const [environment, cluster] = prefix.split('/');
  return [
    {
      id: `${prefix}/${String(stepsSoFar + 1).padStart(2, '0')}-pause-after-${group.name}`,
      title: `priority group ${group.name} is through on ${cluster}: wait for slipway promote before ${rest[0]}`,
      kind: 'pause',
      untilPromoted: true,
      ...(environment ? { environment } : {}),
      ...(cluster ? { cluster } : {}),
      service,
    },
  ];
}
