/** @module A check as a gate: run through the service's target (router or service proxy), or as a command. */
import { runCheck } from '../gates/run-check.js';
import { type StepExecutor, targetFor } from './step-context.js';

export const check: StepExecutor<'check'> = async (ctx, step) => {
  const definition = ctx.spec.checks?.[step.check];
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
  return { evidence };
};
