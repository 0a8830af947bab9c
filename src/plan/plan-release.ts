/** @module The pure planner: spec + request + what runs now → the release plan. */
import { SlipwayError } from '../errors/index.js';
import type { Platform } from '../spec/schema/platform.js';
import { unknownNameError } from '../spec/suggest.js';
import { requireVersion } from '../spec/version.js';
import { parseDuration } from '../spec/units.js';
import { separateGroupsIn, strategyOf, strategySteps } from '../strategies/index.js';
import { type ServiceContext, stepPrefix } from './context.js';
import { shareErrorBudget } from './error-budget.js';
import { stateSampleSizes } from './sample-sizes.js';
import type { MeasuredTraffic } from './measured-traffic.js';
import { pauseAfterGroup } from './pause-after.js';
import { postReleaseWatch } from './post-release.js';
import { recoveryFor } from './recovery.js';
import { criteriaSteps, durationWarning } from './success-criteria.js';
import { serviceOrder } from './service-order.js';
import { sharedObjectWarnings } from './shared-objects.js';
import type { Plan, ReleaseRequest, Stage, Step, Touch } from './types.js';

/** The version running now on a cluster, if any (from the store's desired state, else the spec's `version`). */
export type CurrentVersion = (environment: string, cluster: string, service: string) => string | undefined;

const unknown = (what: 'service' | 'environment', name: string, known: string[]) =>
  unknownNameError(
    what === 'service' ? 'PLAN_UNKNOWN_SERVICE' : 'PLAN_UNKNOWN_ENVIRONMENT',
    what,
    name,
    known,
  );

/** Clusters of the environment that run the service (overrides, then the service's own list, then all). */
export function clustersOf(spec: Platform, environment: string, service: string): string[] {
  const env = spec.environments[environment]!;
  const all = Object.keys(env.clusters);
  const chosen = env.overrides?.services[service]?.clusters ?? spec.services[service]?.clusters;
  return chosen ? all.filter((c) => chosen.includes(c)) : all;
}

export function replicasOf(spec: Platform, environment: string, service: string): number {
  return (
    spec.environments[environment]?.overrides?.services[service]?.replicas ??
    spec.services[service]?.replicas ??
    1
  );
}

/** With `release.preflight.registry`, every new image tag of that registry must exist before anything changes. */
function imagePreflight(spec: Platform, targets: Map<string, string>): Step[] {
  const registry = spec.release?.preflight?.registry;
  if (!registry) return [];
  const images = [...targets]
    .map(([service, version]) => ({ service, image: spec.services[service]?.image ?? '', version }))
    .filter((i) => i.image.startsWith(`${registry}/`));
  if (images.length === 0) return [];
  return [
    {
      id: 'preflight/images',
      title: `images exist in ${registry}: ${images.map((i) => `${i.service}:${i.version}`).join(', ')}`,
      kind: 'preflight',
      check: 'images',
      registry,
      images,
    },
  ];
}

/**
 * `release.preflight.checks`: run once, before anything changes (the runbook's unit, integration and load
 * tests), in the context of the release's first service on its first cluster (a command check gets that
 * cluster's environment; an http check reaches the version running there now).
 */
function preflightChecks(spec: Platform, touches: Touch[]): Step[] {
  const first = touches[0];
  if (!first) return [];
  return (spec.release?.preflight?.checks ?? []).map((check) => ({
    id: `preflight/check-${check}`,
    title: `check ${check} before anything changes`,
    kind: 'check' as const,
    environment: first.environment,
    cluster: first.cluster,
    service: first.service,
    check,
    version: first.from ?? first.to,
  }));
}

/**
 * `prerequisites` (cert-manager, the Prometheus stack, CRDs a runbook installs first): each one's `check`
 * runs on every touched Kubernetes cluster before anything changes; a failing one names how to install it.
 */
