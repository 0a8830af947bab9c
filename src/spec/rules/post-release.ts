/**
 * @module The post-release watch and the alerts it evaluates must fit together, or a key would be accepted
 * and do nothing: an alert with `action: rollback` acts only during `release.postRelease.watch`; a watch
 * needs such an alert and a Prometheus to ask; an alert whose `for` outlasts the watch could never fire in
 * it; `rollback.when` names `alert-firing` exactly when an alert can roll back.
 */
import type { SlipwayError } from '../../errors/index.js';
import type { SpecPath } from '../spec-path.js';
import { parseDuration } from '../units.js';
import { asList, asMap, asString, type RuleContext, specError } from './raw.js';

const ms = (value: unknown) => {
  try {
    return typeof value === 'string' ? parseDuration(value) : undefined;
  } catch {
    return undefined;
  }
};

/** Every alert with `action: rollback`, with where it is written. */
function rollbackAlerts(ctx: RuleContext) {
  return Object.entries(asMap(ctx.data.services)).flatMap(([service, svc]) =>
    asList(asMap(svc)['alerts']).flatMap((a, i) =>
      asMap(a)['action'] === 'rollback'
        ? [
            {
              name: asString(asMap(a)['name']) ?? '?',
              forMs: ms(asMap(a)['for']),
              at: ['services', service, 'alerts', i] as SpecPath,
            },
          ]
        : [],
    ),
  );
}

export function checkPostRelease(ctx: RuleContext): SlipwayError[] {
  const errors: SlipwayError[] = [];
  const release = asMap(ctx.data.release);
  const post = release['postRelease'] !== undefined ? asMap(release['postRelease']) : undefined;
  const alerts = rollbackAlerts(ctx);
  const error = (path: SpecPath, message: string, hint: string) =>
    errors.push(specError(ctx, 'SPEC_POST_RELEASE', message, path, { hint, at: 'key' }));
  if (!post)
    for (const a of alerts)
      error(
        [...a.at, 'action'],
        `alert ${a.name} rolls back when it fires during the post-release watch, and the release has none`,
        'add release.postRelease: { watch: 30m, provider: { prometheus: { urlEnv: PROMETHEUS_URL } } }',
      );
  if (post && alerts.length === 0)
    error(
      ['release', 'postRelease', 'watch'],
      'the post-release watch has nothing to watch: no alert has action: rollback',
      'give the alerts that should undo a release `action: rollback`, or remove postRelease',
    );
  if (post && (post['provider'] === 'builtin' || isRecordWith(post['provider'], 'web')))
    error(
      ['release', 'postRelease', 'provider'],
      'alerts are PromQL: the post-release watch needs a prometheus provider',
      'provider: { prometheus: { urlEnv: PROMETHEUS_URL } }',
    );
  const watchMs = ms(post?.['watch']);
  for (const a of alerts)
    if (watchMs !== undefined && a.forMs !== undefined && a.forMs >= watchMs)
      error(
        [...a.at, 'for'],
        `alert ${a.name} must fire for longer than the ${String(post?.['watch'])} watch lasts: it could never roll back`,
        'shorten its for, or lengthen release.postRelease.watch',
      );
  const policies: [unknown, SpecPath][] = [
    [release['rollback'], ['release', 'rollback']],
    ...Object.entries(asMap(ctx.data.services)).map(
      ([s, svc]) =>
        [asMap(asMap(svc).release)['rollback'], ['services', s, 'release', 'rollback']] as [
          unknown,
          SpecPath,
        ],
    ),
  ];
  for (const [policy, at] of policies) {
    const when = asMap(policy)['when'];
    if (when === undefined) continue;
    const i = asList(when).indexOf('alert-firing');
    if (i >= 0 && at[0] === 'services')
      error(
        [...at, 'when', i],
        'alert-firing belongs in release.rollback.when: the post-release watch covers the whole release',
        'move it to release.rollback.when',
      );
    else if (i >= 0 && alerts.length === 0)
      error(
        [...at, 'when', i],
        'alert-firing: no alert has action: rollback',
        'give an alert action: rollback',
      );
    else if (i < 0 && alerts.length > 0 && at[0] === 'release')
      error(
        [...at, 'when'],
        `alert ${alerts[0]!.name} has action: rollback, and rollback.when leaves out alert-firing`,
        'add alert-firing to when, or make the alert action: notify',
      );
  }
  return errors;
}

const isRecordWith = (value: unknown, key: string) =>
  typeof value === 'object' && value !== null && key in value;
