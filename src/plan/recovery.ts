/**
 * @module Disaster recovery in a release's plan and status: the platform's recovery targets and the
 * scenarios that concern the released services, and a warning where a scenario that restores from backup
 * has an RPO shorter than the time between two of those backups (the runbook promises what its schedule
 * cannot keep).
 */
import { longestGapMinutes } from '../spec/schema/cron.js';
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration } from '../spec/units.js';
import type { Recovery } from './types.js';

const minutes = (m: number) => (m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`);

export function recoveryFor(
  spec: Platform,
  released: readonly string[],
): { recovery?: Recovery; warnings: string[] } {
  const dr = spec.disasterRecovery;
  if (!dr) return { warnings: [] };
  const warnings: string[] = [];
  const scenarios = (dr.scenarios ?? [])
    .filter((s) => !s.services || s.services.some((x) => released.includes(x)))
    .map((s) => {
      const backups = s.fromBackup
        ? (s.services ?? released).flatMap((service) => {
            const b = spec.services[service]?.backup;
            return b ? [{ service, schedule: b.schedule, gapMinutes: longestGapMinutes(b.schedule) }] : [];
          })
        : [];
      const rpoMinutes = s.rpo === '0' ? 0 : parseDuration(s.rpo) / 60_000;
      for (const b of backups)
        if (b.gapMinutes > rpoMinutes)
          warnings.push(
            `recovery scenario "${s.scenario}" promises an RPO of ${s.rpo}, but ${b.service}'s backups ("${b.schedule}") can be ${minutes(b.gapMinutes)} apart: a restore may lose that much`,
          );
      if (s.fromBackup && backups.length === 0)
        warnings.push(
          `recovery scenario "${s.scenario}" restores from backup, and none of its services has one`,
        );
      return {
        scenario: s.scenario,
        rto: s.rto,
        rpo: s.rpo,
        ...(s.procedure ? { procedure: s.procedure } : {}),
        ...(s.services ? { services: s.services } : {}),
        ...(backups.length ? { backups: backups.map((b) => `${b.service} ${b.schedule}`) } : {}),
      };
    });
  const targets = [
    dr.rto ? `RTO ${dr.rto}` : '',
    dr.rpo ? `RPO ${dr.rpo}` : '',
    dr.regions
      ? `regions: primary ${dr.regions.primary}${dr.regions.dr ? `, DR ${dr.regions.dr}` : ''}${dr.regions.backup ? `, backups ${dr.regions.backup}` : ''}`
      : '',
  ].filter(Boolean);
  return { recovery: { ...(targets.length ? { targets: targets.join('; ') } : {}), scenarios }, warnings };
}
