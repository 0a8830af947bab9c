/**
 * @module Keys the schema accepts whose effect is not built yet. Each one is refused where it is written,
 * with what Slipway does instead — a user who writes `successCriteria` or a 30-day backup retention must
 * not believe they have it. A key leaves this list when its effect lands, with the test that proves it.
 */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { asList, asMap, type RawMap, type RuleContext, specError } from './raw.js';

/** What the engine rolls back on today: every failed gate. */
const ROLLBACK_TRIGGERS = ['gate-failed', 'health-failed', 'analysis-failed', 'timeout'];

/** A rollback policy's keys that would change what the engine does. */
function rollbackPolicy(
  policy: RawMap,
  at: SpecPath,
  refuse: (path: SpecPath, what: string, instead: string) => void,
) {
  // gate-failed covers every gate (checks, analyses, health, deadlines): the engine's behaviour.
  const when = asList(policy['when']);
  const missing = when.includes('gate-failed') ? [] : ROLLBACK_TRIGGERS.filter((t) => !when.includes(t));
  if (policy['when'] !== undefined && missing.length > 0)
    refuse(
      [...at, 'when'],
      `leaving out ${missing.join(', ')} (rolling back on only some failed gates)`,
      'every failed gate rolls back; use mode: manual to stop and decide instead',
    );
  if (policy['scope'] === 'service')
    refuse(
      [...at, 'scope'],
      'scope: service (undoing only the failing service)',
      'the whole release is rolled back',
    );
  if (policy['notify'] === false)
    refuse([...at, 'notify'], 'notify: false', 'a rollback is announced on every configured channel');
}

export function checkNotSupportedYet(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const refuse = (path: SpecPath, what: string, instead: string) =>
    errors.push(
      specError(ctx, 'SPEC_NOT_SUPPORTED', `not supported yet: ${what}`, path, {
        hint: instead,
        at: 'key',
      }),
    );
  const d = ctx.data;
  const release = asMap(d.release);
  // Success criteria on traffic are measured from the local router's counters; clusters have none yet.
  const onKubernetes = Object.values(asMap(d.environments)).some((env) =>
    Object.values(asMap(asMap(env).clusters)).some((c) => asMap(c)['kubernetes'] !== undefined),
  );
  for (const key of ['availability', 'maxErrorRate', 'maxLatencyIncrease'])
    if (onKubernetes && asMap(release['successCriteria'])[key] !== undefined)
      refuse(
        ['release', 'successCriteria', key],
        `successCriteria.${key} on Kubernetes clusters (it is measured from the local router's counters)`,
        "gate the steps with analyses on the gateway's metrics; maxDuration works everywhere",
      );
  if (release['backup'] === false)
    refuse(
      ['release', 'backup'],
      'backup: false',
      'every release records what it changes, so that rollback can restore it',
    );
  const rollback = asMap(release['rollback']);
  rollbackPolicy(rollback, ['release', 'rollback'], refuse);
  asList(d['prerequisites']).forEach((p, i) => {
    if (asMap(p)['check'] === undefined)
      refuse(
        ['prerequisites', i],
        'a prerequisite without a check (Slipway installs nothing)',
        'give it a `check` command, run on each cluster before the release',
      );
  });
  for (const [name, raw] of Object.entries(asMap(d.services))) {
    const svc = asMap(raw);
    rollbackPolicy(asMap(asMap(svc.release)['rollback']), ['services', name, 'release', 'rollback'], refuse);
    if (asMap(svc.release)['maxErrorRate'] !== undefined)
      refuse(
        ['services', name, 'release', 'maxErrorRate'],
        'a release-wide error-rate ceiling (release.maxErrorRate)',
        "an analysis template with errorRate: { max: 1% } in the release's steps or analysis judges the new version",
      );
  }
  return errors;
}