function prerequisiteChecks(spec: Platform, touches: Touch[]): Step[] {
  const firstOnCluster = new Map<string, Touch>();
  for (const t of touches) {
    const cluster = spec.environments[t.environment]?.clusters[t.cluster];
    if (cluster?.kubernetes && !firstOnCluster.has(t.cluster)) firstOnCluster.set(t.cluster, t);
  }
  return [...firstOnCluster.values()].flatMap((t) =>
    (spec.prerequisites ?? [])
      .filter((p) => p.check !== undefined)
      .map((p) => ({
        id: `preflight/${t.cluster}/prerequisite-${p.name}`,
        title: `prerequisite ${p.name} on ${t.cluster}`,
        kind: 'check' as const,
        environment: t.environment,
        cluster: t.cluster,
        service: t.service,
        check: p.name,
        prerequisite: true,
        version: t.from ?? t.to,
      })),
  );
}

/** One preflight per touched cluster: its target checks what it needs for these services at these versions. */
function clusterPreflights(spec: Platform, touches: Touch[]): Step[] {
  const byCluster = new Map<string, { service: string; version: string }[]>();
  for (const t of touches) {
    const list = byCluster.get(t.cluster) ?? [];
    if (!list.some((s) => s.service === t.service)) list.push({ service: t.service, version: t.to });
    byCluster.set(t.cluster, list);
  }
  return [...byCluster].map(([cluster, services]): Step => {
    const kube = Object.values(spec.environments).find((e) => e.clusters[cluster])?.clusters[cluster]
      ?.kubernetes;
    const what = services.map((s) => `${s.service}@${s.version}`).join(', ');
    return {
      id: `preflight/cluster/${cluster}`,
      title: kube
        ? `cluster ${cluster} (context ${kube.context}): reachable, allowed, CRDs present for ${what}`
        : `cluster ${cluster}: ${what} can start`,
      kind: 'preflight',
      check: 'cluster',
      cluster,
      services,
    };
  });
}

/**
 * A Helm-delivered service cannot be released yet: refused before anything runs, rather than half done
 * (render notes it and lint checks its `helm template` output).
 */
function refuseHelm(spec: Platform, service: string): void {
  const svc = spec.services[service]!;
  if (!svc.helm || svc.image !== undefined || svc.local !== undefined) return;
  throw new SlipwayError(
    'PLAN_NOT_SUPPORTED',
    `${service} is delivered by the Helm chart ${svc.helm.chart} (services.${service}.helm): releasing Helm charts is not supported yet`,
    {
      hint: '`slipway lint` checks its `helm template` output; to release it with Slipway, describe it as a service with an image',
    },
  );
}

/** The services and versions asked for, and the environments the release goes through, checked. */
function requested(spec: Platform, request: ReleaseRequest) {
  const services = Object.keys(spec.services);
  const environments = Object.keys(spec.environments);
  if (request.changes.length === 0)
    throw new SlipwayError('PLAN_EMPTY', 'nothing to release', { hint: 'name SERVICE@VERSION' });
  const targets = new Map<string, string>();
  for (const change of request.changes) {
    if (!spec.services[change.service]) throw unknown('service', change.service, services);
    requireVersion(change.version, `${change.service}@`);
    refuseHelm(spec, change.service);
    targets.set(change.service, change.version);
  }
  for (const env of request.environments ?? [])
    if (!spec.environments[env]) throw unknown('environment', env, environments);
  return {
    targets,
    environments: environments.filter((e) => !request.environments || request.environments.includes(e)),
  };
}

/** What the planning of one release gathers as it walks environments, waves and clusters. */
interface Planning {
  spec: Platform;
  current: CurrentVersion;
  /** Service → the version it is released at. */
  targets: Map<string, string>;
  /** The released services, dependencies first. */
  order: string[];
  steps: Step[];
  touches: Touch[];
}

function approvalStep(environment: string, env: Platform['environments'][string]): Step | undefined {
  if (!env.approval?.required) return undefined;
  const approvals = env.approval.approvals ?? 1;
  const { role, timeout } = env.approval;
  return {
    id: `${environment}/approval`,
    title: `approval for ${environment}${role ? ` by ${role}` : ''}${approvals > 1 ? ` (${approvals} people)` : ''}${env.approval.notByAuthor ? ', not by whoever started it' : ''}${timeout ? `, within ${timeout} or the release stops` : ''}`,
    kind: 'approval',
    environment,
    ...(role ? { role } : {}),
    approvals,
    ...(timeout ? { timeoutMs: parseDuration(timeout) } : {}),
  };
}

