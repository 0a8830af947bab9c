/** @module What each step does against the targets, the metrics and the store. Every effect is an ensure. */
import { SlipwayError } from '../errors/index.js';
import type { Step } from '../plan/types.js';
import type { Platform } from '../spec/schema/platform.js';
import type { Store } from '../store/store.js';
import type { Snapshot, Target } from '../targets/target.js';
import type { Evidence } from './events.js';
import { runCheck } from './gates/run-check.js';
import { runAnalysis } from '../analysis/analysis-loop.js';
import type { MetricProviders, TargetsByCluster, TrafficMetrics } from './ports.js';

export interface EffectContext {
  spec: Platform;
  store: Store;
  targets: TargetsByCluster;
  metrics: TrafficMetrics;
  providers: MetricProviders;
  cwd: string;
  signal: AbortSignal;
  /** The snapshot this release took of a service on a cluster before changing it, if any. */
  snapshotOf?: (cluster: string, service: string) => Snapshot | undefined;
}

export interface EffectOutcome {
  evidence?: Evidence;
  result?: Record<string, unknown>;
}

export function targetFor(ctx: EffectContext, cluster: string): Target {
  const target = ctx.targets.get(cluster);
  if (!target) {
    throw new SlipwayError('ENGINE_NO_TARGET', `no target for cluster "${cluster}"`, {
      category: 'infrastructure',
      hint: 'kubernetes clusters need the Kubernetes target, which is not in this build; local clusters run on this machine',
    });
  }
  return target;
}

/** Runs a step's effect. Failures a release can have (a crash loop, a timeout) come back as a failed verdict. */
export async function runEffect(ctx: EffectContext, step: Step): Promise<EffectOutcome> {
  try {
    return await effect(ctx, step);
  } catch (error) {
    if (error instanceof SlipwayError && error.category === 'release') {
      return { evidence: { verdict: 'fail', summary: error.message, code: error.code } };
    }
    throw error;
  }
}

async function effect(ctx: EffectContext, step: Step): Promise<EffectOutcome> {
  switch (step.kind) {
    case 'preflight': {
      if (step.check === 'spec') return { evidence: { verdict: 'pass', summary: 'the spec is valid' } };
      const result = await targetFor(ctx, step.cluster).preflight(step.services);
      return {
        evidence: {
          verdict: result.ok ? 'pass' : 'fail',
          summary: result.ok ? result.summary : `${result.summary}: ${result.findings.join('; ')}`,
          findings: result.findings.join('\n'),
        },
      };
    }
    case 'backup': {
      const clusters = Object.keys(ctx.spec.environments[step.environment]?.clusters ?? {});
      const backup = (await ctx.store.desiredState()).filter((d) => clusters.includes(d.cluster));
      const snapshots = [];
      for (const t of step.touches ?? [])
        snapshots.push({
          cluster: t.cluster,
          service: t.service,
          snapshot: await targetFor(ctx, t.cluster).snapshot(
            { service: t.service, cluster: t.cluster },
            t.version,
          ),
        });
      return { result: { backup, ...(snapshots.length ? { snapshots } : {}) } };
    }
    case 'ensure-replicas': {
      const ref = { service: step.service, cluster: step.cluster };
      const request = {
        group: step.group,
        version: step.version,
        replicas: step.replicas,
        deadlineMs: step.deadlineMs,
        ...(step.maxSurge !== undefined ? { maxSurge: step.maxSurge } : {}),
        ...(step.maxUnavailable !== undefined ? { maxUnavailable: step.maxUnavailable } : {}),
      };
      const snapshot = step.restore ? ctx.snapshotOf?.(step.cluster, step.service) : undefined;
      const target = targetFor(ctx, step.cluster);
      const status = snapshot
        ? await target.restore(ref, snapshot, request)
        : await target.ensureReplicas(ref, request);
      return {
        result: {
          ready: status?.ready ?? 0,
          versions: status?.versions ?? [],
          ...(snapshot ? { restored: true } : {}),
        },
      };
    }
    case 'set-weights':
      await targetFor(ctx, step.cluster).ensureWeights(
        { service: step.service, cluster: step.cluster },
        step.weights,
        step.matches ?? [],
      );
      return { result: { weights: step.weights } };
    case 'promote':
      await targetFor(ctx, step.cluster).promote({ service: step.service, cluster: step.cluster }, step.from);
      return { result: { stable: step.version } };
    case 'scale-to-zero': {
      const ref = { service: step.service, cluster: step.cluster };
      const snapshot = step.restore ? ctx.snapshotOf?.(step.cluster, step.service) : undefined;
      // Undoing a first deployment: the snapshot knows which objects the release created, to delete them.
      if (snapshot) await targetFor(ctx, step.cluster).restore(ref, snapshot);
      else await targetFor(ctx, step.cluster).scaleToZero(ref, step.group);
      return snapshot ? { result: { restored: true } } : {};
    }
    case 'check': {
      const check = ctx.spec.checks?.[step.check];
      if (!check) return { evidence: { verdict: 'fail', summary: `unknown check ${step.check}` } };
      const service = check.service ?? step.service;
      const target = targetFor(ctx, step.cluster);
      const ref = { service, cluster: step.cluster };
      const status = await target.observe(ref);
      const evidence = await runCheck(
        step.check,
        check,
        {
          service,
          version: step.version,
          cluster: step.cluster,
          environment: step.environment ?? '',
          namespace: ctx.spec.services[service]?.namespace ?? '',
          cwd: ctx.cwd,
          ...(status.endpoint ? { endpoint: status.endpoint } : {}),
          ...(status.commandEnv ? { env: status.commandEnv } : {}),
          ...(step.group ? { group: step.group } : {}),
          send: (request) => target.send(ref, request),
        },
        ctx.signal,
      );
      return { evidence };
    }
    case 'analysis': {
      const definition = ctx.spec.analysis?.[step.template];
      if (!definition)
        return { evidence: { verdict: 'fail', summary: `unknown analysis template ${step.template}` } };
      const { provider, problem } = ctx.providers.forTemplate(definition);
      const evidence = await runAnalysis({
        template: step.template,
        definition,
        cluster: step.cluster,
        service: step.service,
        namespace: ctx.spec.services[step.service]?.namespace ?? step.environment ?? '',
        version: step.version,
        ...(step.baselineVersion ? { baselineVersion: step.baselineVersion } : {}),
        durationMs: step.durationMs,
        traffic: ctx.metrics,
        ...(provider ? { provider } : {}),
        ...(problem ? { providerProblem: problem } : {}),
        signal: ctx.signal,
      });
      return { evidence };
    }
    case 'record-version':
      return { result: { version: step.version } };
    case 'approval':
    case 'pause':
    case 'bake':
      // Waiting steps are run by the release runner, which watches the event log while it waits.
      return {};
  }
}
