/** @module A check as a gate: run through the service's target (router or service proxy), or as a command. */
import { runCheck } from '../gates/run-check.js';
import type { Platform } from '../../spec/schema/platform.js';
import { type StepContext, type StepExecutor, targetFor } from './step-context.js';

type Prerequisite = NonNullable<Platform['prerequisites']>[number];
type Check = NonNullable<Platform['checks']>[string];

/** How to install a missing prerequisite, from its entry (Slipway installs nothing itself). */
function installHint(p: Prerequisite): string {
  if (p.helm)
    return `helm install ${p.name} ${p.helm.chart}${p.helm.repo ? ` --repo ${p.helm.repo}` : ''}${p.helm.namespace ? ` -n ${p.helm.namespace} --create-namespace` : ''}`;
  if (p.manifest) return `kubectl apply -f ${p.manifest}`;
  return p.description ?? 'see its description';
}

/** A prerequisite's check as a command check, with how to install it when it fails. */
function prerequisiteCheck(ctx: StepContext, name: string) {
  const p = ctx.spec.prerequisites?.find((x) => x.name === name);
  const definition: Check | undefined = p?.check ? { command: { run: p.check, timeout: '2m' } } : undefined;
  return p && definition ? { p, definition } : undefined;
}

export const check: StepExecutor<'check'> = async (ctx, step) => {
  const prerequisite = step.prerequisite ? prerequisiteCheck(ctx, step.check) : undefined;
  const definition = prerequisite?.definition ?? ctx.spec.checks?.[step.check];
  if (!definition) return { evidence: { verdict: 'fail', summary: `unknown check ${step.check}` } };
  const service = definition.service ?? step.service;
  const target = targetFor(ctx, step.cluster);
  const ref = { service, cluster: step.cluster };
  const status = await target.observe(ref);
  const evidence = await runCheck(
    step.check,
    definition,
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
  if (prerequisite && evidence.verdict !== 'pass')
    evidence.summary = `prerequisite ${prerequisite.p.name} is missing on ${step.cluster} (${evidence.summary}); install it: ${installHint(prerequisite.p)}`;
  return { evidence };
};