/** One cluster of a wave: the steps of every service released there, in dependency order. */
function planCluster(p: Planning, environment: string, cluster: string, waveServices: Set<string>): void {
  const { spec, current, targets } = p;
  const released = p.order.filter(
    (s) =>
      clustersOf(spec, environment, s).includes(cluster) &&
      current(environment, cluster, s) !== targets.get(s),
  );
  for (const service of released) {
    const c: ServiceContext = {
      spec,
      environment,
      cluster,
      service,
      definition: spec.services[service]!,
      to: targets.get(service)!,
      replicas: replicasOf(spec, environment, service),
    };
    const from = current(environment, cluster, service);
    if (from !== undefined) c.from = from;
    waveServices.add(service);
    const own = strategySteps(c);
    p.steps.push(...own, ...pauseAfterGroup(spec, released, service, stepPrefix(c), own.length));
    const separate = separateGroupsIn(c);
    p.touches.push({
      environment,
      cluster,
      service,
      ...(from !== undefined ? { from } : {}),
      to: c.to,
      replicas: c.replicas,
      strategy: strategyOf(c),
      ...(separate.length ? { separateGroups: separate } : {}),
    });
  }
}

/** One environment: its backup record, its approval, then its waves with a bake between them. */
function planEnvironment(p: Planning, environment: string): Stage {
  const env = p.spec.environments[environment]!;
  const waves = env.waves ?? [Object.keys(env.clusters)];
  const stage: Stage = { environment, waves: [] };
  const backup: Extract<Step, { kind: 'backup' }> = {
    id: `${environment}/backup`,
    title: `record what runs in ${environment} before changing it`,
    kind: 'backup',
    environment,
  };
  p.steps.push(backup);
  const approval = approvalStep(environment, env);
  if (approval?.kind === 'approval') {
    p.steps.push(approval);
    stage.approval = { ...(approval.role ? { role: approval.role } : {}), approvals: approval.approvals };
  }
  waves.forEach((clusters, w) => {
    const waveServices = new Set<string>();
    for (const cluster of clusters) planCluster(p, environment, cluster, waveServices);
    stage.waves.push({ clusters, services: [...waveServices] });
    if (env.bake && w < waves.length - 1) {
      p.steps.push({
        id: `${environment}/wave-${w + 1}/bake`,
        title: `bake ${env.bake} before the next wave`,
        kind: 'bake',
        environment,
        durationMs: parseDuration(env.bake),
      });
    }
  });
  const here = p.touches.filter((t) => t.environment === environment);
  if (here.length > 0)
    backup.touches = here.map((t) => ({ cluster: t.cluster, service: t.service, version: t.to }));
  return stage;
}

/**
 * @param measured the traffic each cluster/service was last seen to serve (measuredTraffic), for the
 * analyses' sample sizes in time when the spec declares none.
 */
export function planRelease(
  spec: Platform,
  request: ReleaseRequest,
  current: CurrentVersion,
  measured?: Map<string, MeasuredTraffic>,
): Plan {
  const { targets, environments } = requested(spec, request);
  const p: Planning = {
    spec,
    current,
    targets,
    order: serviceOrder(spec, [...targets.keys()]),
    steps: [{ id: 'preflight/spec', title: 'spec is valid', kind: 'preflight', check: 'spec' }],
    touches: [],
  };
  const stages = environments.map((environment) => planEnvironment(p, environment));
  const { steps, touches } = p;
  const criteria = criteriaSteps(spec, touches);
  steps.splice(
    1,
    0,
    ...imagePreflight(spec, targets),
    ...clusterPreflights(spec, touches),
    ...prerequisiteChecks(spec, touches),
    ...preflightChecks(spec, touches),
    ...criteria.start,
  );
  steps.push(...criteria.check, ...postReleaseWatch(spec, touches));
  shareErrorBudget(spec, steps);
  const sampleWarnings = stateSampleSizes(spec, steps, measured);
  const { recovery, warnings: recoveryWarnings } = recoveryFor(spec, [...targets.keys()]);
  const warnings = [
    ...sharedObjectWarnings(spec, touches),
    ...recoveryWarnings,
    ...durationWarning(spec, steps),
    ...sampleWarnings,
  ];
  return {
    platform: spec.metadata.name,
    request,
    stages,
    steps,
    touches,
    ...(warnings.length ? { warnings } : {}),
    ...(recovery ? { recovery } : {}),
  };
}
