/** @module Local clusters' fixed ports must not overlap. */
import type { SlipwayError } from '../../errors/index.js';
import { asMap, keyErrors, type RuleContext } from './raw.js';

export function checkLocalPorts(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
  // local.basePort: each local cluster takes basePort (admin) and one port per local service after it.
  const localServices = Object.values(asMap(ctx.data.services)).filter(
    (svc) => asMap(svc).local !== undefined,
  ).length;
  const taken: { from: number; to: number; at: string }[] = [];
  for (const [envName, env] of Object.entries(asMap(ctx.data.environments)))
    for (const [clusterName, cluster] of Object.entries(asMap(asMap(env).clusters))) {
      const base = asMap(asMap(cluster).local)['basePort'];
      if (typeof base !== 'number') continue;
      const range = { from: base, to: base + localServices, at: `${envName}/${clusterName}` };
      const clash = taken.find((t) => range.from <= t.to && t.from <= range.to);
      if (clash)
        add(
          'SPEC_INVALID_VALUE',
          `ports ${range.from}–${range.to} of local cluster ${clusterName} overlap ${clash.from}–${clash.to} of ${clash.at} (the admin endpoint and one router per local service)`,
          ['environments', envName, 'clusters', clusterName, 'local', 'basePort'],
          `use a basePort above ${clash.to}`,
        );
      taken.push(range);
    }

  return errors;
}
