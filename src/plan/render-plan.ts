/** @module A plan as text, for `slipway plan` and the dry run. */
import type { Plan, Recovery } from './types.js';

/** The recovery section, shared by the plan and `slipway status`. */
export function recoveryLines(recovery: Recovery | undefined): string[] {
  if (!recovery || (!recovery.targets && recovery.scenarios.length === 0)) return [];
  const lines = ['', 'Disaster recovery:'];
  if (recovery.targets) lines.push(`  ${recovery.targets}`);
  for (const s of recovery.scenarios)
    lines.push(
      `  - ${s.scenario}: RTO ${s.rto}, RPO ${s.rpo}${s.procedure ? ` — ${s.procedure}` : ''}${s.backups ? ` (backups: ${s.backups.join(', ')})` : ''}`,
    );
  return lines;
}

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  const changes = plan.request.changes.map((c) => `${c.service}@${c.version}`).join(', ');
  lines.push(`Plan: release ${changes} on platform ${plan.platform}`);
  // Everything that runs before the first change: the target's preflight, prerequisites, preflight checks.
  const preflight = plan.steps.filter((s) => s.id.startsWith('preflight/'));
  lines.push('', 'Preflight:');
  for (const s of preflight) lines.push(`  - ${s.title}`);
  for (const stage of plan.stages) {
    lines.push('', `Environment ${stage.environment}:`);
    lines.push(`  - ${plan.steps.find((s) => s.id === `${stage.environment}/backup`)?.title ?? 'backup'}`);
    if (stage.approval)
      lines.push(`  - ${plan.steps.find((s) => s.id === `${stage.environment}/approval`)?.title}`);
    stage.waves.forEach((wave, w) => {
      lines.push(`  Wave ${w + 1}: ${wave.clusters.join(', ')}`);
      for (const cluster of wave.clusters) {
        for (const touch of plan.touches.filter(
          (t) => t.environment === stage.environment && t.cluster === cluster,
        )) {
          const prefix = `${stage.environment}/${cluster}/${touch.service}/`;
          lines.push(
            `    ${cluster} · ${touch.service} ${touch.from ?? '(none)'} → ${touch.to} [${touch.strategy}, ${touch.replicas} replica${touch.replicas === 1 ? '' : 's'}]`,
          );
          for (const step of plan.steps.filter((s) => s.id.startsWith(prefix)))
            lines.push(`      ${step.id.slice(prefix.length).padEnd(14)} ${step.title}`);
        }
      }
      const bake = plan.steps.find((s) => s.id === `${stage.environment}/wave-${w + 1}/bake`);
      if (bake) lines.push(`  ${bake.title}`);
    });
  }
  const after = plan.steps.filter((s) => s.id === 'release/success-criteria' || s.kind === 'watch');
  if (after.length) lines.push('', 'After the release:', ...after.map((s) => `  - ${s.title}`));
  lines.push(...recoveryLines(plan.recovery));
  for (const warning of plan.warnings ?? []) lines.push('', `Warning: ${warning}`);
  lines.push('', 'On a failed gate: roll back, in reverse order, every cluster the release touched.');
  return `${lines.join('\n')}\n`;
}
